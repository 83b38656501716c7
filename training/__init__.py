"""Train a small MNIST MLP and export its training timeline (see docs/export-format.md)."""
