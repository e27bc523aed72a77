#!/usr/bin/env bash
# Usage: scripts/generate_encryption_keys.sh [N] [--force]
# Writes encryption_keys/node-1_key.bin .. node-N_key.bin (32 random bytes, mode 600), default
# N=2. Refuses to overwrite existing files unless --force.
set -euo pipefail
# scripts/flwr finds the CLI jar (and says how to build it when it is missing); the CLI reads N.
# Output goes under the current directory (the app directory), as with Flower's scripts.
exec bash "$(dirname "${BASH_SOURCE[0]}")/flwr" keygen encryption-keys --out encryption_keys "$@"
