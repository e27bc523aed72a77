#!/usr/bin/env bash
# SuperLink overhead per round in a real run, and the federated run against native FedAvg.
#
#   scripts/bench_rounds.sh [--quick] [--rounds N] [--out docs/bench-results/rounds.jsonl]
#
# In a scratch directory: certificates, keys and two CIFAR-10 partitions from the project's
# scripts; a SuperLink and two SuperNodes (1 PyTorch thread each) as processes on 127.0.0.1;
# one run of N rounds (default 3). Per round it records the wall time and the slowest node's own
# train+evaluate time (the nodes report it); overhead = wall - slowest. Then the native PyTorch
# reference runs the same FedAvg sequentially in one process on the same partitions. Appends one
# JSON line to --out and prints a table. --quick: 1 round (CI checks that it runs).
# SUPERLINK_JAR / SUPERNODE_JAR override the jars (e.g. a build in another build directory);
# BENCH_LOG_DIR keeps the processes' logs (the per-round timing breakdowns are in them).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=3
OUT="$ROOT/docs/bench-results/rounds.jsonl"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "bench_rounds: unknown option $1" >&2; exit 2 ;;
  esac
done
ARCHIVE="${CIFAR10_ARCHIVE:-$ROOT/../shared/datasets/cifar10/cifar-10-binary.tar.gz}"
[[ -f "$ARCHIVE" ]] || { echo "bench_rounds: CIFAR-10 archive not found at $ARCHIVE (set CIFAR10_ARCHIVE)" >&2; exit 1; }
SUPERLINK_JAR="${SUPERLINK_JAR:-$ROOT/superlink/target/superlink.jar}"
SUPERNODE_JAR="${SUPERNODE_JAR:-$ROOT/supernode/target/supernode.jar}"
for jar in "$SUPERLINK_JAR" "$SUPERNODE_JAR" "$ROOT/cli/target/flwr.jar"; do
  [[ -f "$jar" ]] || { echo "bench_rounds: $jar missing: ./mvnw -B -q -DskipTests package" >&2; exit 1; }
done

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  if [[ -n "${BENCH_LOG_DIR:-}" ]]; then
    mkdir -p "$BENCH_LOG_DIR" && cp "$WORK"/*.log "$BENCH_LOG_DIR"/ 2>/dev/null || true
  fi
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
log() { printf 'bench_rounds: %s\n' "$*" >&2; }
flwr() { bash "$ROOT/scripts/flwr" "$@"; }

log "preparing material in $WORK"
bash "$ROOT/scripts/generate_cert.sh" --nodes 2 >/dev/null
bash "$ROOT/scripts/generate_auth_keys.sh" 2 >/dev/null
bash "$ROOT/scripts/generate_encryption_keys.sh" 2 >/dev/null
bash "$ROOT/scripts/prepare_dataset.sh" --num-partitions 2 --archive "$ARCHIVE" >/dev/null

java ${SUPERLINK_JVM_ARGS:-} -jar "$SUPERLINK_JAR" \
  --ssl-ca-certfile certificates/ca.crt --ssl-certfile certificates/server.pem --ssl-keyfile certificates/server.key \
  --database state/superlink.db --fleet-api-address 127.0.0.1:0 --control-api-address 127.0.0.1:0 \
  --management-port 0 --port-file ports.json >superlink.log 2>&1 &
PIDS+=($!)
for _ in $(seq 1 240); do [[ -s ports.json ]] && break; kill -0 "${PIDS[0]}" || { cat superlink.log >&2; exit 1; }; sleep 0.5; done
[[ -s ports.json ]] || { log "SuperLink did not start"; exit 1; }
FLEET=$(python3 -c 'import json;print(json.load(open("ports.json"))["fleet"])')
CONTROL=$(python3 -c 'import json;print(json.load(open("ports.json"))["control"])')
sed "s/127.0.0.1:9093/127.0.0.1:$CONTROL/" "$ROOT/pyproject.toml" > pyproject.toml

flwr supernode register keys/client_credentials_1.pub . my-federation >/dev/null
flwr supernode register keys/client_credentials_2.pub . my-federation >/dev/null
for k in 1 2; do
  java -jar "$SUPERNODE_JAR" --superlink "127.0.0.1:$FLEET" \
    --root-certificates certificates/ca.crt --auth-supernode-private-key "keys/client_credentials_$k" \
    --node-config "dataset-path=\"datasets/cifar10_part_$k\" node-id=\"node-$k\" encryption-key=\"encryption_keys/node-${k}_key.bin\" num-threads=1" \
    >"supernode-$k.log" 2>&1 &
  PIDS+=($!)
done
for _ in $(seq 1 240); do
  [[ $(flwr supernode list . my-federation --format json | grep -c '"NODE_STATUS_ONLINE"') -ge 2 ]] && break
  sleep 0.5
done
LOAD=$(cut -d' ' -f1 /proc/loadavg)
log "both nodes online (load average $LOAD); running $ROUNDS round(s)"
T0=$(date +%s.%N)
flwr run . my-federation --stream --run-config "num-server-rounds=$ROUNDS" >run.log
T1=$(date +%s.%N)
flwr ls . my-federation --format json >runs.json

log "native PyTorch FedAvg on the same partitions (sequential, one process, 1 thread)"
# The native baseline runs with the machine's OpenBLAS core-type overrides removed, as in bench_training.sh.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$ROOT/bench/native/reference.py" fedavg --datasets datasets --rounds "$ROUNDS" --threads 1 >native.json

mkdir -p "$(dirname "$OUT")"
python3 - "$T0" "$T1" "$LOAD" "$OUT" <<'PY'
import json, sys, datetime
t0, t1, load, out = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
runs = json.load(open("runs.json"))["runs"]
run = max(runs, key=lambda r: int(r["runId"]))
native = json.load(open("native.json"))
rounds = []
for r in run["rounds"]:
    wall, slow = r["wallSeconds"], r["slowestNodeSeconds"]
    rounds.append({"round": r["round"], "wall_s": wall, "slowest_node_s": slow,
                   "overhead_ms": (wall - slow) * 1000, "eval_accuracy": r.get("evalAccuracy")})
result = {
    "bench": "rounds", "date": datetime.datetime.utcnow().isoformat() + "Z", "load_average": float(load),
    "status": run["status"], "rounds": rounds,
    "federated_seconds": t1 - t0,
    "native_fedavg_seconds": native["total_seconds"],
    "native_rounds": native["rounds"],
}
with open(out, "a") as f:
    f.write(json.dumps(result) + "\n")
print(f"{'round':>5} {'wall s':>8} {'slowest node s':>15} {'overhead ms':>12} {'accuracy':>9} {'native acc':>10}")
for r, n in zip(rounds, native["rounds"]):
    print(f"{r['round']:>5} {r['wall_s']:>8.2f} {r['slowest_node_s']:>15.2f} {r['overhead_ms']:>12.0f} {r['eval_accuracy'] or 0:>9.4f} {n['eval_accuracy']:>10.4f}")
print(f"federated run (all processes up -> run finished): {result['federated_seconds']:.1f} s; "
      f"native sequential FedAvg: {result['native_fedavg_seconds']:.1f} s; "
      f"ratio federated/native {result['federated_seconds'] / result['native_fedavg_seconds']:.2f}")
PY
