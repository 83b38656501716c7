"""The run configuration: one dataclass, filled from the command line and validated
before anything is read or written."""

from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

DEVICES = ("auto", "cpu", "cuda", "mps")
ARCHITECTURES = ("mlp", "cnn")
AUGMENT_RECIPES = ("shift", "distort")  # training/augment.py
# Per architecture: the default --epochs (the full timeline) and --hidden-dims.
ARCHITECTURE_DEFAULTS = {
    "mlp": {"epochs": 50, "hidden_dims": (128, 64)},
    "cnn": {"epochs": 20, "hidden_dims": (64,)},
}


PATH_FLAGS = ("checkpoint_dir", "resume", "tensorboard")


class ConfigError(ValueError):
    """A bad command-line argument: reported as one line, exit code 2."""


@dataclass(frozen=True)
class TrainConfig:
    architecture: str = "mlp"
    epochs: int = 50
    hidden_dims: tuple[int, ...] = (128, 64)
    batch_size: int = 128
    lr: float = 0.05
    momentum: float = 0.9
    seed: int = 0
    device: str = "auto"
    threads: int = 0  # 0 = one per available core
    skip_train: bool = False
    augment: bool = True
    augment_recipe: str = "distort"  # one of AUGMENT_RECIPES
    data_dir: Path = Path("data/mnist")
    export_path: Path = Path("exports/mlp_weights.json")
    max_images: int = 0  # hidden: stop after this many training images (0 = no limit)
    # Trustworthy runs (README): validation split, early stopping, checkpoints, TensorBoard.
    val_size: int = 0  # 0 = no validation split
    early_stop: int = 0  # patience in snapshots; 0 = off
    min_delta: float = 0.0
    checkpoint_dir: Path | None = None
    resume: Path | None = None
    tensorboard: Path | None = None

    @staticmethod
    def defaults(architecture: str = "mlp", **overrides) -> TrainConfig:
        """The default configuration of an architecture (its own --epochs and --hidden-dims)."""
        return TrainConfig(architecture=architecture, **{**ARCHITECTURE_DEFAULTS[architecture], **overrides})

    def to_json(self) -> dict:
        """Every flag, as written into the manifest's training.config."""
        values = asdict(self)
        values["hidden_dims"] = list(self.hidden_dims)
        values["data_dir"] = str(self.data_dir)
        values["export_path"] = str(self.export_path)
        for key in PATH_FLAGS:
            values[key] = None if values[key] is None else str(values[key])
        return values


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus the error; the CLI contract is a single line."""

    def error(self, message: str):
        raise ConfigError(message)


def build_parser() -> argparse.ArgumentParser:
    defaults = TrainConfig()
    parser = _OneLineParser(
        prog="mlp_train.py",
        description="Train an MNIST multi-layer perceptron or a small CNN and export its training timeline "
        "(a JSON manifest plus one float16 safetensors file per snapshot).",
    )
    mlp, cnn = ARCHITECTURE_DEFAULTS["mlp"], ARCHITECTURE_DEFAULTS["cnn"]
    parser.add_argument(
        "--architecture",
        default=defaults.architecture,
        help="mlp (dense layers only, default) or cnn (two 5×5 convolutions of 8 and 16 maps with 2×2 "
        "max-pooling, then the dense layers)",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help=f"passes over the 60,000 training images: the full timeline (default {mlp['epochs']} for the MLP, "
        f"{cnn['epochs']} for the CNN)",
    )
    parser.add_argument(
        "--hidden-dims",
        type=int,
        nargs="*",
        default=None,
        metavar="N",
        help=f"widths of the dense hidden layers (default: {' '.join(map(str, mlp['hidden_dims']))} for the MLP, "
        f"{' '.join(map(str, cnn['hidden_dims']))} for the CNN)",
    )
    parser.add_argument(
        "--batch-size", type=int, default=defaults.batch_size, help="images per optimiser step (default %(default)s)"
    )
    parser.add_argument(
        "--lr",
        type=float,
        default=defaults.lr,
        help="peak SGD learning rate, cosine-decayed to 0 over the run (default %(default)s)",
    )
    parser.add_argument(
        "--momentum", type=float, default=defaults.momentum, help="Nesterov momentum (default %(default)s)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=defaults.seed,
        help="seed for initialisation, shuffling, augmentation and the probe set; "
        "same seed on CPU gives an identical export (default %(default)s)",
    )
    parser.add_argument(
        "--device",
        default=defaults.device,
        help="auto (cuda, then mps, then cpu), cpu, cuda or mps (default %(default)s)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=defaults.threads,
        help="CPU threads for torch; 0 = one per available core (default)",
    )
    parser.add_argument("--skip-train", action="store_true", help="export the untrained network only")
    parser.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        default=defaults.augment,
        help="augment the training digits (default: on; --augment-recipe says how)",
    )
    parser.add_argument(
        "--augment-recipe",
        default=defaults.augment_recipe,
        help="shift: random ±2 px shifts only; distort: also rotation, slant, scale, aspect, "
        "elastic distortion and stroke thickness, redrawn every few epochs (default %(default)s)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=defaults.data_dir,
        help="folder with the four MNIST IDX files (.gz or raw, or torchvision's "
        "MNIST/raw/ inside it); downloaded there when missing (default %(default)s)",
    )
    parser.add_argument(
        "--export-path",
        type=Path,
        default=defaults.export_path,
        help="manifest to write; snapshots go to a folder named after its stem (default %(default)s)",
    )
    parser.add_argument("--max-images", type=int, default=0, help=argparse.SUPPRESS)
    _add_trust_arguments(parser)
    return parser


def _add_trust_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--val-size",
        type=int,
        default=0,
        metavar="N",
        help="hold out N training digits (stratified by class, chosen by the seed) and score them at every "
        "snapshot; the manifest marks the snapshot with the lowest validation loss (default 0: off)",
    )
    parser.add_argument(
        "--early-stop",
        type=int,
        default=0,
        metavar="PATIENCE",
        help="stop when the validation loss has not improved by --min-delta for PATIENCE consecutive "
        "snapshots (needs --val-size; default 0: off)",
    )
    parser.add_argument(
        "--min-delta", type=float, default=0.0, help="improvement --early-stop counts (default %(default)s)"
    )
    parser.add_argument(
        "--checkpoint-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="write last.pt at every dataset multiple, best.pt at every new best validation loss and config.json",
    )
    parser.add_argument(
        "--resume",
        type=Path,
        default=None,
        metavar="DIR",
        help="continue the run whose checkpoints are in DIR (same flags); its export is byte-identical "
        "to an uninterrupted run's",
    )
    parser.add_argument(
        "--tensorboard",
        type=Path,
        default=None,
        metavar="DIR",
        help="write TensorBoard scalars and first-layer weight images into DIR (pip install tensorboard)",
    )


def parse_config(argv: list[str] | None = None) -> TrainConfig:
    args = build_parser().parse_args(argv)
    if args.architecture not in ARCHITECTURES:
        raise ConfigError(f"--architecture must be one of {', '.join(ARCHITECTURES)}, got {args.architecture!r}")
    defaults = ARCHITECTURE_DEFAULTS[args.architecture]
    config = TrainConfig(
        architecture=args.architecture,
        epochs=defaults["epochs"] if args.epochs is None else args.epochs,
        hidden_dims=tuple(defaults["hidden_dims"] if args.hidden_dims is None else args.hidden_dims),
        batch_size=args.batch_size,
        lr=args.lr,
        momentum=args.momentum,
        seed=args.seed,
        device=args.device,
        threads=args.threads,
        skip_train=args.skip_train,
        augment=args.augment,
        augment_recipe=args.augment_recipe,
        data_dir=args.data_dir,
        export_path=args.export_path,
        max_images=args.max_images,
        val_size=args.val_size,
        early_stop=args.early_stop,
        min_delta=args.min_delta,
        checkpoint_dir=args.checkpoint_dir,
        resume=args.resume,
        tensorboard=args.tensorboard,
    )
    validate(config)
    return config


def validate(config: TrainConfig) -> None:
    if config.architecture not in ARCHITECTURES:
        raise ConfigError(f"--architecture must be one of {', '.join(ARCHITECTURES)}, got {config.architecture!r}")
    if config.augment_recipe not in AUGMENT_RECIPES:
        recipes = ", ".join(AUGMENT_RECIPES)
        raise ConfigError(f"--augment-recipe must be one of {recipes}, got {config.augment_recipe!r}")
    if config.epochs < 1:
        raise ConfigError(f"--epochs must be at least 1, got {config.epochs}")
    if config.batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, got {config.batch_size}")
    if not config.hidden_dims:
        raise ConfigError("--hidden-dims needs at least one width (e.g. --hidden-dims 128 64)")
    if any(width < 1 for width in config.hidden_dims):
        raise ConfigError(f"--hidden-dims must all be at least 1, got {list(config.hidden_dims)}")
    if not (math.isfinite(config.lr) and config.lr > 0):
        raise ConfigError(f"--lr must be a positive number, got {config.lr}")
    if not 0 <= config.momentum < 1:
        raise ConfigError(f"--momentum must be in [0, 1), got {config.momentum}")
    if not 0 <= config.seed < 2**31:
        raise ConfigError(f"--seed must be between 0 and 2147483647, got {config.seed}")
    if config.threads < 0:
        raise ConfigError(f"--threads must be 0 (automatic) or more, got {config.threads}")
    if config.max_images < 0:
        raise ConfigError(f"--max-images must be 0 (no limit) or more, got {config.max_images}")
    if config.device not in DEVICES:
        raise ConfigError(f"--device must be one of {', '.join(DEVICES)}, got {config.device!r}")
    _check_export_path(config.export_path)
    _validate_trust_flags(config)


def _validate_trust_flags(config: TrainConfig) -> None:
    if not 0 <= config.val_size <= 50_000:
        raise ConfigError(f"--val-size must be between 0 (off) and 50000, got {config.val_size}")
    if config.early_stop < 0:
        raise ConfigError(f"--early-stop must be 0 (off) or a patience of at least 1 snapshot, got {config.early_stop}")
    if config.early_stop and not config.val_size:
        raise ConfigError("--early-stop needs a validation split: add --val-size N (e.g. --val-size 5000)")
    if not (math.isfinite(config.min_delta) and config.min_delta >= 0):
        raise ConfigError(f"--min-delta must be a number ≥ 0, got {config.min_delta}")
    for key in PATH_FLAGS:
        path = getattr(config, key)
        if path is not None and path.exists() and not path.is_dir():
            raise ConfigError(f"--{key.replace('_', '-')} {str(path)!r} is a file, not a directory")
    if config.resume is not None and not (config.resume / "last.pt").is_file():
        raise ConfigError(f"--resume {str(config.resume)!r} holds no last.pt checkpoint")


def _check_export_path(path: Path) -> None:
    if path.suffix != ".json":
        raise ConfigError(f"--export-path must name a .json manifest, got {str(path)!r}")
    if path.is_dir():
        raise ConfigError(f"--export-path {str(path)!r} is a directory, not a manifest file")
    existing = path.parent
    while not existing.exists():  # the export creates missing parent folders
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"--export-path {str(path)!r} is not writable: {str(existing)!r} is not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(f"--export-path {str(path)!r} is not writable: no write permission in {str(existing)!r}")


def full_epochs(architecture: str) -> int:
    """The length of an architecture's full timeline: its default --epochs."""
    return ARCHITECTURE_DEFAULTS[architecture]["epochs"]


def available_cores() -> int:
    """Cores this process may run on (the affinity mask where the OS has one, e.g. in a
    container limited to 2 of 64 cores): the default thread count."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def fail(message: str, code: int = 2) -> None:
    print(f"mlp_train.py: error: {message}", file=sys.stderr)
    raise SystemExit(code)
