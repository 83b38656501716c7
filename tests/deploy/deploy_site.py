"""Builds a throwaway git repository holding a small but valid site for the
deploy.sh tests, so they never depend on the real page or export being written
meanwhile.

History of the default branch `main`: tags `site-a`, `site-b`, `site-c` (= HEAD),
three releases with different files and contents. Every release ships the same
snapshot file names, each starting with the release's marker line, and the
manifest's `created_utc` is that marker: a client can tell which release any
response came from. Tags `broken-*` are commits on top of `site-c` whose site
fails one validation check each (see BROKEN_VARIANTS).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# deploy.sh and the files it runs, as the tests install them into a repository.
DEPLOY_TOOL_FILES = ("deploy.sh", "scripts/validate_site.py")
SNAPSHOT_IDS = ("init", "img50", "ep1")
SNAPSHOT_BYTES = 192 * 1024
MANIFEST = "exports/mlp_weights.json"
GIT_IDENTITY = ["-c", "user.name=Deploy Test", "-c", "user.email=deploy@test.invalid", "-c", "commit.gpgsign=false"]


@dataclass
class Release:
    tag: str
    marker: str
    manifest: dict = field(default_factory=dict)
    index_html: bytes = b""

    def listed_files(self) -> dict[str, str]:
        """Manifest-listed files as {path under exports/: sha256}."""
        entries = self.manifest["timeline"] + [self.manifest["probe"], self.manifest["gallery"]]
        return {entry["file"]: entry["sha256"] for entry in entries}


def install_deploy_tool(repo: Path) -> None:
    """Copies this work tree's deploy.sh and its validator into repo."""
    for name in DEPLOY_TOOL_FILES:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, repo / name)


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=repo, check=True, capture_output=True, text=True)
    return result.stdout.strip()


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def _index_html(marker: str, with_favicon: bool, imports: dict[str, str]) -> str:
    favicon = '  <link rel="icon" href="favicon.svg">\n' if with_favicon else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>deploy test site</title>\n{favicon}"
        '  <link rel="stylesheet" href="assets/css/page.css">\n'
        f'  <script type="importmap">\n{json.dumps({"imports": imports}, indent=2)}\n  </script>\n'
        '  <script type="module" src="assets/js/main.js"></script>\n'
        f"</head>\n<body><!-- release {marker} --></body>\n</html>\n"
    )


def _file_entry(exports: Path, name: str, marker: str, rng: random.Random) -> dict:
    data = f"release {marker} {name}\n".encode() + rng.randbytes(SNAPSHOT_BYTES)
    _write(exports / name, data)
    return {"file": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _manifest(exports: Path, marker: str, rng: random.Random) -> dict:
    timeline = []
    for index, snapshot_id in enumerate(SNAPSHOT_IDS):
        images_seen = [0, 50, 60000][index]
        entry = {
            "index": index,
            "id": snapshot_id,
            "label": snapshot_id,
            "images_seen": images_seen,
            "step": images_seen // 128,
            "epoch": images_seen / 60000,
        }
        entry |= _file_entry(exports, f"mlp_weights/{index:03d}_{snapshot_id}.safetensors", marker, rng)
        entry["metrics"] = {"test_loss": 2.3 - index, "test_accuracy": 0.1 + 0.4 * index, "mistakes": []}
        timeline.append(entry)
    return {
        "format": "mnist-mlp-timeline",
        "format_version": 1,
        "created_utc": marker,
        "model": {"architecture": "mlp", "layer_sizes": [784, 128, 64, 10], "tensor_dtype": "F16"},
        "probe": _file_entry(exports, "mlp_weights/probe.safetensors", marker, rng) | {"count": 1000},
        "gallery": _file_entry(exports, "mlp_weights/gallery.safetensors", marker, rng) | {"count": 0},
        "timeline": timeline,
    }


def write_release(
    root: Path, release: Release, rng: random.Random, imports: dict[str, str], with_favicon: bool
) -> None:
    """Writes the site files of one release into the work tree (decoys are written once, elsewhere)."""
    shutil.rmtree(root / "exports", ignore_errors=True)
    release.manifest = _manifest(root / "exports", release.marker, rng)
    _write(root / MANIFEST, json.dumps(release.manifest, indent=1))
    release.index_html = _index_html(release.marker, with_favicon, imports).encode()
    _write(root / "index.html", release.index_html)
    _write(root / "assets/css/page.css", f"/* {release.marker} */ body {{ margin: 0; }}\n")
    _write(
        root / "assets/vendor/three.module.js", f"// vendored three, {release.marker}\nexport const REVISION = '1';\n"
    )
    _write(
        root / "assets/js/main.js", f"import {{ REVISION }} from 'three';\nconsole.log('{release.marker}', REVISION);\n"
    )
    favicon = root / "favicon.svg"
    if with_favicon:
        _write(favicon, "<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    elif favicon.exists():
        favicon.unlink()


def _write_decoys(root: Path) -> None:
    """Files a commit holds that must never be published."""
    for path in (
        "tests/test_page.py",
        "training/mlp_train.py",
        "docs/notes.md",
        "benchmarks/bench.py",
        "README.md",
        "package.json",
        "package-lock.json",
        "node_modules/three/index.js",
        "data/raw.bin",
        ".venv/bin/activate",
        "exports_backup/x.json",
        "favicon.ico",
    ):
        _write(root / path, f"decoy {path}\n")
    _write(root / ".gitignore", "node_modules/\n.venv/\ndata/\nreleases/*\n")
    _write(root / "LICENSE", "MIT\n")


def _commit(root: Path, message: str, tag: str) -> None:
    git(root, "add", "-A", "--force", ".")
    git(root, "commit", "-q", "-m", message)
    git(root, "tag", tag)


def _corrupt_snapshot_bytes(root: Path) -> None:
    path = root / "exports/mlp_weights/001_img50.safetensors"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate_snapshot(root: Path) -> None:
    path = root / "exports/mlp_weights/002_ep1.safetensors"
    path.write_bytes(path.read_bytes()[:1000])


def _edit_manifest(root: Path, edit: Callable[[dict], None]) -> None:
    manifest = json.loads((root / MANIFEST).read_text())
    edit(manifest)
    (root / MANIFEST).write_text(json.dumps(manifest))


def _point_importmap_at_cdn(root: Path) -> None:
    index = root / "index.html"
    index.write_text(
        index.read_text().replace("./assets/vendor/three.module.js", "https://unpkg.com/three/build/three.module.js")
    )


def _add_symlink(root: Path) -> None:
    os.symlink("../../README.md", root / "assets/js/readme.js")


# tag suffix -> (how the commit breaks the site, text the error must contain)
BROKEN_VARIANTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "sha256": (_corrupt_snapshot_bytes, "001_img50.safetensors does not match the manifest's sha256"),
    "size": (_truncate_snapshot, "timeline[2] file mlp_weights/002_ep1.safetensors has 1000 bytes, the manifest says"),
    "missing-snapshot": (
        lambda root: (root / "exports/mlp_weights/000_init.safetensors").unlink(),
        "timeline[0] file mlp_weights/000_init.safetensors is missing",
    ),
    "missing-gallery": (
        lambda root: (root / "exports/mlp_weights/gallery.safetensors").unlink(),
        "gallery file mlp_weights/gallery.safetensors is missing",
    ),
    "no-manifest": (lambda root: (root / MANIFEST).unlink(), "exports/mlp_weights.json is missing"),
    "bad-json": (
        lambda root: (root / MANIFEST).write_text('{"format": "mnist-mlp-timeline", '),
        "exports/mlp_weights.json is not valid JSON",
    ),
    "wrong-format": (
        lambda root: _edit_manifest(root, lambda m: m.update(format="something-else")),
        "format is not mnist-mlp-timeline",
    ),
    "empty-timeline": (
        lambda root: _edit_manifest(root, lambda m: m.update(timeline=[])),
        "timeline must be a non-empty list",
    ),
    "escaping-path": (
        lambda root: _edit_manifest(root, lambda m: m["probe"].update(file="../../deploy.sh")),
        "probe file ../../deploy.sh must stay inside the manifest's folder",
    ),
    "no-index": (lambda root: (root / "index.html").unlink(), "index.html is missing"),
    "missing-module": (
        lambda root: (root / "assets/vendor/three.module.js").unlink(),
        "importmap imports 'three' -> ./assets/vendor/three.module.js is missing",
    ),
    "missing-script": (lambda root: (root / "assets/js/main.js").unlink(), "<script src> assets/js/main.js is missing"),
    "cdn-module": (_point_importmap_at_cdn, "is loaded from the network"),
    "symlink": (_add_symlink, "assets/js/readme.js is a symlink"),
}


def build_template(root: Path) -> dict[str, Release]:
    """Creates the repository described in the module docstring; returns its releases by tag."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    install_deploy_tool(root)
    _write_decoys(root)
    rng = random.Random(20261122)
    base_imports = {"three": "./assets/vendor/three.module.js", "app/": "./assets/js/"}
    releases = {tag: Release(tag, f"2026-11-22T09:00:0{n}Z") for n, tag in enumerate(("site-a", "site-b", "site-c"), 1)}

    write_release(root, releases["site-a"], rng, base_imports, with_favicon=True)
    _commit(root, "site a: first page", "site-a")

    write_release(
        root, releases["site-b"], rng, base_imports | {"timeline": "./assets/js/timeline.js"}, with_favicon=True
    )
    _write(root / "assets/js/timeline.js", "export const steps = 3;\n")
    (root / "LICENSE").unlink()
    _commit(root, "site b: timeline module, no licence", "site-b")

    write_release(root, releases["site-c"], rng, base_imports, with_favicon=False)
    (root / "assets/js/timeline.js").unlink()
    _write(root / "assets/img/logo.png", rng.randbytes(3000))
    _commit(root, "site c: logo, no favicon", "site-c")

    for name, (breakage, _) in BROKEN_VARIANTS.items():
        breakage(root)
        _commit(root, f"broken: {name}", f"broken-{name}")
        git(root, "reset", "-q", "--hard", "site-c")
    return releases
