"""`python -m training <command>`: predict, evaluate, info, report, video, onnx, train
(see training/toolkit/cli.py and the README's "Command line")."""

import sys

from training.toolkit.cli import main

sys.exit(main())
