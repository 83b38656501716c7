"""Sanity checks of the training pipeline on real MNIST, through the project's own model,
optimiser steps and loop: it can learn (overfitting one batch), it does not leak labels
(shuffled labels stay at chance on the test set while the training loss still falls), and
a zero learning rate changes nothing."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from train_runs import run_quietly, short_config

from training.normalisation import normalise
from training.run import step_function, training_model

pytestmark = pytest.mark.slow  # trains on real MNIST

OVERFIT_STEPS = 150
# The same 128 digits at every step: the peak rate of a full run (0.05) makes the CNN
# overshoot and stall at chance; 0.01 overfits both networks in about 60 steps.
OVERFIT_LR = 0.01


@pytest.mark.parametrize("architecture", ["mlp", "cnn"])
def test_one_batch_of_128_digits_is_overfitted(architecture, mnist, mnist_dir, tmp_path):
    hidden = (128, 64) if architecture == "mlp" else (64,)
    config = short_config(tmp_path / "m.json", mnist_dir, architecture=architecture, hidden_dims=hidden)
    model = training_model(config, torch.device("cpu"))
    step = step_function(model, config)
    images = normalise(mnist.train_images[:128])
    labels = torch.from_numpy(mnist.train_labels[:128].astype(np.int64))
    accuracy = 0.0
    for number in range(1, OVERFIT_STEPS + 1):
        step(images, labels, OVERFIT_LR)
        if number % 10 == 0:
            with torch.no_grad():
                logits = model(images.reshape(128, 1, 28, 28) if architecture == "cnn" else images)
            accuracy = (logits.argmax(1) == labels).double().mean().item()
            if accuracy >= 0.99:
                break
    assert accuracy >= 0.99, f"{accuracy:.1%} after {OVERFIT_STEPS} steps"


def test_shuffled_labels_stay_at_chance_while_the_training_loss_falls(mnist, mnist_dir, tmp_path):
    subset = 2000
    labels = np.random.default_rng(7).permutation(mnist.train_labels[:subset])
    shuffled = dataclasses.replace(mnist, train_images=mnist.train_images[:subset], train_labels=labels)
    config = short_config(tmp_path / "m.json", mnist_dir, epochs=40, max_images=0, augment=False)
    result, _ = run_quietly(config, shuffled)
    assert result.manifest["timeline"][-1]["metrics"]["test_accuracy"] <= 0.15
    losses = result.manifest["loss_history"]["loss"]
    tenth = len(losses) // 10
    assert np.mean(losses[-tenth:]) < np.mean(losses[:tenth]) - 0.2, "memorising random labels lowers the loss"


def test_zero_learning_rate_leaves_every_weight_unchanged_through_an_epoch(mnist, mnist_dir, tmp_path):
    subset = dataclasses.replace(mnist, train_images=mnist.train_images[:5000], train_labels=mnist.train_labels[:5000])
    config = short_config(tmp_path / "m.json", mnist_dir, epochs=1, max_images=0, lr=0.0)
    before = training_model(config, torch.device("cpu")).state_dict()
    result, _ = run_quietly(config, subset)
    after = result.model.state_dict()
    assert result.manifest["loss_history"]["images_seen"][-1] == 5000  # a whole epoch ran
    assert before.keys() == after.keys()
    for name in before:
        assert torch.equal(before[name], after[name]), name
