#!/usr/bin/env bash
# FEEL expression benchmark (W4): sets up bench/.venv-peers with the peers and Stead, then runs it.
# A peer that fails to install is reported and left out; the benchmark still runs.
set -uo pipefail
cd "$(dirname "$0")/../.."
VENV=bench/.venv-peers
PYTHON="$VENV/bin/python"

install() {
    if command -v uv >/dev/null 2>&1; then
        uv pip install --quiet --python "$PYTHON" "$@"
    else
        "$PYTHON" -m pip install --quiet "$@"
    fi
}

if [ ! -x "$PYTHON" ]; then
    if command -v uv >/dev/null 2>&1; then
        uv venv --quiet --python 3.11 "$VENV"
    else
        python3 -m venv "$VENV"
    fi || { echo "cannot create $VENV" >&2; exit 1; }
fi

# Each peer on its own, so one that cannot install does not keep the others out.
grep -v -E '^\s*(#|$)' bench/requirements-peers.txt | while read -r requirement; do
    install "$requirement" || echo "peer $requirement failed to install; it is left out" >&2
done
install --editable . || { echo "cannot install stead into $VENV" >&2; exit 1; }

exec "$PYTHON" bench/feel/bench_feel.py "$@"
