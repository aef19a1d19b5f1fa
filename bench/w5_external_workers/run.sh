#!/usr/bin/env bash
# W5 external workers: fetch-and-lock + complete over HTTP (Camunda 7 protocol) against
# `stead serve` on SQLite, with 4 concurrent workers; prints tasks/s.
# Usage: bash bench/w5_external_workers/run.sh [--instances N] [--workers W] [--batch B]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python bench/w5_external_workers/w5.py "$@"
