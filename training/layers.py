"""A torch.nn.Sequential digit classifier as the export's layer list (docs/export-format.md,
version 2), and the forward pass over that list that the page repeats in the browser.

`describe(model)` checks the model once, before anything is recorded: every module is
supported, the input is one 28×28 digit and the output 10 logits. A model that breaks
a rule gets one `UnsupportedModelError` naming the layer and what is supported."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NoReturn

import torch
from torch import nn
from torch.nn import functional as F

NUM_CLASSES = 10
DIGIT_SHAPE = (1, 28, 28)
INPUT_SIZE = math.prod(DIGIT_SHAPE)

SUPPORTED = (
    "a recorded model is a torch.nn.Sequential of Conv2d, MaxPool2d, Flatten and Linear layers and the "
    "activations ReLU, Tanh, Sigmoid and GELU, taking one 28×28 digit and giving 10 logits "
    "(Dropout, Identity and a final LogSoftmax are skipped at export)"
)
ACTIVATIONS = {nn.ReLU: "relu", nn.Tanh: "tanh", nn.Sigmoid: "sigmoid", nn.GELU: "gelu"}
SKIPPED = (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout, nn.FeatureAlphaDropout, nn.Identity)
ACTIVATION_FUNCTIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "gelu": F.gelu}


class UnsupportedModelError(ValueError):
    """The model cannot be recorded; the message names the layer and what is supported."""


@dataclass
class Layer:
    """One entry of the manifest's `model.layers`; `module` is the live PyTorch module
    whose parameters a snapshot copies (None for flatten)."""

    type: str
    module_name: str
    module: nn.Module | None
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    options: dict = field(default_factory=dict)  # kernel_size, stride, padding, in/out sizes
    activation: str | None = None

    @property
    def has_weights(self) -> bool:
        return self.type in ("conv2d", "linear")

    @property
    def has_bias(self) -> bool:
        return self.has_weights and self.module.bias is not None

    def tensor_names(self, index: int) -> dict[str, str | None]:
        if not self.has_weights:
            return {}
        return {"weight": f"layers.{index}.weight", "bias": f"layers.{index}.bias" if self.has_bias else None}

    def to_json(self, index: int) -> dict:
        return {
            "type": self.type,
            "module": self.module_name,
            "input_shape": list(self.input_shape),
            "output_shape": list(self.output_shape),
            **self.options,
            **self.tensor_names(index),
            "activation": self.activation,
        }


@dataclass
class ModelDescription:
    layers: list[Layer]
    latent_layer: int  # index of the layer whose output the latent map is made of

    def to_json(self) -> list[dict]:
        return [layer.to_json(index) for index, layer in enumerate(self.layers)]

    def parameters(self) -> dict[str, torch.Tensor]:
        """The live parameters by export tensor name (`layers.{k}.weight`, `layers.{k}.bias`)."""
        tensors = {}
        for index, layer in enumerate(self.layers):
            names = layer.tensor_names(index)
            if names:
                tensors[names["weight"]] = layer.module.weight
                if names["bias"]:
                    tensors[names["bias"]] = layer.module.bias
        return tensors

    def parameter_count(self) -> int:
        return sum(tensor.numel() for tensor in self.parameters().values())

    @property
    def latent_size(self) -> int:
        return math.prod(self.layers[self.latent_layer].output_shape)


def describe(model: nn.Module) -> ModelDescription:
    """The layer list of `model`, or one UnsupportedModelError."""
    if not isinstance(model, nn.Sequential):
        raise UnsupportedModelError(
            f"cannot record a {type(model).__name__}: {SUPPORTED}. Put its layers in nn.Sequential(...) "
            "and do any other preprocessing outside the model"
        )
    modules = list(_leaf_modules(model, ""))
    kept = [(name, module) for name, module in modules if not isinstance(module, SKIPPED)]
    if kept and isinstance(kept[-1][1], nn.LogSoftmax):
        name, module = kept.pop()
        if module.dim not in (1, -1):
            _refuse(name, module, "a final LogSoftmax must be over the classes (dim=1)")
    layers: list[Layer] = []
    for name, module in kept:
        activation = _activation_name(name, module)
        if activation is not None:
            if not layers:
                _refuse(name, module, "an activation cannot be the first layer: it needs a layer before it")
            if layers[-1].activation is not None:
                _refuse(name, module, f"two activations in a row ({layers[-1].activation}, then {activation})")
            layers[-1].activation = activation
            continue
        shape = layers[-1].output_shape if layers else _input_shape(module)
        layers.append(_describe_layer(name, module, shape, first=not layers))
    return ModelDescription(layers, _latent_layer(layers))


def _leaf_modules(sequential: nn.Sequential, prefix: str) -> Iterator[tuple[str, nn.Module]]:
    for name, module in sequential.named_children():
        if isinstance(module, nn.Sequential):
            yield from _leaf_modules(module, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", module


def _refuse(name: str, module: nn.Module, reason: str) -> NoReturn:
    raise UnsupportedModelError(f"cannot record layer {name}, {module!r}: {reason}; {SUPPORTED}")


def _activation_name(name: str, module: nn.Module) -> str | None:
    for kind, activation in ACTIVATIONS.items():
        if type(module) is kind:
            if activation == "gelu" and module.approximate != "none":
                _refuse(name, module, "only the exact GELU (approximate='none') is supported")
            return activation
    return None


def _input_shape(first: nn.Module) -> tuple[int, ...]:
    """The digit as the first layer takes it: 784 numbers for a linear layer (a loop that
    flattens the images itself), 1×28×28 otherwise."""
    return (INPUT_SIZE,) if isinstance(first, nn.Linear) else DIGIT_SHAPE


def _square(name: str, module: nn.Module, what: str, value) -> int:
    if isinstance(value, int):
        return value
    if len(set(value)) != 1:
        _refuse(name, module, f"only square {what}s are supported, got {tuple(value)}")
    return int(value[0])


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape))


def _describe_layer(name: str, module: nn.Module, shape: tuple[int, ...], first: bool) -> Layer:
    source = "the input digit" if first else "the layer before"
    if type(module) is nn.Conv2d:
        return _conv2d(name, module, shape, source)
    if type(module) is nn.MaxPool2d:
        return _maxpool2d(name, module, shape, source)
    if type(module) is nn.Flatten:
        if module.start_dim != 1 or module.end_dim != -1:
            _refuse(name, module, "only Flatten() with its defaults (start_dim=1, end_dim=-1) is supported")
        return Layer("flatten", name, None, shape, (math.prod(shape),))
    if type(module) is nn.Linear:
        if len(shape) != 1:
            _refuse(name, module, f"it receives {_shape_text(shape)} maps from {source}: put nn.Flatten() before it")
        if module.in_features != shape[0]:
            what = "a digit has 784 pixels (28×28)" if first else f"{source} gives {shape[0]}"
            _refuse(name, module, f"wrong input size: it takes {module.in_features} inputs, but {what}")
        options = {"in_features": module.in_features, "out_features": module.out_features}
        return Layer("linear", name, module, shape, (module.out_features,), options)
    if isinstance(module, (nn.LogSoftmax, nn.Softmax)):
        _refuse(name, module, "only a final LogSoftmax is supported (the export's last layer gives logits)")
    _refuse(name, module, "this kind of layer is not supported")


def _conv2d(name: str, module: nn.Conv2d, shape: tuple[int, ...], source: str) -> Layer:
    if len(shape) != 3:
        _refuse(name, module, f"it receives a vector of {shape[0]} from {source}, a Conv2d needs maps")
    if module.in_channels != shape[0]:
        what = "a digit is one grey 28×28 channel" if source == "the input digit" else f"{source} gives {shape[0]}"
        _refuse(name, module, f"wrong input size: it takes {module.in_channels} channels, but {what}")
    if module.groups != 1 or _square(name, module, "dilation", module.dilation) != 1:
        _refuse(name, module, "grouped or dilated convolutions are not supported")
    if module.padding_mode != "zeros":
        _refuse(name, module, f"only zero padding is supported, got padding_mode={module.padding_mode!r}")
    kernel = _square(name, module, "kernel", module.kernel_size)
    stride = _square(name, module, "stride", module.stride)
    if module.padding == "valid":
        padding = 0
    elif module.padding == "same":
        if kernel % 2 == 0:
            _refuse(name, module, "padding='same' with an even kernel pads unevenly: give the padding as a number")
        padding = kernel // 2
    else:
        padding = _square(name, module, "padding", module.padding)
    height, width = ((side + 2 * padding - kernel) // stride + 1 for side in shape[1:])
    if height < 1 or width < 1:
        _refuse(name, module, f"its {kernel}×{kernel} kernel does not fit the {_shape_text(shape[1:])} maps")
    options = {
        "in_channels": module.in_channels,
        "out_channels": module.out_channels,
        "kernel_size": kernel,
        "stride": stride,
        "padding": padding,
    }
    return Layer("conv2d", name, module, shape, (module.out_channels, height, width), options)


def _maxpool2d(name: str, module: nn.MaxPool2d, shape: tuple[int, ...], source: str) -> Layer:
    if len(shape) != 3:
        _refuse(name, module, f"it receives a vector of {shape[0]} from {source}, a MaxPool2d needs maps")
    if _square(name, module, "padding", module.padding) != 0 or _square(name, module, "dilation", module.dilation) != 1:
        _refuse(name, module, "only MaxPool2d without padding or dilation is supported")
    if module.ceil_mode or module.return_indices:
        _refuse(name, module, "ceil_mode and return_indices are not supported")
    kernel = _square(name, module, "kernel", module.kernel_size)
    stride = _square(name, module, "stride", module.stride or kernel)
    height, width = ((side - kernel) // stride + 1 for side in shape[1:])
    if height < 1 or width < 1:
        _refuse(name, module, f"its {kernel}×{kernel} window does not fit the {_shape_text(shape[1:])} maps")
    options = {"kernel_size": kernel, "stride": stride}
    return Layer("maxpool2d", name, module, shape, (shape[0], height, width), options)


def _latent_layer(layers: list[Layer]) -> int:
    if not layers:
        raise UnsupportedModelError(f"cannot record an empty nn.Sequential: {SUPPORTED}")
    last = layers[-1]
    if last.output_shape != (NUM_CLASSES,):
        got = _shape_text(last.output_shape)
        raise UnsupportedModelError(
            f"cannot record this model: its last layer {last.module_name} gives {got} outputs, a digit classifier "
            f"ends with {NUM_CLASSES} logits (one per digit, e.g. nn.Linear(..., {NUM_CLASSES})); {SUPPORTED}"
        )
    weighted = [index for index, layer in enumerate(layers) if layer.has_weights]
    if len(weighted) < 2:
        raise UnsupportedModelError(
            "cannot record this model: it needs a hidden layer (a Conv2d or Linear before the output layer) "
            f"for the latent map; {SUPPORTED}"
        )
    return weighted[-1] - 1


@torch.no_grad()
def forward(
    description: ModelDescription,
    tensors: dict[str, torch.Tensor],
    images: torch.Tensor,
    capture: int | None = None,
    chunk: int = 500,
) -> torch.Tensor:
    """The layer list over float32 `tensors` (export names) on normalised digits [n, 784]:
    the logits [n, 10], or with `capture` the flattened output of that layer. In chunks
    of 500 digits: the maps of a chunk stay in cache (30% less CPU time than chunks of
    2,000 for the CNN), and those of 10,000 digits never sit in memory at once. Maps are
    computed in channels-last layout (25% faster here, the same numbers)."""
    tensors = {name: _channels_last(tensor) for name, tensor in tensors.items()}
    outputs = []
    for start in range(0, len(images), chunk):
        x = images[start : start + chunk]
        x = _channels_last(x.reshape(len(x), *description.layers[0].input_shape))
        for index, layer in enumerate(description.layers):
            x = _apply(layer, index, tensors, x)
            if index == capture:
                break
        outputs.append(x.flatten(1))
    return torch.cat(outputs)


def _apply(layer: Layer, index: int, tensors: dict, x: torch.Tensor) -> torch.Tensor:
    names = layer.tensor_names(index)
    weight = tensors[names["weight"]] if names else None
    bias = tensors[names["bias"]] if names.get("bias") else None
    if layer.type == "conv2d":
        x = F.conv2d(x, weight, bias, stride=layer.options["stride"], padding=layer.options["padding"])
    elif layer.type == "maxpool2d":
        x = F.max_pool2d(x, layer.options["kernel_size"], layer.options["stride"])
    elif layer.type == "flatten":
        x = x.flatten(1)
    else:
        x = F.linear(x, weight, bias)
    return ACTIVATION_FUNCTIONS[layer.activation](x) if layer.activation else x


def _channels_last(tensor: torch.Tensor) -> torch.Tensor:
    return tensor.contiguous(memory_format=torch.channels_last) if tensor.dim() == 4 else tensor
