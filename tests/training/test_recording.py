"""The public recording API (training/recording.py) on models that are not ours, trained
by loops written here as a user would write them: a 3-layer tanh MLP fed flat [n, 784]
digits scaled to [0, 1] (Adam), and a conv → conv → linear network with Dropout and a
final LogSoftmax fed [n, 1, 28, 28] digits normalised to [-1, 1] (SGD, NLLLoss). Their
exports must validate, load back equal to the models' weights within float16 precision,
compute what the models compute, and carry metrics that the float16 files reproduce.
Models that cannot be recorded get one error each and nothing is written."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file
from torch import nn
from train_export_checks import check_export, export_digest, manifest_forward

from training.normalisation import normalise
from training.recording import TimelineRecorder, UnsupportedModelError

pytestmark = pytest.mark.slow  # trains on real MNIST

TRAIN_IMAGES = 3000  # the users' own training set: the first 3,000 MNIST training digits


def tanh_mlp() -> nn.Sequential:
    return nn.Sequential(nn.Linear(784, 48), nn.Tanh(), nn.Linear(48, 24), nn.Tanh(), nn.Linear(24, 10))


def conv_conv_linear() -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, stride=2, padding=1),
        nn.ReLU(),
        nn.Dropout(0.1),
        nn.Conv2d(4, 8, 3, padding="same"),
        nn.GELU(),
        nn.Flatten(),
        nn.Linear(8 * 14 * 14, 10),
        nn.LogSoftmax(dim=1),
    )


@dataclass(frozen=True)
class Recorded:
    model: nn.Sequential
    manifest_path: Path
    manifest: dict
    mean: float
    std: float
    steps: list[int]  # images seen after each optimiser step


def user_training_loop(model, images, labels, recorder, *, epochs, batch_size, optimiser, loss_function) -> list[int]:
    """An ordinary training loop; the only recording lines are recorder.step and close."""
    generator = torch.Generator().manual_seed(0)
    seen, steps = 0, []
    for _ in range(epochs):
        order = torch.randperm(len(images), generator=generator)
        for start in range(0, len(images), batch_size):
            batch = order[start : start + batch_size]
            optimiser.zero_grad()
            loss = loss_function(model(images[batch]), labels[batch])
            loss.backward()
            optimiser.step()
            seen += len(batch)
            steps.append(seen)
            recorder.step(seen, loss.item())
    recorder.close()
    return steps


@pytest.fixture(scope="module")
def recorded(tmp_path_factory, mnist_dir, mnist) -> dict[str, Recorded]:
    folder = tmp_path_factory.mktemp("recorded")
    labels = torch.from_numpy(mnist.train_labels[:TRAIN_IMAGES].astype(np.int64))
    raw = torch.from_numpy(mnist.train_images[:TRAIN_IMAGES]).float()
    runs = {}

    torch.manual_seed(1)
    model = tanh_mlp()
    path = folder / "tanh_mlp.json"
    recorder = TimelineRecorder(
        model,
        path,
        data_dir=mnist_dir,
        mean=0.0,
        std=1.0,
        train_size=TRAIN_IMAGES,
        architecture="tanh-mlp",
        training={"optimizer": {"name": "adam", "lr": 1e-3}, "config": {"batch_size": 64}},
    )
    steps = user_training_loop(
        model,
        raw.reshape(-1, 784) / 255,
        labels,
        recorder,
        epochs=2,
        batch_size=64,
        optimiser=torch.optim.Adam(model.parameters(), lr=1e-3),
        loss_function=nn.functional.cross_entropy,
    )
    runs["tanh_mlp"] = Recorded(model, path, json.loads(path.read_text()), 0.0, 1.0, steps)

    torch.manual_seed(2)
    model = conv_conv_linear()
    path = folder / "conv_net.json"
    with TimelineRecorder(model, path, data_dir=mnist_dir, mean=0.5, std=0.5) as recorder:
        steps = user_training_loop(
            model,
            ((raw / 255 - 0.5) / 0.5).reshape(-1, 1, 28, 28),
            labels,
            recorder,
            epochs=1,
            batch_size=100,
            optimiser=torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
            loss_function=nn.functional.nll_loss,
        )
    runs["conv_net"] = Recorded(model, path, json.loads(path.read_text()), 0.5, 0.5, steps)
    return runs


MODELS = ["tanh_mlp", "conv_net"]


@pytest.mark.parametrize("name", MODELS)
def test_export_validates_against_the_schema_and_its_rules(recorded, name):
    run = recorded[name]
    manifest = check_export(run.manifest_path)
    assert manifest["format_version"] == 2
    assert manifest["model"]["parameter_count"] == sum(p.numel() for p in run.model.parameters())
    assert manifest["model"]["input"] | {"mean": run.mean, "std": run.std} == manifest["model"]["input"]
    assert manifest["training"]["completed"] is True and manifest["training"]["stopped_early_note"] is None
    assert manifest["loss_history"]["images_seen"][-1] == run.steps[-1] == manifest["timeline"][-1]["images_seen"]


def test_layer_lists_fold_activations_and_skip_dropout_and_log_softmax(recorded):
    mlp = recorded["tanh_mlp"].manifest
    assert [(layer["type"], layer["module"], layer["activation"]) for layer in mlp["model"]["layers"]] == [
        ("linear", "0", "tanh"),
        ("linear", "2", "tanh"),
        ("linear", "4", None),
    ]
    assert mlp["model"]["layers"][0]["input_shape"] == [784] and mlp["latent"]["layer"] == 1
    assert mlp["model"]["architecture"] == "tanh-mlp" and mlp["training"]["optimizer"]["name"] == "adam"
    conv = recorded["conv_net"].manifest
    layers = conv["model"]["layers"]
    assert [(layer["type"], layer["module"], layer["activation"]) for layer in layers] == [
        ("conv2d", "0", "relu"),
        ("conv2d", "3", "gelu"),
        ("flatten", "5", None),
        ("linear", "6", None),
    ]
    assert [layer["output_shape"] for layer in layers] == [[4, 14, 14], [8, 14, 14], [1568], [10]]
    assert (layers[0]["stride"], layers[0]["padding"], layers[1]["padding"]) == (2, 1, 1)
    assert conv["model"]["architecture"] == "sequential" and conv["latent"]["layer"] == 2  # the flattened maps


@pytest.mark.parametrize("name", MODELS)
def test_snapshots_load_back_equal_to_the_model_weights(recorded, name):
    run = recorded[name]
    tensors = load_file(run.manifest_path.parent / run.manifest["timeline"][-1]["file"])
    state = run.model.state_dict()
    named = {
        f"{layer['module']}.{kind}": layer[kind]
        for layer in run.manifest["model"]["layers"]
        for kind in ("weight", "bias")
        if layer.get(kind)
    }
    assert sorted(named) == sorted(state), "every parameter of the model is exported, nothing else"
    for parameter, tensor_name in named.items():
        stored = tensors[tensor_name]
        assert stored.dtype == torch.float16 and stored.shape == state[parameter].shape
        torch.testing.assert_close(stored.float(), state[parameter], rtol=2**-10, atol=2**-24)


@pytest.mark.parametrize("name", MODELS)
def test_the_layer_list_computes_what_the_model_computes(recorded, name, mnist):
    run = recorded[name]
    root = run.manifest_path.parent
    images = normalise(mnist.test_images[:300], mean=run.mean, std=run.std)
    layers = run.manifest["model"]["layers"]
    for entry in run.manifest["timeline"][:: max(1, len(run.manifest["timeline"]) // 3)]:
        tensors = load_file(root / entry["file"])
        model = copy.deepcopy(run.model).eval()  # eval: Dropout off, as in the export
        model.load_state_dict(
            {
                f"{layer['module']}.{k}": tensors[layer[k]].float()
                for layer in layers
                for k in ("weight", "bias")
                if layer.get(k)
            }
        )
        with torch.no_grad():
            expected = model(images.reshape(len(images), *layers[0]["input_shape"]))
        got = manifest_forward(run.manifest, tensors, images)
        torch.testing.assert_close(torch.softmax(got, 1), torch.softmax(expected, 1), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", MODELS)
def test_metrics_match_the_stored_weights_on_the_real_test_set(recorded, name, mnist):
    run = recorded[name]
    images = normalise(mnist.test_images, mean=run.mean, std=run.std)
    labels = torch.from_numpy(mnist.test_labels.astype(np.int64))
    for entry in run.manifest["timeline"]:
        logits = manifest_forward(run.manifest, load_file(run.manifest_path.parent / entry["file"]), images)
        predicted = logits.argmax(dim=1)
        assert entry["metrics"]["test_accuracy"] == (predicted == labels).double().mean().item(), entry["id"]
        assert abs(entry["metrics"]["test_loss"] - nn.functional.cross_entropy(logits, labels).item()) < 1e-4
    assert run.manifest["timeline"][-1]["metrics"]["test_accuracy"] > 0.8


@pytest.mark.parametrize("name", MODELS)
def test_snapshots_are_taken_at_the_first_step_reaching_each_target(recorded, name):
    """A user's loop does not split batches: a snapshot is due at the first step at or
    past each target (50, 120, 250, …), named by the images really seen."""
    run = recorded[name]
    train_size = run.manifest["training"]["dataset"]["train_size"]
    targets = [50, 120, 250, 500, 1000, 2000, 3500, 5800]
    expected = sorted({next(s for s in run.steps if s >= t) for t in targets if t <= run.steps[-1]} | {run.steps[-1]})
    timeline = run.manifest["timeline"]
    assert [entry["images_seen"] for entry in timeline] == [0, *expected]
    for entry in timeline[1:]:
        multiple, rest = divmod(entry["images_seen"], train_size)
        assert entry["id"] == (f"ep{multiple}" if rest == 0 else f"img{entry['images_seen']}")
        assert entry["step"] == run.steps.index(entry["images_seen"]) + 1


def test_latent_map_of_maps_wider_than_the_probe_set(recorded, mnist):
    """conv → conv → linear: the latent layer is the 1,568 flattened maps, more than the
    1,000 probe digits (the projection takes the Gram-matrix route)."""
    run = recorded["conv_net"]
    root = run.manifest_path.parent
    probe = load_file(root / run.manifest["probe"]["file"])
    images = normalise(probe["images"].numpy(), mean=run.mean, std=run.std)
    for entry in run.manifest["timeline"]:
        tensors = load_file(root / entry["file"])
        hidden = manifest_forward(run.manifest, tensors, images, upto=2).double()
        assert hidden.shape == (1000, 1568)
        coords = (hidden - tensors["latent.mean"].double()) @ tensors["latent.components"].double().T
        assert (coords - tensors["latent.coords"].double()).abs().max().item() < 2e-3
        assert 0.5 < tensors["latent.coords"].double().abs().max().item() <= 1.001


UNSUPPORTED = {
    "batch norm": (
        lambda: nn.Sequential(nn.Conv2d(1, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(), nn.Linear(5408, 10)),
        "cannot record layer 1, BatchNorm2d(8, eps=1e-05",
    ),
    "not a Sequential": (lambda: Net(), "cannot record a Net: a recorded model is a torch.nn.Sequential"),
    "three input channels": (
        lambda: nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(5408, 10)),
        "layer 0, Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1)): wrong input size: it takes 3 channels, but a "
        "digit is one grey 28×28 channel",
    ),
    "wrong input size": (
        lambda: nn.Sequential(nn.Linear(100, 32), nn.ReLU(), nn.Linear(32, 10)),
        "it takes 100 inputs, but a digit has 784 pixels (28×28)",
    ),
    "wrong output size": (
        lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 5)),
        "its last layer 3 gives 5 outputs, a digit classifier ends with 10 logits",
    ),
    "linear on maps": (
        lambda: nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Linear(26, 10)),
        "layer 2, Linear(in_features=26, out_features=10, bias=True): it receives 4×26×26 maps from the layer "
        "before: put nn.Flatten() before it",
    ),
    "linear on maps, matching widths": (  # PyTorch runs it (a Linear over the rows of every map)
        lambda: nn.Sequential(nn.Conv2d(1, 26, 3), nn.ReLU(), nn.Linear(26, 10)),
        "it receives 26×26×26 maps from the layer before: put nn.Flatten() before it",
    ),
    "softmax output": (
        lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10), nn.Softmax(dim=1)),
        "layer 4, Softmax(dim=1): only a final LogSoftmax is supported",
    ),
    "average pooling": (
        lambda: nn.Sequential(nn.Conv2d(1, 4, 3), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(676, 10)),
        "layer 1, AvgPool2d(kernel_size=2, stride=2, padding=0): this kind of layer is not supported",
    ),
    "activation first": (
        lambda: nn.Sequential(nn.ReLU(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10)),
        "layer 0, ReLU(): an activation cannot be the first layer",
    ),
    "no hidden layer": (lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 10)), "it needs a hidden layer"),
    "tanh-approximated GELU": (
        lambda: nn.Sequential(nn.Linear(784, 32), nn.GELU(approximate="tanh"), nn.Linear(32, 10)),
        "only the exact GELU (approximate='none') is supported",
    ),
}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(784, 32), nn.Linear(32, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


@pytest.mark.parametrize(("build", "message"), UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_unsupported_models_get_one_clear_error_and_nothing_is_written(build, message, tmp_path):
    export_path = tmp_path / "exports" / "model.json"
    with pytest.raises(UnsupportedModelError) as error:
        TimelineRecorder(build(), export_path, data_dir=tmp_path / "mnist")  # no MNIST there: never read
    text = str(error.value)
    assert message in text and "\n" not in text
    assert (
        text.endswith(
            "a recorded model is a torch.nn.Sequential of Conv2d, MaxPool2d, Flatten and Linear layers and the "
            "activations ReLU, Tanh, Sigmoid and GELU, taking one 28×28 digit and giving 10 logits "
            "(Dropout, Identity and a final LogSoftmax are skipped at export)"
        )
        or "Put its layers in nn.Sequential" in text
    )
    assert list(tmp_path.iterdir()) == []


def test_nested_sequentials_and_layers_without_bias(mnist, tmp_path):
    model = nn.Sequential(
        nn.Sequential(nn.Conv2d(1, 4, 5, bias=False), nn.ReLU(), nn.MaxPool2d(2)),
        nn.Flatten(),
        nn.Sequential(nn.Identity(), nn.Linear(576, 16), nn.Sigmoid(), nn.Linear(16, 10)),
    )
    recorder = TimelineRecorder(model, tmp_path / "nested.json", mnist=mnist)
    manifest = recorder.close()
    layers = manifest["model"]["layers"]
    assert [layer["module"] for layer in layers] == ["0.0", "0.2", "1", "2.1", "2.3"]
    assert layers[3]["activation"] == "sigmoid"
    assert (layers[0]["weight"], layers[0]["bias"]) == ("layers.0.weight", None)
    assert [entry["id"] for entry in manifest["timeline"]] == ["init"]
    check_export(tmp_path / "nested.json")  # expects exactly the tensors named: no bias for layer 0
    assert "layers.0.bias" not in load_file(tmp_path / manifest["timeline"][0]["file"])


def test_a_loop_that_fails_writes_nothing_and_keeps_the_previous_export(recorded, mnist, tmp_path):
    previous = recorded["tanh_mlp"].manifest_path
    before = export_digest(previous)
    with pytest.raises(RuntimeError, match="out of memory"), TimelineRecorder(tanh_mlp(), previous, mnist=mnist) as rec:
        rec.step(64, 2.3)
        raise RuntimeError("CUDA out of memory")
    assert export_digest(previous) == before
    assert sorted(p.name for p in previous.parent.iterdir() if p.name.startswith(".")) == []


def test_recorder_refuses_misuse_with_a_clear_message(mnist, tmp_path):
    recorder = TimelineRecorder(tanh_mlp(), tmp_path / "m.json", mnist=mnist)
    assert recorder.step(30, 2.3) is False and recorder.step(60, 2.2) is True  # 60 ≥ the first target, 50
    with pytest.raises(ValueError, match="images_seen must grow with every step: got 60 after 60"):
        recorder.step(60)
    with pytest.raises(TypeError, match="images_seen must be a whole number of images, got 70.5"):
        recorder.step(70.5)
    with pytest.raises(ValueError, match="a snapshot at 60 images comes after the one at 60"):
        recorder.snapshot(60)
    recorder.close()
    with pytest.raises(RuntimeError, match="closed"):
        recorder.step(100)
    with pytest.raises(ValueError, match="export_path must name a .json manifest"):
        TimelineRecorder(tanh_mlp(), tmp_path / "m.txt", mnist=mnist)
    with pytest.raises(ValueError, match="training= may not set completed"):
        TimelineRecorder(tanh_mlp(), tmp_path / "m.json", mnist=mnist, training={"completed": False})


def test_loss_history_keeps_at_most_3000_image_weighted_points(mnist, tmp_path):
    recorder = TimelineRecorder(tanh_mlp(), tmp_path / "m.json", mnist=mnist, train_size=100_000)
    seen = 0
    for step in range(7000):  # batches of 1 and 3 images, losses 1 and 2
        seen += 1 + 2 * (step % 2)
        recorder.step(seen, torch.tensor(1.0 + step % 2))
    history = recorder.close()["loss_history"]
    assert len(history["loss"]) == 2334  # windows of ceil(7000 / 3000) = 3 steps
    assert history["images_seen"][:2] == [5, 12] and history["images_seen"][-1] == seen
    assert history["loss"][:2] == [round((1 + 6 + 1) / 5, 5), round((2 * 3 + 1 + 2 * 3) / 7, 5)]


def test_the_readme_example_runs_and_writes_a_valid_export(mnist_dir, tmp_path):
    """The README's "Your own model" example, with its paths pointed here and its two
    epochs cut to 1,280 images."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Your own model") :]
    code = section[section.index("```python\n") + len("```python\n") : section.index("\n```\n")]
    export_path = tmp_path / "exports" / "my_cnn.json"
    for old, new in [
        ('"data/mnist"', repr(str(mnist_dir))),
        ('"exports/my_cnn.json"', repr(str(export_path))),
        ("range(2)", "range(1)"),
        ("torch.randperm(len(labels)).split(64)", "torch.randperm(len(labels))[:1280].split(64)"),
    ]:
        assert old in code, old
        code = code.replace(old, new)
    assert 20 <= len(code.splitlines()) <= 30
    exec(compile(code, "README.md example", "exec"), {})
    manifest = check_export(export_path)
    assert [layer["type"] for layer in manifest["model"]["layers"]] == [
        "conv2d", "maxpool2d", "conv2d", "maxpool2d", "flatten", "linear", "linear",
    ]  # fmt: skip
    assert manifest["timeline"][-1]["id"] == "img1280" and manifest["model"]["input"]["std"] == 1.0
