"""Default locations (kept free of heavy imports so that --help answers at once)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The repository's own export, whatever the current folder (python -m training works from
# anywhere once the package is installed with pip install -e .).
DEFAULT_EXPORT = REPO / "exports" / "mlp_weights.json"
# As training/mlp_train.py's --data-dir: relative to the folder the command runs in.
DEFAULT_DATA_DIR = Path("data/mnist")
