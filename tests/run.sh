#!/usr/bin/env bash
# The one test command: installs what the tests need, then runs every test
# (node's runner for the DOM-free page modules, pytest for the rest).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e ".[test]"

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "tests/run.sh: the browser tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install -y chromium'" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! command -v shellcheck >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "tests/run.sh: the deploy.sh lint test needs shellcheck: run 'sudo apt-get install -y shellcheck'" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
fi

node --test tests/js/
python -m pytest "$@"
