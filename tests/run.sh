#!/usr/bin/env bash
# The one test command: installs what the tests need, then runs every test
# (node's runner for the DOM-free page modules, pytest for the rest).
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs a Debian package when its command is missing (CI and fresh machines run as root).
need_debian_package() {
    local package=$1 command=$2 why=$3
    command -v "$command" >/dev/null && return
    if [ "$(id -u)" -ne 0 ]; then
        echo "tests/run.sh: $why needs $command: run 'sudo apt-get install -y $package'" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}

python -m pip install --quiet --disable-pip-version-check -e ".[test,tools]"
need_debian_package chromium /usr/bin/chromium "the browser tests"
need_debian_package shellcheck shellcheck "the deploy.sh lint test"

npm ci --no-audit --no-fund --loglevel=error
npm run --silent lint
ruff check .
ruff format --check .
node --test tests/js/
python -m pytest "$@"
