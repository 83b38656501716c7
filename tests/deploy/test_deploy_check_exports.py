"""scripts/check-exports.mjs checks a release's exports with that release's own
page modules (issue 9, item 12), falls back to the work tree's modules for a
commit that has none, and is callable on its own: `node scripts/check-exports.mjs
SITE_DIR` (one line per problem, exit 1; bad usage exit 2)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from deploy_site import MANIFEST, REPO, SNAPSHOT_0, SNAPSHOT_1, SNAPSHOT_2, git

CHECKER = REPO / "scripts/check-exports.mjs"
STRICT_MODULE = """
export async function readSnapshot() { throw new Error("refused by this release's own rules"); }
export async function readSampleSet() {}
"""
LENIENT_MODULE = """
export async function readSnapshot() {}
export async function readSampleSet() {}
"""


def commit_on(site, base: str, tag: str, change) -> None:
    """A commit on top of `base`, made in the site's clone, tagged `tag`; the clone goes back to main."""
    git(site.path, "checkout", "-q", base)
    change(site.path)
    git(site.path, "add", "-A", ".")
    git(site.path, "commit", "-q", "-m", tag)
    git(site.path, "tag", tag)
    git(site.path, "checkout", "-q", "main")


def replace_export_files(text: str):
    return lambda root: (root / "assets/js/data/export-files.js").write_text(text)


def test_a_release_is_checked_by_its_own_modules_not_the_work_trees(site):
    site.deploy_ok("site-a")
    commit_on(site, "site-c", "strict", replace_export_files(STRICT_MODULE))
    commit_on(site, "broken-nan-weight", "lenient-nan", replace_export_files(LENIENT_MODULE))
    before = site.state()

    strict = site.deploy("strict")

    assert strict.returncode == 1
    assert (
        f"deploy.sh: strict: {SNAPSHOT_0}: refused by this release's own rules (timeline[0] of {MANIFEST})"
        in strict.stderr
    )
    assert site.state() == before
    # The NaN the work tree's modules refuse passes the modules this release ships (and would run in the browser).
    site.deploy_ok("lenient-nan")
    assert site.commit_info(site.current_release())["requested"] == "lenient-nan"


def test_a_commit_without_the_modules_is_checked_by_the_work_tree_modules(site):
    site.deploy_ok("site-a")
    remove_modules = lambda root: shutil.rmtree(root / "assets/js/data")  # noqa: E731
    commit_on(site, "site-c", "no-modules", remove_modules)
    commit_on(site, "broken-nan-weight", "no-modules-nan", remove_modules)
    before = site.state()

    refused = site.deploy("no-modules-nan")
    assert refused.returncode == 1
    assert f'{SNAPSHOT_1}: tensor "layers.0.weight" contains NaN' in refused.stderr
    assert site.state() == before

    published = site.deploy_ok("no-modules")
    assert "has no assets/js/data/export-files.js; checking with the modules of" in published.stdout

    (site.path / "assets/js/data/export-files.js").unlink()
    before = site.state()
    nowhere = site.deploy("no-modules")
    assert nowhere.returncode == 1
    assert "holds data/manifest.js and data/export-files.js: cannot check the exports" in nowhere.stderr
    assert site.state() == before


def run_checker(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(CHECKER), *args], capture_output=True, text=True, timeout=60)


def test_checker_usage_errors(tmp_path):
    assert run_checker("--help").returncode == 0
    for args, message in (
        ([], "expected one site folder, got 0 arguments"),
        (["a", "b"], "expected one site folder, got 2 arguments"),
        ([""], "the site folder is empty"),
        (["--label", "x"], "unknown option '--label'"),
        ([str(tmp_path / "nowhere")], f"{tmp_path / 'nowhere'} is not a folder"),
    ):
        result = run_checker(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith(f"check-exports: {message}"), (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1


def test_checker_reports_every_broken_manifest_on_its_own_line(site, tmp_path):
    # A site folder as the lead's corpus of broken exports might lay it out: no modules of its own.
    folder = tmp_path / "corpus"
    shutil.copytree(site.path / "exports", folder / "exports")
    manifest = (folder / MANIFEST).read_text()
    (folder / "exports/v3.json").write_text(re.sub(r'"format_version": \d+', '"format_version": 3', manifest))
    (folder / "exports/nested/empty.json").parent.mkdir()
    (folder / "exports/nested/empty.json").write_text("")
    (folder / SNAPSHOT_1).write_bytes(b"<!doctype html><p>Not found</p>")
    # Larger than the page reads: refused from their size, without reading them (sparse files).
    limits = page_limits()
    with (folder / SNAPSHOT_2).open("r+b") as stream:
        stream.truncate(limits["fileBytes"] + 1)
    with (folder / "exports/huge.json").open("wb") as stream:
        stream.truncate(limits["manifestBytes"] + 1)

    result = run_checker(str(folder))

    assert result.returncode == 1
    huge, snapshot_1, snapshot_2, empty, v3 = result.stderr.splitlines()  # manifests in path order, a line a problem
    assert huge == (
        f"exports/huge.json: {limits['manifestBytes'] + 1} bytes, "
        f"larger than the {limits['manifestBytes']} bytes the page accepts for it"
    )
    assert snapshot_1.startswith(f"{SNAPSHOT_1}: ") and snapshot_1.endswith(f"(timeline[1] of {MANIFEST})")
    assert snapshot_2 == (
        f"{SNAPSHOT_2}: {limits['fileBytes'] + 1} bytes, larger than the {limits['fileBytes']} bytes "
        f"the page accepts for it (timeline[2] of {MANIFEST})"
    )
    assert empty == "exports/nested/empty.json: not valid JSON (Unexpected end of JSON input)"
    assert v3.startswith("exports/v3.json: ") and "format_version 3" in v3


def page_limits() -> dict:
    """The page's LIMITS (assets/js/data/manifest.js), as the page itself reads them."""
    module = json.dumps((REPO / "assets/js/data/manifest.js").as_uri())
    script = f"import {{ LIMITS }} from {module}; console.log(JSON.stringify(LIMITS));"
    result = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)
