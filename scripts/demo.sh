#!/usr/bin/env bash
# The main job, end to end on this machine: build, certificates, keys, data, a SuperLink, two
# SuperNodes, three encrypted federated rounds streamed to the terminal, the final accuracy.
# Everything it starts is stopped when it ends, also on Ctrl-C. Re-runnable: material that
# already exists (certificates, keys, partitions, registrations) is reused, never overwritten.
#
#   CIFAR10_ARCHIVE=../shared/datasets/cifar10/cifar-10-binary.tar.gz scripts/demo.sh
#
# Environment: CIFAR10_ARCHIVE (the official cifar-10-binary.tar.gz; without it
# prepare_dataset.sh downloads it), NUM_SERVER_ROUNDS (default 3), DEMO_THREADS (PyTorch
# threads per node; default 1, since two nodes share this machine's cores).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOGS="$ROOT/logs/demo"
mkdir -p "$LOGS"
ROUNDS="${NUM_SERVER_ROUNDS:-3}"
THREADS="${DEMO_THREADS:-1}"
PIDS=()

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if ((${#PIDS[@]})); then
    say "Stopping the SuperNodes and the SuperLink"
    # Nodes first, so the SuperLink sees them leave; then wait for each to exit.
    for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    done
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits for a condition command to succeed, or fails after $1 seconds naming $2.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${seconds}s waiting for $what (logs in $LOGS)"
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process exited early while waiting for $what (logs in $LOGS)"; done
    sleep 0.5
  done
}

for port in 9092 9093 9094; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is already in use: stop the process using it (a SuperLink from an earlier run?)"
  fi
done

T0=$SECONDS
say "Building (skipped when the jars are up to date)"
if [[ ! -f superlink/target/superlink.jar || ! -f supernode/target/supernode.jar || ! -f cli/target/flwr.jar ]] \
   || [[ -n "$(find proto common-crypto superlink supernode cli -newer cli/target/flwr.jar \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' -o -name '*.yml' -o -name '*.sql' \) -print -quit)" ]]; then
  ./mvnw -B -q -DskipTests package -pl proto,common-crypto,superlink,supernode,cli
fi

say "Certificates, node keys and encryption keys (reused when present)"
[[ -f certificates/ca.crt ]] || bash scripts/generate_cert.sh --nodes 2
[[ -f keys/client_credentials_2 ]] || bash scripts/generate_auth_keys.sh 2
[[ -f encryption_keys/node-2_key.bin ]] || bash scripts/generate_encryption_keys.sh 2

say "CIFAR-10 partitions (reused when present)"
if [[ ! -f datasets/cifar10_part_2/train.bin ]]; then
  bash scripts/prepare_dataset.sh --num-partitions 2 ${CIFAR10_ARCHIVE:+--archive "$CIFAR10_ARCHIVE"}
fi

say "Starting the SuperLink (log: $LOGS/superlink.log)"
java -jar superlink/target/superlink.jar \
  --ssl-ca-certfile certificates/ca.crt \
  --ssl-certfile certificates/server.pem \
  --ssl-keyfile certificates/server.key \
  --enable-supernode-auth \
  --database state/superlink.db \
  --encryption-keys-dir encryption_keys \
  --fleet-api-address 127.0.0.1:9092 \
  --control-api-address 127.0.0.1:9093 \
  >"$LOGS/superlink.log" 2>&1 &
PIDS+=($!)
wait_for 120 "the SuperLink to be ready" curl -sf http://127.0.0.1:9094/actuator/health/readiness

say "Registering the SuperNodes' public keys (once)"
for k in 1 2; do
  if ! scripts/flwr supernode list . my-federation --format json | grep -q "\"node-$k\""; then
    scripts/flwr supernode register "keys/client_credentials_$k.pub" . my-federation
  fi
done

for k in 1 2; do
  say "Starting SuperNode node-$k (log: $LOGS/supernode-$k.log)"
  java -jar supernode/target/supernode.jar \
    --superlink 127.0.0.1:9092 \
    --root-certificates certificates/ca.crt \
    --auth-supernode-private-key "keys/client_credentials_$k" \
    --node-config "dataset-path=\"datasets/cifar10_part_$k\" node-id=\"node-$k\" encryption-key=\"encryption_keys/node-${k}_key.bin\" num-threads=$THREADS" \
    >"$LOGS/supernode-$k.log" 2>&1 &
  PIDS+=($!)
done

nodes_online() {
  local json; json=$(scripts/flwr supernode list . my-federation --format json)
  [[ $(grep -o '"NODE_STATUS_ONLINE"' <<<"$json" | wc -l) -ge 2 ]]
}
wait_for 180 "both SuperNodes to be online" nodes_online
scripts/flwr supernode list . my-federation
T_UP=$SECONDS

say "Running $ROUNDS encrypted federated rounds"
scripts/flwr run . my-federation --stream --run-config "num-server-rounds=$ROUNDS"
T_DONE=$SECONDS

say "Done: $((T_DONE - T0)) s in all, $((T_DONE - T_UP)) s from all processes up to run finished"
