"""Train a small MNIST MLP or CNN, or record your own nn.Sequential, and export the training
timeline (see docs/export-format.md; the public recording API is training/recording.py)."""
