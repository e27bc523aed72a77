#!/usr/bin/env bash
# Scale measurements: for each N, a fresh SuperLink (-Xmx1g) and N simulated SuperNodes in
# one JVM (real mutual TLS, signed requests, per-node keys and envelopes; synthetic training), one
# round after all are online. Appends one JSON line per N and prints the table.
#
#   scripts/bench_scale.sh [--quick] [--nodes 10,100,500,1000] [--out docs/bench-results/scale.jsonl]
#
# --quick: N=10 only (CI). Jars: SUPERLINK_JAR / LOADGEN_JAR (default */target/*.jar). Extra
# SuperLink JVM flags (e.g. JFR) via SUPERLINK_JVM_ARGS; loadgen JVM flags via LOADGEN_JVM_ARGS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NODES="10,100,500,1000"
OUT="docs/bench-results/scale.jsonl"
while (($#)); do
  case "$1" in
    --quick) NODES="10"; shift ;;
    --nodes) NODES="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n 2,10p "$0"; exit 0 ;;
    *) echo "bench_scale: unknown argument $1" >&2; exit 2 ;;
  esac
done
SUPERLINK_JAR="${SUPERLINK_JAR:-superlink/target/superlink.jar}"
LOADGEN_JAR="${LOADGEN_JAR:-loadgen/target/loadgen.jar}"
for jar in "$SUPERLINK_JAR" "$LOADGEN_JAR"; do
  [[ -f "$jar" ]] || { echo "bench_scale: $jar not found; build with ./mvnw -B -q -DskipTests package -pl superlink,loadgen -am" >&2; exit 2; }
done
mkdir -p "$(dirname "$OUT")"
WORK="$ROOT/logs/bench-scale"
mkdir -p "$WORK"
RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT

extra_superlink=()
for a in ${SUPERLINK_JVM_ARGS:-}; do extra_superlink+=(--superlink-jvm-arg "$a"); done

status=0
IFS=',' read -ra COUNTS <<<"$NODES"
for n in "${COUNTS[@]}"; do
  dir="$WORK/n$n"
  rm -rf "$dir"
  # Threads: a session and a heartbeat thread per node (the SuperNode's own design); small stacks suffice.
  heap=$(( n >= 500 ? 3 : 1 ))
  echo "==> N=$n (work dir $dir)" >&2
  # ai.djl.offline guards the JVM although the synthetic trainer never starts DJL.
  if ! java -Dai.djl.offline=true -Xss512k -Xmx${heap}g ${LOADGEN_JVM_ARGS:-} -jar "$LOADGEN_JAR" \
      --nodes "$n" --work-dir "$dir" --superlink-jar "$SUPERLINK_JAR" --out "$RESULTS" "${extra_superlink[@]}" \
      > "$dir.out" 2> >(tee "$dir.err" >&2); then
    status=1
    echo "bench_scale: N=$n did not meet its checks (see $dir.out, $dir/superlink.log)" >&2
  fi
done
cat "$RESULTS" >> "$OUT"
java -Dloader.main=io.fedsecure.loadgen.ScaleTable -jar "$LOADGEN_JAR" "$RESULTS"
echo "Results appended to $OUT" >&2
exit $status
