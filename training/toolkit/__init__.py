"""The command-line toolkit on exports: `python -m training <command>` (predict, evaluate,
info, report, video, onnx). Reads any export through `reader`, never the training code's
own model classes, so it works on every format version it knows."""
