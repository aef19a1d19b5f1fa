#!/usr/bin/env bash
# W5 external workers: fetch-and-lock + complete over HTTP (Camunda 7 protocol) against
# `stead serve` on SQLite, with 4 concurrent workers; prints tasks/s and CPU per task.
# Usage: bash bench/w5_external_workers/run.sh [--instances N] [--workers W] [--batch B]
#                                              [--client js|python]
set -euo pipefail
cd "$(dirname "$0")/../.."
js=bench/w5_external_workers/js
if [ ! -f "$js/node_modules/.package-lock.json" ] || [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ]; then
    (cd "$js" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
fi
exec .venv/bin/python bench/w5_external_workers/w5.py "$@"
