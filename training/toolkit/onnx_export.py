"""`onnx OUT.onnx`: a snapshot's network as ONNX, checked with onnxruntime against PyTorch
on the 10,000 MNIST test digits before anything is written.

The graph takes `input`: float32 [batch, 784], the normalised pixels (x / scale − mean) / std
of `model.input` (stored in the model's metadata too), and returns `logits`: float32
[batch, 10]. Opset 17 (ONNX 1.12, 2022): every maintained runtime reads it. Exported with
PyTorch's TorchScript-based exporter (`dynamo=False`), which needs nothing beyond torch
and onnx and writes IR version 8 (older runtimes load it too)."""

from __future__ import annotations

import argparse
import io
import json
import warnings

import numpy as np
import torch

from training.toolkit import ui
from training.toolkit.atomic import check_output_file, write_bytes
from training.toolkit.errors import ToolError
from training.toolkit.mnist import load_test_set
from training.toolkit.reader import Export, open_export

OPSET = 17
TOLERANCE = 1e-4  # max |logit difference| between onnxruntime and PyTorch


def export_onnx(export: Export, entry: dict) -> tuple[bytes, torch.nn.Module]:
    network = export.network(entry)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
        torch.onnx.export(
            network.model,
            (torch.zeros(2, 784),),
            buffer,
            dynamo=False,
            opset_version=OPSET,
            input_names=["input"],
            output_names=["logits"],
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        )
    import onnx

    model = onnx.load_from_string(buffer.getvalue())
    model.doc_string = (
        f"{export.describe_architecture()} from {export.path.name}, snapshot {entry['id']} "
        f"({entry.get('label', '')}). input: float32 [batch, 784] = (pixel / {export.input.scale:g} - "
        f"{export.input.mean}) / {export.input.std}, MNIST-style (white digit on black, 20x20 box centred "
        "by centre of mass in 28x28); output: logits [batch, 10]."
    )
    metadata = {
        "source_export": export.path.name,
        "snapshot_id": str(entry["id"]),
        "images_seen": str(entry["images_seen"]),
        "input_scale": f"{export.input.scale:g}",
        "input_mean": str(export.input.mean),
        "input_std": str(export.input.std),
        "class_names": json.dumps(export.class_names),
    }
    for key, value in metadata.items():
        prop = model.metadata_props.add()
        prop.key, prop.value = key, value
    onnx.checker.check_model(model, full_check=True)
    return model.SerializeToString(), network.model


def verify(payload: bytes, model: torch.nn.Module, inputs: torch.Tensor) -> tuple[float, np.ndarray]:
    """(max |logit difference|, onnxruntime's logits) on `inputs`."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(payload, options, providers=["CPUExecutionProvider"])
    runtime = session.run(["logits"], {"input": inputs.numpy()})[0]
    with torch.no_grad():
        reference = model(inputs).numpy()
    return float(np.abs(runtime - reference).max()), runtime


def onnx_command(args: argparse.Namespace) -> int:
    check_output_file(args.out, ".onnx")
    export = open_export(args.export)
    entry = export.snapshot(args.snapshot)
    test_set = load_test_set(args.data_dir)
    with ui.err.status("exporting and checking with onnxruntime…"):
        payload, model = export_onnx(export, entry)
        inputs = test_set.normalised(export.input)
        difference, logits = verify(payload, model, inputs)
    if not difference <= TOLERANCE:
        raise ToolError(
            f"onnxruntime differs from PyTorch by up to {difference:.3g} on the test digits "
            f"(allowed {TOLERANCE:g}); {args.out} was not written"
        )
    accuracy = float((logits.argmax(axis=1) == test_set.labels).mean())
    write_bytes(args.out, payload)
    ui.out.print(
        f"[green]✓[/] {ui.shown_path(args.out)}: {export.describe_architecture()} at {entry['id']}, "
        f"opset {OPSET}, {ui.human_bytes(len(payload))}"
    )
    ui.out.print(
        f"  checked with onnxruntime on {len(inputs):,} test digits: max |logit difference| {difference:.2e} "
        f"(≤ {TOLERANCE:g}), accuracy {ui.percent(accuracy)}"
    )
    ui.out.print(
        f"  input 'input' float32 [batch, 784] = (pixel / {export.input.scale:g} − {export.input.mean}) / "
        f"{export.input.std}; output 'logits' float32 [batch, 10]",
        markup=False,
    )
    return 0
