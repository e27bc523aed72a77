#!/usr/bin/env bash
# Every benchmark, then docs/benchmarks.md (machine, commands, figures, min/median/max, plot).
#
#   scripts/bench.sh [--quick]
#
#   1. crypto     JMH: envelope seal/open (248,024 B and 50 MB), weights codec, BC-GCM baseline
#   2. training   DJL against native PyTorch, alternating A B A B   (scripts/bench_training.sh)
#   3. rounds     SuperLink overhead per round in a real 2-node run;
#                 federated run against native sequential FedAvg     (scripts/bench_rounds.sh)
#   4. scale      N simulated SuperNodes on one SuperLink             (scripts/bench_scale.sh)
#   5. large      a 100 MB model, 10 nodes, streamed                  (scripts/bench_large_model.sh)
#
# Raw results: docs/bench-results/*.jsonl|txt; report: docs/benchmarks.md + docs/*.png.
# --quick is the small version CI runs to check that every benchmark still works; it writes to
# target/bench-quick/ and leaves docs/ alone. Needs the jars built and Debian's python3-torch,
# libopenblas0 and python3-matplotlib (.ci/run installs them).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
QUICK=""
[[ "${1:-}" == "--quick" ]] && QUICK="--quick"
if [[ -n "$QUICK" ]]; then
  RESULTS="$ROOT/target/bench-quick/bench-results"; REPORT="$ROOT/target/bench-quick/benchmarks.md"
  JMH=(-f 1 -wi 1 -i 1 -w 1s -r 1s -p size=248024)
else
  RESULTS="$ROOT/docs/bench-results"; REPORT="$ROOT/docs/benchmarks.md"
  JMH=(-f 1 -wi 3 -i 5 -w 2s -r 2s)
fi
mkdir -p "$RESULTS"
step() { printf '\n=== %s\n' "$*"; }
# A full run reports missed goals instead of stopping (scripts exit 1 on a miss); --quick, CI's
# check that every benchmark still works, fails on any non-zero exit.
MISSED=()
run_bench() {
  local name=$1; shift
  if ! "$@"; then
    [[ -z "$QUICK" ]] || { echo "bench: $name failed" >&2; exit 1; }
    MISSED+=("$name")
  fi
}

for jar in superlink/target/superlink.jar supernode/target/supernode.jar cli/target/flwr.jar bench/target/benchmarks.jar \
    loadgen/target/loadgen.jar; do
  [[ -f "$jar" ]] || { step "Building"; ./mvnw -B -q -DskipTests package; break; }
done

step "1. crypto (JMH)"
java -cp bench/target/benchmarks.jar io.fedsecure.bench.ThroughputReport "Envelope|WeightsCodec|Baseline" "${JMH[@]}" \
  | tee "$RESULTS/crypto.txt"

step "2. training: DJL against native PyTorch"
run_bench training bash scripts/bench_training.sh $QUICK --out "$RESULTS/training.jsonl" ${QUICK:+--threads 1} ${QUICK:---threads 1,2 --reps 5}

step "3. rounds: SuperLink overhead, federated against native FedAvg"
rm -f "$RESULTS/rounds.jsonl"
run_bench rounds bash scripts/bench_rounds.sh $QUICK --out "$RESULTS/rounds.jsonl"

step "4. scale: simulated SuperNodes"
if [[ -f scripts/bench_scale.sh ]]; then
  rm -f "$RESULTS/scale.jsonl"
  run_bench scale bash scripts/bench_scale.sh $QUICK --out "$RESULTS/scale.jsonl"
fi

step "5. large model"
if [[ -f scripts/bench_large_model.sh ]]; then
  rm -f "$RESULTS/large-model.jsonl"
  run_bench large-model bash scripts/bench_large_model.sh $QUICK --out "$RESULTS/large-model.jsonl"
fi

step "Report"
/usr/bin/python3 bench/report.py --results "$RESULTS" --report "$REPORT" ${QUICK:+--quick}
echo "wrote $REPORT"
if ((${#MISSED[@]})); then
  echo "bench: exited non-zero (a goal missed, or a failure; see above): ${MISSED[*]}"
fi
