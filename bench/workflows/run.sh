#!/usr/bin/env bash
# W1-W3 side by side with SpiffWorkflow, DBOS and Temporal, in one command.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup
export PATH="$HOME/.local/bin:$PATH"  # where setup puts uv when it installs it
peers=bench/.venv-workflow-peers
if [ ! -x "$peers/bin/python" ]; then
  uv venv -q --python python3.11 "$peers"
fi
uv pip install -q --python "$peers/bin/python" -r bench/workflows/requirements-peers.txt
exec .venv/bin/python bench/workflows/compare.py "$@"
