#!/usr/bin/env bash
# Usage: scripts/generate_cert.sh [--nodes N] [--san NAME]... [--force]
# Writes certificates/: ca.crt ca.key, server.pem server.key (SANs localhost, 127.0.0.1, ::1 and
# each --san), node-1.pem/.key .. node-N (default 2), operator.pem/.key. Refuses to overwrite
# existing files unless --force.
set -euo pipefail
# scripts/flwr finds the CLI jar (and says how to build it when it is missing).
flwr="$(dirname "${BASH_SOURCE[0]}")/flwr"
# Output goes under the current directory (the app directory), as with Flower's scripts.
exec bash "$flwr" keygen certs --out certificates "$@"
