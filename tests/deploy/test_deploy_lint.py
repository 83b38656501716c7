"""deploy.sh stays shellcheck-clean (tests/run.sh installs shellcheck, so CI never skips this)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from deploy_site import REPO

DEPLOY_SCRIPT = REPO / "deploy.sh"


def test_deploy_script_is_shellcheck_clean():
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed: ./tests/run.sh installs it (apt-get install -y shellcheck)")
    result = subprocess.run([shellcheck, "--severity=style", str(DEPLOY_SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_script_is_executable_bash_with_strict_mode():
    text = DEPLOY_SCRIPT.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert DEPLOY_SCRIPT.stat().st_mode & 0o111, "deploy.sh must be executable"
