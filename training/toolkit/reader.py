"""Reading an export (docs/export-format.md) without the training code: the manifest, its
snapshot files (float16 safetensors, checked against the manifest's size and sha256) and
the network of any snapshot as a float32 `nn.Sequential`.

The network is described as a list of layers (`LayerSpec`), so every format version only
has to say how its manifest maps onto that list: version 1 is `model.layer_sizes` (linear
layers `layers.{i}`, the manifest's activation between them); version 2 is the manifest's
own list of layers (`model.layers`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.numpy import load as load_safetensors
from torch import nn

from training.toolkit.errors import ToolError, UsageError
from training.toolkit.paths import DEFAULT_EXPORT

FORMAT = "mnist-mlp-timeline"
SUPPORTED_VERSIONS = (1, 2)
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}
IMAGE_SIDE = 28


@dataclass(frozen=True)
class LayerSpec:
    """One step of the network. `kind`: linear, conv2d, maxpool2d, flatten or an activation
    (relu, tanh, sigmoid, gelu); `tensors`: the prefix of its `weight`/`bias` tensors."""

    kind: str
    tensors: str | None = None
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Network:
    """A snapshot's network in float32 (the float16 values of its file, widened exactly)."""

    model: nn.Sequential  # [n, 784] normalised pixels → [n, 10] logits
    tensors: dict[str, torch.Tensor]  # every tensor of the snapshot file, float32 where float16

    @torch.no_grad()
    def logits(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.model(inputs)

    @torch.no_grad()
    def hidden(self, inputs: torch.Tensor) -> torch.Tensor:
        """The last hidden layer (what the latent map projects): everything but the last linear layer."""
        return self.model[:-1](inputs)

    def first_layer_weights(self) -> torch.Tensor:
        """The first layer's weights: [units, 784] for an MLP, [out, in, k, k] kernels for a CNN."""
        for module in self.model:
            if isinstance(module, (nn.Linear, nn.Conv2d)):
                return module.weight.detach()
        raise ToolError("the network has no weighted layer")


@dataclass(frozen=True)
class DigitSet:
    """The probe or gallery file: raw MNIST pixels with their labels and test-set indices."""

    images: np.ndarray  # uint8 [n, 28, 28]
    labels: np.ndarray  # int [n]
    test_indices: np.ndarray  # int [n]


@dataclass(frozen=True)
class InputSpec:
    scale: float
    mean: float
    std: float


class Export:
    """An export's manifest, validated enough that every command can rely on its fields."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.root = self.path.parent
        self.manifest = _read_manifest(self.path)
        try:
            self.version = self.manifest["format_version"]
            model = self.manifest["model"]
            self.input = InputSpec(
                float(model["input"]["scale"]), float(model["input"]["mean"]), float(model["input"]["std"])
            )
            self.class_names = [str(name) for name in model.get("class_names", range(10))]
            self.layers = layers_v1(model) if self.version == 1 else layers_v2(model)
            self.timeline: list[dict] = list(self.manifest["timeline"])
            for entry in self.timeline:
                _ = (entry["id"], entry["file"], int(entry["images_seen"]))  # every command relies on these
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise ToolError(f"{self.path}: malformed manifest ({_describe(error)})") from error
        if not self.timeline:
            raise ToolError(f"{self.path}: malformed manifest (the timeline is empty)")

    # --- the manifest -------------------------------------------------------------------

    @property
    def model(self) -> dict:
        return self.manifest["model"]

    @property
    def training(self) -> dict:
        return self.manifest.get("training", {})

    @property
    def architecture(self) -> str:
        return str(self.model.get("architecture", "mlp"))

    def describe_architecture(self) -> str:
        if self.version == 1:
            return f"MLP {'-'.join(str(size) for size in self.model['layer_sizes'])}"
        parts = ["784"]
        for layer in self.layers:
            if layer.kind == "conv2d":
                parts.append(f"conv{layer.options.get('out_channels', '')}")
            elif layer.kind == "maxpool2d":
                parts.append("pool")
            elif layer.kind == "linear":
                parts.append(str(layer.options.get("out") or "?"))
        return f"{self.architecture.upper()} {'-'.join(parts)}"

    def snapshot(self, snapshot_id: str | None) -> dict:
        """The timeline entry with this id (the last one when None)."""
        if snapshot_id is None:
            return self.timeline[-1]
        for entry in self.timeline:
            if entry["id"] == snapshot_id:
                return entry
        ids = [entry["id"] for entry in self.timeline]
        shown = ", ".join(ids) if len(ids) <= 12 else ", ".join(ids[:6] + ["…"] + ids[-4:])
        raise UsageError(f"unknown snapshot '{snapshot_id}': {self.path} has {shown}")

    # --- files ----------------------------------------------------------------------------

    def file_path(self, described: dict) -> Path:
        relative = str(described["file"])
        if relative.startswith("/") or ".." in relative.split("/"):
            raise ToolError(f"{self.path}: refuses the file path '{relative}' (must stay beside the manifest)")
        return self.root / relative

    def read_file(self, described: dict) -> bytes:
        """A file the manifest lists, checked against its `bytes` and `sha256` when given."""
        path = self.file_path(described)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ToolError(f"{path}: missing (listed in {self.path.name})") from None
        except OSError as error:
            raise ToolError(f"{path}: cannot read: {error.strerror}") from error
        if "bytes" in described and len(data) != described["bytes"]:
            size = described["bytes"]
            raise ToolError(f"{path}: {len(data)} bytes where the manifest says {size} (truncated or replaced?)")
        if "sha256" in described and hashlib.sha256(data).hexdigest() != described["sha256"]:
            raise ToolError(f"{path}: sha256 differs from the manifest's (the file was changed)")
        return data

    def tensors(self, described: dict) -> dict[str, np.ndarray]:
        data = self.read_file(described)
        try:
            return load_safetensors(data)
        except (SafetensorError, ValueError) as error:
            raise ToolError(f"{self.file_path(described)}: not a valid safetensors file ({error})") from error

    def network(self, entry: dict) -> Network:
        arrays = self.tensors(entry)
        tensors = {
            name: torch.from_numpy(array.astype(np.float32) if array.dtype == np.float16 else array)
            for name, array in arrays.items()
        }
        model = build_model(self.layers, tensors, str(self.file_path(entry)))
        for name in ("latent.mean", "latent.components", "latent.coords"):
            if name in tensors and not torch.isfinite(tensors[name]).all():
                raise ToolError(f"{self.file_path(entry)}: {name} holds NaN or infinity")
        return Network(model.eval(), tensors)

    def latent_coords(self, entry: dict) -> np.ndarray:
        """The probe set's 2D coordinates at this snapshot, float32 [probe, 2]."""
        arrays = self.tensors(entry)
        if "latent.coords" not in arrays:
            raise ToolError(f"{self.file_path(entry)}: has no latent.coords")
        return arrays["latent.coords"].astype(np.float32)

    def digits(self, which: str) -> DigitSet:
        """The probe ('probe') or gallery ('gallery') digits."""
        if which not in self.manifest:
            raise ToolError(f"{self.path}: the export has no {which} file")
        arrays = self.tensors(self.manifest[which])
        try:
            return DigitSet(
                arrays["images"].astype(np.uint8),
                arrays["labels"].astype(np.int64),
                arrays["test_indices"].astype(np.int64),
            )
        except KeyError as error:
            raise ToolError(f"{self.file_path(self.manifest[which])}: missing tensor {error}") from error


def open_export(path: Path | str | None) -> Export:
    return Export(Path(path) if path is not None else DEFAULT_EXPORT)


def _read_manifest(path: Path) -> dict:
    if path.suffix != ".json":
        raise UsageError(f"{path}: an export is named by its .json manifest")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ToolError(f"{path}: no such export (missing manifest)") from None
    except IsADirectoryError:
        raise ToolError(f"{path}: is a directory, not a manifest") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ToolError(f"{path}: cannot read the manifest ({error})") from error
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as error:
        raise ToolError(f"{path}: not JSON ({error.msg} at line {error.lineno})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ToolError(f"{path}: not an export manifest (format is not '{FORMAT}')")
    if manifest.get("format_version") not in SUPPORTED_VERSIONS:
        raise ToolError(
            f"{path}: format version {manifest.get('format_version')!r} is not supported "
            f"(this toolkit reads versions {', '.join(map(str, SUPPORTED_VERSIONS))})"
        )
    return manifest


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing field {error}"
    return str(error) or type(error).__name__


# --- the layer list of each format version ------------------------------------------------


def layers_v1(model: dict) -> list[LayerSpec]:
    """Version 1: `layer_sizes` [784, …, 10], linear layers `layers.{i}`, one activation per
    non-input layer (the last, softmax, is applied to the logits by whoever reads them)."""
    sizes = [int(size) for size in model["layer_sizes"]]
    activations = list(model.get("activations", ["relu"] * (len(sizes) - 2) + ["softmax"]))
    if len(sizes) < 2 or sizes[0] != IMAGE_SIDE * IMAGE_SIDE or min(sizes) < 1:
        raise ValueError(f"layer_sizes {sizes} must start at 784 and hold sizes ≥ 1")
    if len(activations) != len(sizes) - 1:
        raise ValueError(f"{len(activations)} activations for {len(sizes) - 1} layers")
    layers: list[LayerSpec] = []
    for index, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(LayerSpec("linear", f"layers.{index}", {"in": n_in, "out": n_out}))
        if index < len(sizes) - 2:
            layers.append(_activation(activations[index]))
    return layers


def layers_v2(model: dict) -> list[LayerSpec]:
    """Version 2: `model.layers`, in order: conv2d, maxpool2d, flatten or linear, each with
    its tensors named in `weight` / `bias` (bias may be null) and an optional `activation`
    applied to its output. The input is the 784 pixels seen as the first layer's
    `input_shape` ([1, 28, 28] before a conv2d, max-pool or flatten)."""
    entries = model["layers"]
    if not isinstance(entries, list) or not entries:
        raise ValueError("model.layers must be a non-empty list")
    layers: list[LayerSpec] = []
    for position, entry in enumerate(entries):
        kind = str(entry["type"])
        if kind not in ("conv2d", "maxpool2d", "flatten", "linear"):
            raise ValueError(f"model.layers[{position}]: unsupported type '{kind}'")
        options = {key: value for key, value in entry.items() if key not in ("type", "activation")}
        if kind in ("conv2d", "linear"):
            options.setdefault("weight", f"layers.{position}.weight")
            if kind == "linear":
                options.setdefault("in", entry.get("in_features"))
                options.setdefault("out", entry.get("out_features"))
        layers.append(LayerSpec(kind, None, options))
        if entry.get("activation") is not None:
            layers.append(_activation(entry["activation"]))
    if layers[-1].kind != "linear":
        raise ValueError("the last layer must be linear (the logits)")
    return layers


def _activation(name: str) -> LayerSpec:
    name = str(name).lower()
    if name not in ACTIVATIONS:
        raise ValueError(f"unsupported activation '{name}' (supported: {', '.join(ACTIVATIONS)})")
    return LayerSpec(name)


def _pair(value, default: int) -> tuple[int, int]:
    if value is None:
        return default, default
    if isinstance(value, (list, tuple)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def build_model(layers: list[LayerSpec], tensors: dict[str, torch.Tensor], source: str) -> nn.Sequential:
    """The float32 network of one snapshot: the layer list filled with the file's tensors.
    Takes [n, 784] normalised pixels (reshaped to [n, 1, 28, 28] before a first convolution)."""
    modules: list[nn.Module] = []
    if layers[0].kind in ("conv2d", "maxpool2d", "flatten"):  # the pixels as one 28×28 channel
        shape = tuple(int(size) for size in layers[0].options.get("input_shape", (1, IMAGE_SIDE, IMAGE_SIDE)))
        modules.append(nn.Unflatten(1, shape))
    for layer in layers:
        if layer.kind in ACTIVATIONS:
            modules.append(ACTIVATIONS[layer.kind]())
        elif layer.kind == "flatten":
            modules.append(nn.Flatten())
        elif layer.kind == "maxpool2d":
            options = layer.options
            size = _pair(options.get("kernel_size", options.get("size")), 2)
            modules.append(nn.MaxPool2d(size, stride=_pair(options.get("stride"), size[0])))
        elif layer.kind in ("linear", "conv2d"):
            modules.append(_weighted(layer, tensors, source))
        else:
            raise ToolError(f"{source}: unsupported layer type '{layer.kind}'")
    return nn.Sequential(*modules)


def _weighted(layer: LayerSpec, tensors: dict[str, torch.Tensor], source: str) -> nn.Module:
    if layer.tensors is not None:  # version 1: layers.{i}.weight and .bias, both always there
        weight_name, bias_name = f"{layer.tensors}.weight", f"{layer.tensors}.bias"
    else:  # version 2: the layer names its tensors; a null bias means none
        weight_name, bias_name = str(layer.options["weight"]), layer.options.get("bias")
    if weight_name not in tensors:
        raise ToolError(f"{source}: missing tensor {weight_name}")
    if bias_name is not None and bias_name not in tensors:
        raise ToolError(f"{source}: missing tensor {bias_name}")
    weight = tensors[weight_name].float()
    bias = tensors[bias_name].float() if bias_name is not None else None
    if layer.kind == "linear":
        if weight.ndim != 2:
            raise ToolError(f"{source}: {weight_name} has shape {list(weight.shape)}, expected [out, in]")
        expected = [layer.options.get("out") or weight.shape[0], layer.options.get("in") or weight.shape[1]]
        if list(weight.shape) != [int(value) for value in expected]:
            raise ToolError(f"{source}: {weight_name} has shape {list(weight.shape)}, expected {expected}")
        module: nn.Module = nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None)
    else:
        if weight.ndim != 4:
            raise ToolError(f"{source}: {weight_name} has shape {list(weight.shape)}, expected [out, in, kh, kw]")
        options = layer.options
        expected = [options.get("out_channels") or weight.shape[0], options.get("in_channels") or weight.shape[1]]
        kernel = options.get("kernel_size")
        if [int(value) for value in expected] != list(weight.shape[:2]) or (
            kernel is not None and list(weight.shape[2:]) != list(_pair(kernel, 0))
        ):
            raise ToolError(f"{source}: {weight_name} has shape {list(weight.shape)}, not the manifest's conv2d layer")
        module = nn.Conv2d(
            weight.shape[1],
            weight.shape[0],
            tuple(weight.shape[2:]),
            stride=_pair(options.get("stride"), 1),
            padding=_pair(options.get("padding"), 0),
            bias=bias is not None,
        )
    if bias is not None and list(bias.shape) != [weight.shape[0]]:
        raise ToolError(f"{source}: {bias_name} has shape {list(bias.shape)}, expected [{weight.shape[0]}]")
    for name, value in ((weight_name, weight), (bias_name, bias)):
        if value is not None and not torch.isfinite(value).all():
            raise ToolError(f"{source}: {name} holds NaN or infinity")
    with torch.no_grad():
        module.weight.copy_(weight)
        if bias is not None:
            module.bias.copy_(bias)
    return module


def parameter_count(model: nn.Module) -> int:
    return sum(parameter.numel() for parameter in model.parameters())
