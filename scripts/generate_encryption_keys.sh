#!/usr/bin/env bash
# Usage: scripts/generate_encryption_keys.sh [N] [--force]
# Writes encryption_keys/node-1_key.bin .. node-N_key.bin (32 random bytes, mode 600), default
# N=2. Refuses to overwrite existing files unless --force.
set -euo pipefail
# scripts/flwr finds the CLI jar (and says how to build it when it is missing).
flwr="$(dirname "${BASH_SOURCE[0]}")/flwr"
count=2
args=()
for arg in "$@"; do
  if [[ "$arg" =~ ^[0-9]+$ ]]; then count="$arg"; else args+=("$arg"); fi
done
# Output goes under the current directory (the app directory), as with Flower's scripts.
exec bash "$flwr" keygen encryption-keys --out encryption_keys --count "$count" ${args[@]+"${args[@]}"}
