"""Builds a throwaway git repository holding a small but valid site for the
deploy.sh tests.

History of the default branch `main`: tags `site-a`, `site-b`, `site-c` (= HEAD),
three releases with different files and contents. Each ships an export the page
accepts: the first snapshots, probe and gallery of this work tree's default
export (real tensors, real metrics), each file's safetensors `__metadata__`
carrying the release's marker, so every file differs between releases, and the
manifest's `created_utc` is that marker: a client can tell which release any
response came from. Every release also ships this work tree's page validation
modules (assets/js/data and model/), which deploy.sh runs on it. Tags
`broken-*` are commits on top of `site-c` whose site fails one check each (see
BROKEN_VARIANTS).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# deploy.sh and the files it runs, as the tests install them into a repository.
DEPLOY_TOOL_FILES = (
    "deploy.sh",
    "scripts/validate_site.py",
    "scripts/check-exports.mjs",
    "scripts/forward-to-release.js",
)
# The page's validation modules (and what they import), shipped in every test release.
PAGE_MODULE_FOLDERS = ("assets/js/data", "assets/js/model")
MANIFEST = "exports/mlp_weights.json"
# The work tree's default export, whose first snapshots every test release ships.
TEMPLATE_MANIFEST = REPO / MANIFEST
SNAPSHOT_COUNT = 3
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
    """Copies this work tree's deploy.sh and the scripts it runs into repo."""
    for name in DEPLOY_TOOL_FILES:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, repo / name)


def install_page_modules(repo: Path) -> None:
    """Copies this work tree's page validation modules into repo's assets/js/."""
    for folder in PAGE_MODULE_FOLDERS:
        shutil.copytree(REPO / folder, repo / folder, dirs_exist_ok=True)


def template_manifest() -> dict:
    return json.loads(TEMPLATE_MANIFEST.read_text())


def template_files() -> dict[str, str]:
    """{role: file under exports/} of the files a test release's manifest lists."""
    manifest = template_manifest()
    files = {f"timeline[{i}]": entry["file"] for i, entry in enumerate(manifest["timeline"][:SNAPSHOT_COUNT])}
    return files | {key: manifest[key]["file"] for key in ("probe", "gallery")}


def read_safetensors(data: bytes) -> tuple[dict, int]:
    """(header, offset of the tensor data) of a safetensors file."""
    (length,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8 : 8 + length]), 8 + length


def with_metadata(data: bytes, **extra: str) -> bytes:
    """The same safetensors file with `extra` added to its __metadata__ (header padded to 8 bytes)."""
    header, start = read_safetensors(data)
    header["__metadata__"] = {**header.get("__metadata__", {}), **extra}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data[start:]


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


def _file_entry(exports: Path, entry: dict, marker: str) -> dict:
    """The template's file of `entry`, marked as this release's, written under exports/; its new entry."""
    data = with_metadata((TEMPLATE_MANIFEST.parent / entry["file"]).read_bytes(), release=marker)
    _write(exports / entry["file"], data)
    return entry | {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _manifest(exports: Path, marker: str) -> dict:
    manifest = copy.deepcopy(template_manifest())
    manifest["created_utc"] = marker
    manifest["timeline"] = [_file_entry(exports, entry, marker) for entry in manifest["timeline"][:SNAPSHOT_COUNT]]
    for key in ("probe", "gallery"):
        manifest[key] = _file_entry(exports, manifest[key], marker)
    return manifest


def write_release(root: Path, release: Release, imports: dict[str, str], with_favicon: bool) -> None:
    """Writes the site files of one release into the work tree (decoys are written once, elsewhere)."""
    shutil.rmtree(root / "exports", ignore_errors=True)
    release.manifest = _manifest(root / "exports", release.marker)
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
        # Not even valid JSON in package.json: it sits above every staged release, and Node must
        # not let it change how the page's modules are read there (check-exports.mjs).
        _write(root / path, f"decoy {path}\n")
    _write(root / ".gitignore", "node_modules/\n.venv/\ndata/\nreleases/*\n")
    _write(root / "LICENSE", "MIT\n")


def _commit(root: Path, message: str, tag: str) -> None:
    git(root, "add", "-A", "--force", ".")
    git(root, "commit", "-q", "-m", message)
    git(root, "tag", tag)


FILES = template_files()
SNAPSHOT_0, SNAPSHOT_1, SNAPSHOT_2 = (f"exports/{FILES[f'timeline[{i}]']}" for i in range(SNAPSHOT_COUNT))
GALLERY = f"exports/{FILES['gallery']}"


def _corrupt_snapshot_bytes(root: Path) -> None:
    path = root / SNAPSHOT_1
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate_snapshot(root: Path) -> None:
    path = root / SNAPSHOT_2
    path.write_bytes(path.read_bytes()[:1000])


def _edit_manifest(root: Path, edit: Callable[[dict], None], name: str = MANIFEST) -> None:
    manifest = json.loads((root / MANIFEST).read_text())
    edit(manifest)
    (root / name).write_text(json.dumps(manifest))


def _rewrite_listed_file(root: Path, path: str, change: Callable[[bytearray], None]) -> None:
    """Changes a listed file's bytes and updates its size and sha256 in the manifest: only its content is wrong."""
    data = bytearray((root / path).read_bytes())
    change(data)
    (root / path).write_bytes(bytes(data))

    def relist(manifest: dict) -> None:
        for entry in [*manifest["timeline"], manifest["probe"], manifest["gallery"]]:
            if f"exports/{entry['file']}" == path:
                entry.update(bytes=len(data), sha256=hashlib.sha256(data).hexdigest())

    _edit_manifest(root, relist)


def _nan_weight(data: bytearray) -> None:
    header, start = read_safetensors(bytes(data))
    begin = start + header["layers.0.weight"]["data_offsets"][0]
    data[begin : begin + 2] = struct.pack("<H", 0x7E00)  # float16 NaN


def _garbage_header(data: bytearray) -> None:
    (length,) = struct.unpack("<Q", data[:8])
    data[8 : 8 + length] = random.Random(5).randbytes(length)


def _layer_sizes(sizes: list[int]) -> Callable[[dict], None]:
    """A manifest edit giving the (format 2) model dense layers of these sizes, with consistent
    shapes, activations and parameter count."""

    def edit(manifest: dict) -> None:
        manifest["model"]["layers"] = [
            {
                "type": "linear",
                "module": str(2 * i),
                "input_shape": [a],
                "output_shape": [b],
                "in_features": a,
                "out_features": b,
                "weight": f"layers.{i}.weight",
                "bias": f"layers.{i}.bias",
                "activation": "relu" if i < len(sizes) - 2 else None,
            }
            for i, (a, b) in enumerate(zip(sizes, sizes[1:]))
        ]
        manifest["model"]["parameter_count"] = sum(a * b + b for a, b in zip(sizes, sizes[1:]))

    return edit


def _other_manifest_listing_a_wrong_sha256(manifest: dict) -> None:
    manifest["timeline"][1]["sha256"] = manifest["timeline"][2]["sha256"]


def _point_importmap_at_cdn(root: Path) -> None:
    index = root / "index.html"
    index.write_text(
        index.read_text().replace("./assets/vendor/three.module.js", "https://unpkg.com/three/build/three.module.js")
    )


def _add_symlink(root: Path) -> None:
    os.symlink("../../README.md", root / "assets/js/readme.js")


# tag suffix -> (how the commit breaks the site, texts the error lines must contain)
BROKEN_VARIANTS: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "sha256": (_corrupt_snapshot_bytes, (f"{SNAPSHOT_1}: sha256 does not match the manifest",)),
    "size": (_truncate_snapshot, (f"{SNAPSHOT_2}: truncated file: 1000 bytes, the manifest says",)),
    "missing-snapshot": (
        lambda root: (root / SNAPSHOT_0).unlink(),
        (f"{SNAPSHOT_0}: missing from the release (timeline[0] of {MANIFEST})",),
    ),
    "missing-gallery": (
        lambda root: (root / GALLERY).unlink(),
        (f"{GALLERY}: missing from the release (gallery of {MANIFEST})",),
    ),
    "no-manifest": (lambda root: (root / MANIFEST).unlink(), (f"{MANIFEST}: missing (the page's default export)",)),
    "bad-json": (
        lambda root: (root / MANIFEST).write_text('{"format": "mnist-mlp-timeline", '),
        (f"{MANIFEST}: not valid JSON",),
    ),
    "wrong-format": (
        lambda root: _edit_manifest(root, lambda m: m.update(format="something-else")),
        (f"{MANIFEST}: format", "something-else"),
    ),
    "empty-timeline": (
        lambda root: _edit_manifest(root, lambda m: m.update(timeline=[])),
        (f"{MANIFEST}: timeline must be a non-empty list",),
    ),
    "escaping-path": (
        lambda root: _edit_manifest(root, lambda m: m["probe"].update(file="../../deploy.sh")),
        (f"{MANIFEST}: probe.file", "../../deploy.sh"),
    ),
    # What the page refuses and the old size-and-sha256 check let through (issue 9, item 12).
    "format-version": (
        lambda root: _edit_manifest(root, lambda m: m.update(format_version=3)),
        (f"{MANIFEST}: ", "format_version 3"),
    ),
    "layer-mismatch": (
        lambda root: _edit_manifest(root, _layer_sizes([784, 100, 64, 10])),
        (f'{SNAPSHOT_0}: shape mismatch: "layers.0.weight"',),
    ),
    "nan-weight": (
        lambda root: _rewrite_listed_file(root, SNAPSHOT_1, _nan_weight),
        (f'{SNAPSHOT_1}: tensor "layers.0.weight" contains NaN',),
    ),
    "garbage-header": (
        lambda root: _rewrite_listed_file(root, SNAPSHOT_1, _garbage_header),
        (f"{SNAPSHOT_1}: header is not valid JSON",),
    ),
    "absurd-layers": (
        lambda root: _edit_manifest(root, _layer_sizes([784, 1_000_000_000, 10])),
        (f"{MANIFEST}: model.layers[0].out_features must be an integer from 1 to 4096",),
    ),
    "other-manifest": (
        lambda root: _edit_manifest(root, _layer_sizes([784, 128, 64, 9]), name="exports/other.json"),
        ("exports/other.json: the last of model.layers must be a linear layer with 10 outputs",),
    ),
    "other-snapshot": (
        lambda root: _edit_manifest(root, _other_manifest_listing_a_wrong_sha256, name="exports/other.json"),
        (f"{SNAPSHOT_1}: sha256 does not match the manifest", "(timeline[1] of exports/other.json)"),
    ),
    "no-index": (lambda root: (root / "index.html").unlink(), ("index.html is missing",)),
    "missing-module": (
        lambda root: (root / "assets/vendor/three.module.js").unlink(),
        ("importmap imports 'three' -> ./assets/vendor/three.module.js is missing",),
    ),
    "missing-script": (
        lambda root: (root / "assets/js/main.js").unlink(),
        ("<script src> assets/js/main.js is missing",),
    ),
    "cdn-module": (_point_importmap_at_cdn, ("is loaded from the network",)),
    "symlink": (_add_symlink, ("assets/js/readme.js is a symlink",)),
}


def build_template(root: Path) -> dict[str, Release]:
    """Creates the repository described in the module docstring; returns its releases by tag."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    install_deploy_tool(root)
    install_page_modules(root)
    _write_decoys(root)
    rng = random.Random(20261122)
    base_imports = {"three": "./assets/vendor/three.module.js", "app/": "./assets/js/"}
    releases = {tag: Release(tag, f"2026-11-22T09:00:0{n}Z") for n, tag in enumerate(("site-a", "site-b", "site-c"), 1)}

    write_release(root, releases["site-a"], base_imports, with_favicon=True)
    _commit(root, "site a: first page", "site-a")

    write_release(root, releases["site-b"], base_imports | {"timeline": "./assets/js/timeline.js"}, with_favicon=True)
    _write(root / "assets/js/timeline.js", "export const steps = 3;\n")
    (root / "LICENSE").unlink()
    _commit(root, "site b: timeline module, no licence", "site-b")

    write_release(root, releases["site-c"], base_imports, with_favicon=False)
    (root / "assets/js/timeline.js").unlink()
    _write(root / "assets/img/logo.png", rng.randbytes(3000))
    _commit(root, "site c: logo, no favicon", "site-c")

    for name, (breakage, _) in BROKEN_VARIANTS.items():
        breakage(root)
        _commit(root, f"broken: {name}", f"broken-{name}")
        git(root, "reset", "-q", "--hard", "site-c")
    return releases
