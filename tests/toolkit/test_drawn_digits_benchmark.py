"""benchmarks/drawn_digits.py: drawn digits scored for exports of either format and
architecture side by side, the same drawings from the same seed, one-line errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "benchmarks" / "drawn_digits.py"
FIXTURE = REPO / "tests" / "fixtures" / "drawn_digits.json"
VERSION_1 = REPO / "tests" / "fixtures" / "version1" / "mlp_weights.json"
CNN = REPO / "exports" / "cnn_weights.json"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=REPO)


def test_a_version_1_mlp_and_a_version_2_cnn_side_by_side_with_classes_and_confusions():
    done = run("--export", str(VERSION_1), "--export", str(CNN), "--strokes", str(FIXTURE))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    overall = re.findall(r"(\d+\.\d)%", next(line for line in lines if line.startswith("overall")))
    assert len(overall) == 2 and all(float(share) >= 90 for share in overall)
    assert sum(line.startswith("class ") for line in lines) == 10
    assert sum("confusions:" in line for line in lines) == 2


def test_the_same_seed_draws_the_same_strokes_and_remakes_the_fixture(mnist_dir, tmp_path):
    path = tmp_path / "strokes.json"
    done = run("--export", str(CNN), "--data-dir", str(mnist_dir), "--count", "200", "--save-strokes", str(path))
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == FIXTURE.read_bytes()  # tests/fixtures/drawn_digits.json: --count 200, seed 1


def test_bad_arguments_are_one_line_naming_them(tmp_path):
    missing = run("--export", str(tmp_path / "nope.json"), "--strokes", str(FIXTURE))
    assert missing.returncode != 0 and missing.stderr.strip().splitlines() == [
        f"error: --export {tmp_path / 'nope.json'}: no such file"
    ]
    (tmp_path / "bad.json").write_text("{")
    broken = run("--export", str(tmp_path / "bad.json"), "--strokes", str(FIXTURE))
    assert broken.returncode != 0 and len(broken.stderr.strip().splitlines()) == 1
    assert str(tmp_path / "bad.json") in broken.stderr
