#!/usr/bin/env sh
# Builds the web app from the committed lockfile into src/stead/webapp/static/.
# Install scripts stay off: nothing in the build needs one, and some dependencies' scripts
# only report telemetry.
set -eu
cd "$(dirname "$0")"
IBM_TELEMETRY_DISABLED=true npm ci --no-audit --no-fund --ignore-scripts
npm run build
