"""A clone of the generated site repository, with helpers to run deploy.sh in
it and to compare what it published against the commits."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from deploy_site import Release, git

# What a release may hold at its top level, written independently of deploy.sh's own list.
SITE_TOP_LEVEL = {"index.html", "assets", "exports", "favicon.svg", "LICENSE"}
# Everything releases/ holds after a finished run: no staging or temporary file is left.
RELEASES_AFTER_A_RUN = [".deploy.lock", "backups", "current", "forward.js", "index.html"]


def file_hashes(folder: Path) -> dict[str, str]:
    """{path relative to folder: sha256} of every file below folder (dot files included)."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class SiteRepo:
    """A clone of the site repository with deploy.sh at its top."""

    path: Path
    releases: dict[str, Release]

    @property
    def releases_dir(self) -> Path:
        return self.path / "releases"

    @property
    def backups(self) -> Path:
        return self.releases_dir / "backups"

    @property
    def current(self) -> Path:
        return self.releases_dir / "current"

    def deploy(self, *args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["./deploy.sh", *args], cwd=self.path, env=env, capture_output=True, text=True, timeout=timeout
        )

    def deploy_ok(self, *args: str) -> subprocess.CompletedProcess:
        result = self.deploy(*args)
        assert result.returncode == 0, f"./deploy.sh {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
        return result

    def start(self, *args: str, log: Path) -> subprocess.Popen:
        with log.open("w") as stream:
            return subprocess.Popen(
                ["./deploy.sh", *args], cwd=self.path, stdout=stream, stderr=subprocess.STDOUT, text=True
            )

    def current_release(self) -> str | None:
        return os.readlink(self.current).split("/")[-1] if self.current.is_symlink() else None

    def release_names(self) -> list[str]:
        return sorted(path.name for path in self.backups.iterdir()) if self.backups.exists() else []

    def commit_info(self, release: str) -> dict[str, str]:
        lines = (self.backups / release / ".commit").read_text().splitlines()
        return dict(line.split("=", 1) for line in lines)

    def rev(self, commitish: str) -> str:
        return git(self.path, "rev-parse", f"{commitish}^{{commit}}")

    def commit_site(self, commitish: str) -> dict[str, str]:
        """{path: git blob id} of the commit's files that belong on the site."""
        listing = git(self.path, "ls-tree", "-r", "--full-tree", self.rev(commitish))
        site = {}
        for line in listing.splitlines():
            meta, path = line.split("\t", 1)
            if path.split("/")[0] in SITE_TOP_LEVEL:
                site[path] = meta.split()[2]
        return site

    def published_site(self, folder: Path) -> dict[str, str]:
        """{path: git blob id} of a published folder, without deploy.sh's own .commit file."""
        return {
            path.relative_to(folder).as_posix(): git_blob_id(path.read_bytes())
            for path in folder.rglob("*")
            if path.is_file() and path.relative_to(folder).as_posix() != ".commit"
        }

    def state(self) -> tuple:
        """Everything a failed run must leave alone: the current link, the entry page, the backups and their files."""
        tops = sorted(self.releases_dir.iterdir()) if self.releases_dir.exists() else []
        return (
            os.readlink(self.current) if self.current.is_symlink() else None,
            {name: file_hashes(self.backups / name) for name in self.release_names()},
            [path.name for path in tops],
            {path.name: path.read_bytes() for path in tops if path.is_file() and not path.is_symlink()},
        )

    def entry_target(self) -> str | None:
        """The release folder releases/index.html forwards to, as its link says."""
        match = re.search(r'<a id="release" href="backups/([^/"]+)/">', (self.releases_dir / "index.html").read_text())
        return match and match.group(1)


@contextmanager
def lock_held(site: SiteRepo):
    """Holds releases/.deploy.lock the way a running deploy.sh does (flock(2), exclusive)."""
    site.backups.mkdir(parents=True, exist_ok=True)
    with (site.releases_dir / ".deploy.lock").open("a") as stream:
        fcntl.flock(stream, fcntl.LOCK_EX)
        yield


def start_server(site) -> tuple[subprocess.Popen, int]:
    """`python -m http.server --directory releases` on a free port chosen by the kernel."""
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", "releases", "0"],
        cwd=site.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    banner = server.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
    port = re.search(r"port (\d+)", banner)
    assert port, f"http.server did not start: {banner!r}"
    return server, int(port.group(1))
