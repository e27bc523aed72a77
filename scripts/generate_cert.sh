#!/usr/bin/env bash
# Usage: scripts/generate_cert.sh [--nodes N] [--san NAME]... [--force]
# Writes certificates/: ca.crt ca.key, server.pem server.key (SANs localhost, 127.0.0.1, ::1 and
# each --san), node-1.pem/.key .. node-N (default 2), operator.pem/.key. Refuses to overwrite
# existing files unless --force.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$repo/cli/target/flwr.jar"
if [[ ! -f "$jar" ]]; then
  echo "generate_cert.sh: cli/target/flwr.jar is missing; run ./mvnw -q -DskipTests package first" >&2
  exit 1
fi
# Output goes under the current directory (the app directory), as with Flower's scripts.
exec java -jar "$jar" keygen certs --out certificates "$@"
