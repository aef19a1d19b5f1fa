#!/usr/bin/env sh
# Builds the web app from the committed lockfile into src/stead/webapp/static/.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run build
