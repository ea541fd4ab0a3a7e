#!/usr/bin/env bash
# gdlesson's two commands. Each installs whatever is missing first, then works:
#   ./dev.sh render   set up, then build the lesson into renders/ (gdlesson build -q h)
#   ./dev.sh test     set up, then run the whole test suite
# Safe to run again: a set-up machine skips straight to the work.
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(libcairo2-dev libpango1.0-dev pkg-config fonts-dejavu-core ffmpeg gifsicle)
# the course-page tests open the pages in a real browser and check them with axe-core (npm)
TEST_PACKAGES=(chromium nodejs npm)

setup_system() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        echo "dev.sh: installing Debian packages: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

setup_python() {
    local py
    py="$(command -v python3.11 || command -v python3)"
    if [ ! -x .venv/bin/python ]; then
        echo "dev.sh: creating .venv with $py"
        "$py" -m venv .venv
    fi
    # Reinstall only when the dependency list changed.
    local stamp=".venv/.gdlesson-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
    if [ ! -e "$stamp" ]; then
        echo "dev.sh: installing Python dependencies into .venv"
        .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
        # torch first and pinned: the CPU build on disk, never a CUDA download.
        .venv/bin/python -m pip install -q "torch==2.13.0" 2>&1 | grep -v "^WARNING: Location" || true
        .venv/bin/python -m pip install -q -c constraints.txt -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
        .venv/bin/python -c "import torch, manim, gd_engine" # fail here, not later
        rm -f .venv/.gdlesson-*
        touch "$stamp"
    fi
}

setup_node() {
    # axe-core, pinned in package-lock.json; installed again only when the lock changed
    local stamp="node_modules/.gdlesson-$(sha256sum package-lock.json | cut -c1-16)"
    if [ ! -e "$stamp" ]; then
        echo "dev.sh: installing axe-core (npm ci)"
        npm ci --no-audit --no-fund --loglevel=error >/dev/null
        touch "$stamp"
    fi
}

cmd="${1:-}"
shift || true
case "$cmd" in
    render)
        setup_system "${APT_PACKAGES[@]}"
        setup_python
        .venv/bin/gdlesson build -q h "$@"
        ;;
    test)
        setup_system "${APT_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
        setup_python
        setup_node
        .venv/bin/python -m pytest "$@"
        ;;
    *)
        echo "usage: ./dev.sh render|test [extra arguments]" >&2
        exit 2
        ;;
esac
