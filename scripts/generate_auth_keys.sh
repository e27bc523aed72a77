#!/usr/bin/env bash
# Usage: scripts/generate_auth_keys.sh [N] [--force]
# Writes keys/client_credentials_1 .. _N (EC P-384, OpenSSH, mode 600) and their .pub files,
# default N=2. Refuses to overwrite existing files unless --force.
set -euo pipefail
# scripts/flwr finds the CLI jar (and says how to build it when it is missing); the CLI reads N.
# Output goes under the current directory (the app directory), as with Flower's scripts.
exec bash "$(dirname "${BASH_SOURCE[0]}")/flwr" keygen auth-keys --out keys "$@"
