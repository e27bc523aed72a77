#!/usr/bin/env bash
# Large-model benchmark: the synthetic 100 MB model (25 float32 tensors of
# 1000 x 1000) through one round with 10 simulated SuperNodes in one JVM against a real SuperLink
# with a bounded heap. Every gRPC message on either side is capped at 1 MiB + 64 KiB, so the model
# can only travel in chunks. Reports round wall time, the slowest node's local time, the overhead,
# MB/s, and the SuperLink's peak heap during the round against its idle baseline and 3 x the model;
# checks the aggregate bit for bit. Appends one JSON line and prints a table; exits non-zero if the
# run failed its checks or (not --quick) missed the memory goal.
#
#   scripts/bench_large_model.sh [--quick] [--model-size-mb 100] [--nodes 10] [--superlink-heap 320m]
#                                [--out docs/bench-results/large-model.jsonl]
#
# --quick: 10 MB, 3 nodes, -Xmx256m (CI; at 10 MB the SuperLink's fixed ~15-20 MiB of transport
# buffers and run state exceed 3 x 10 MB, so only the run's own checks decide its exit status). Jars: SUPERLINK_JAR / LOADGEN_JAR (default
# */target/*.jar). Extra SuperLink JVM flags (e.g. JFR) via SUPERLINK_JVM_ARGS; loadgen JVM flags
# via LOADGEN_JVM_ARGS (its heap defaults to 6g for 100 MB x 10: each node holds its model, update
# and envelopes while it works).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODEL_MB=100
NODES=10
# The goal as a limit: the idle SuperLink's ~32 MiB live plus 3 x the 95.4 MiB model. The round must
# finish inside it (a run that needed more would fail with OutOfMemoryError, not just measure high).
SL_HEAP=320m
OUT="docs/bench-results/large-model.jsonl"
QUICK=0
while (($#)); do
  case "$1" in
    --quick) MODEL_MB=10; NODES=3; SL_HEAP=256m; QUICK=1; shift ;;
    --model-size-mb) MODEL_MB="$2"; shift 2 ;;
    --nodes) NODES="$2"; shift 2 ;;
    --superlink-heap) SL_HEAP="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n 2,17p "$0"; exit 0 ;;
    *) echo "bench_large_model: unknown argument $1" >&2; exit 2 ;;
  esac
done
SUPERLINK_JAR="${SUPERLINK_JAR:-superlink/target/superlink.jar}"
LOADGEN_JAR="${LOADGEN_JAR:-loadgen/target/loadgen.jar}"
for jar in "$SUPERLINK_JAR" "$LOADGEN_JAR"; do
  [[ -f "$jar" ]] || { echo "bench_large_model: $jar not found; build with ./mvnw -B -q -DskipTests package -pl superlink,loadgen -am" >&2; exit 2; }
done
mkdir -p "$(dirname "$OUT")"
dir="$ROOT/logs/bench-large-model/m${MODEL_MB}-n${NODES}"
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT

extra_superlink=()
for a in ${SUPERLINK_JVM_ARGS:-}; do extra_superlink+=(--superlink-jvm-arg "$a"); done
# Per node at the worst moment: the received envelope, the decoded model, the update, its encoding,
# the sealed update and its frames (~6 model sizes), plus one model kept to predict the aggregate.
loadgen_heap_mb=$(( 1024 + MODEL_MB * (NODES * 6 + 4) ))
(( loadgen_heap_mb > 6144 )) && loadgen_heap_mb=6144

echo "==> ${MODEL_MB} MB x ${NODES} nodes, SuperLink -Xmx${SL_HEAP}, loadgen -Xmx${loadgen_heap_mb}m (work dir $dir)" >&2
status=0
# Workers: two cores; more concurrent nodes would only hold more models at once, not go faster.
# No warm-up run: the heap figures compare the run's peak with the idle SuperLink's since start-up.
if ! java -Dai.djl.offline=true -Xmx${loadgen_heap_mb}m ${LOADGEN_JVM_ARGS:-} -jar "$LOADGEN_JAR" \
    --nodes "$NODES" --model-size-mb "$MODEL_MB" --superlink-heap "$SL_HEAP" --max-message-size 1088KB \
    --workers 3 --fraction-evaluate 0.1 --timeout PT10M --warmup-runs 0 \
    --work-dir "$dir" --superlink-jar "$SUPERLINK_JAR" --out "$RESULTS" "${extra_superlink[@]}" \
    > "$dir.out" 2> >(tee "$dir.err" >&2); then
  status=1
  echo "bench_large_model: the run did not meet its checks (see $dir.out, $dir/superlink.log, $dir/superlink-gc.log)" >&2
fi
if [[ -s "$RESULTS" ]]; then
  cat "$RESULTS" >> "$OUT"
  java -Dloader.main=io.fedsecure.loadgen.LargeModelTable -jar "$LOADGEN_JAR" "$RESULTS" $( ((QUICK)) || echo --check ) || status=1
  echo "Results appended to $OUT" >&2
fi
exit $status
