#!/usr/bin/env bash
# Local training speed: DJL (the SuperNode's DjlTrainer) against native PyTorch.
# Run from anywhere after building the jars (loadgen.jar; supernode.jar prepares the partition).
#
#   scripts/bench_training.sh [--quick] [--threads N[,N...]] [--reps R] [--images N]
#       [--warmup N] [--partition DIR] [--out FILE]
#
# For each thread count, R pairs run alternately, DJL then native (A B A B ...), each a fresh
# process: one warm-up epoch and evaluation on --warmup images, then one timed epoch on --images
# training images and one timed evaluation on up to --images test images (batch 32, SGD momentum
# 0.9, lr 0.01). Alternation is what makes the ratio fair on a busy machine: both sides of a
# pair see about the same load. Raw results go to --out as JSON lines (one per run, with the pair
# number and the load average at the start); a table of the pairs and their ratios is printed.
#
#   --quick      2,000 images, 500 warm-up, 1 pair (for CI: checks that both sides run)
#   --threads    intra-op threads for both sides (default 1; "1,2" runs both settings)
#   --reps       pairs per thread count (default 3; scripts/bench.sh runs 5)
#   --partition  a cifar10_part_<k> directory; default: one prepared into a temporary directory
#                from $CIFAR10_ARCHIVE or ../shared/datasets/cifar10/cifar-10-binary.tar.gz
#   --out        default docs/bench-results/training.jsonl (overwritten)
#
# With one thread, the CPU ratio columns compare the CPU seconds of the computing thread (the same
# work on both sides): steadier than wall time when other processes compete for the cores. With
# more threads that thread is not all the work, so they show "-".
#
# Environment: LOADGEN_JAR (default loadgen/target/loadgen.jar), SUPERNODE_JAR (prepares the
# partition; default supernode/target/supernode.jar), PYTHON (default
# /usr/bin/python3, Debian's, with python3-torch and libopenblas0), JAVA_HOME.
set -euo pipefail

cd "$(dirname "$0")/.."

die() { echo "bench_training: error: $*" >&2; exit 1; }

JAR="${LOADGEN_JAR:-loadgen/target/loadgen.jar}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PYTHON="${PYTHON:-/usr/bin/python3}"
REFERENCE="bench/native/reference.py"

threads="1"
reps=3
images=10000
warmup=2000
partition=""
out="docs/bench-results/training.jsonl"

need() { [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) images=2000; warmup=500; reps=1; shift ;;
    --threads) need "$@"; threads="$2"; shift 2 ;;
    --reps) need "$@"; reps="$2"; shift 2 ;;
    --images) need "$@"; images="$2"; shift 2 ;;
    --warmup) need "$@"; warmup="$2"; shift 2 ;;
    --partition) need "$@"; partition="$2"; shift 2 ;;
    --out) need "$@"; out="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (try --help)" ;;
  esac
done
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer, got $reps"
[[ "$images" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[1-9][0-9]*$ ]] || die "--images and --warmup must be positive integers"
IFS=',' read -r -a thread_counts <<<"$threads"
for t in "${thread_counts[@]}"; do
  [[ "$t" =~ ^[1-9][0-9]*$ ]] || die "--threads takes positive integers separated by commas, got $threads"
done

[[ -f "$JAR" ]] || die "$JAR not found: build it (./mvnw -q -o -pl loadgen -am package -DskipTests) or set LOADGEN_JAR"
"$PYTHON" -c 'import torch, numpy' 2>/dev/null \
  || die "$PYTHON cannot import torch and numpy: apt-get install -y python3-torch python3-numpy libopenblas0"

tmp=""
cleanup() { [[ -z "$tmp" ]] || rm -rf "$tmp"; }
trap cleanup EXIT

if [[ -z "$partition" ]]; then
  archive="${CIFAR10_ARCHIVE:-../shared/datasets/cifar10/cifar-10-binary.tar.gz}"
  [[ -f "$archive" ]] || die "no --partition and no CIFAR-10 archive at $archive (set CIFAR10_ARCHIVE)"
  tmp="$(mktemp -d)"
  echo "bench_training: preparing a partition from $archive" >&2
  scripts/prepare_dataset.sh --archive "$archive" --out "$tmp" >&2
  partition="$tmp/cifar10_part_1"
fi
[[ -f "$partition/train.bin" && -f "$partition/test.bin" ]] || die "$partition holds no train.bin and test.bin"

mkdir -p "$(dirname "$out")"
: >"$out"

# Adds the run's context to a benchmark's JSON line and appends it to $out.
record() { # pair threads load json
  "$PYTHON" -c '
import json, sys
d = json.loads(sys.argv[4])
d.update({"pair": int(sys.argv[1]), "requested_threads": int(sys.argv[2]), "load_avg_1m": float(sys.argv[3])})
print(json.dumps(d))' "$@" >>"$out"
}

# The JSON line of a run; its log goes to stderr only when it fails.
json_line() { # log
  grep -E '^\{"impl"' "$1" | tail -n 1
}

run_djl() { # threads log
  OMP_NUM_THREADS="$1" "$JAVA" -Dai.djl.offline=true -Dloader.main=io.fedsecure.loadgen.TrainingBenchmark \
    -jar "$JAR" --partition "$partition" --images "$images" --warmup "$warmup" --threads "$1" >"$2" 2>&1
}

# The machine's OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for this command only, so OpenBLAS
# picks its kernel for this CPU itself (the result records which: "native" -> "blas").
run_native() { # threads log
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PYTHON" "$REFERENCE" train-bench --partition "$partition" --images "$images" --warmup "$warmup" \
    --threads "$1" >"$2" 2>&1
}

log="$(mktemp)"
trap 'rm -f "$log"; cleanup' EXIT
for t in "${thread_counts[@]}"; do
  for ((pair = 1; pair <= reps; pair++)); do
    # On a shared machine: wait (at most a minute) for the 1-minute load to fall to 1.5 before a pair.
    for ((waited = 0; waited < 60; waited += 5)); do
      awk '{ exit !($1 > 1.5) }' /proc/loadavg || break
      sleep 5
    done
    for side in djl native; do
      load="$(cut -d' ' -f1 /proc/loadavg)"
      echo "bench_training: threads $t, pair $pair/$reps: $side (load $load)" >&2
      if ! "run_$side" "$t" "$log" || [[ -z "$(json_line "$log")" ]]; then
        cat "$log" >&2
        die "the $side run failed (threads $t, pair $pair)"
      fi
      record "$pair" "$t" "$load" "$(json_line "$log")"
    done
  done
done

"$PYTHON" - "$out" <<'EOF'
import json, statistics, sys

rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"raw results: {sys.argv[1]}")
for threads in sorted({r["requested_threads"] for r in rows}):
    pairs = {}
    for r in rows:
        if r["requested_threads"] == threads:
            pairs.setdefault(r["pair"], {})["djl" if r["impl"].startswith("djl") else "native"] = r
    print(f"\nthreads {threads}: images/s (DJL / native), {len(pairs)} pair(s)")
    print(f"{'pair':>4} {'load':>5} | {'train DJL':>10} {'native':>10} {'ratio':>6} | {'eval DJL':>10} {'native':>10} {'ratio':>6}"
          f" | {'cpu ratio train':>15} {'eval':>5}")
    series = {k: [] for k in ("train_djl", "train_native", "train_ratio", "eval_djl", "eval_native", "eval_ratio",
                              "train_cpu_ratio", "eval_cpu_ratio")}
    for n in sorted(pairs):
        d, p = pairs[n]["djl"], pairs[n]["native"]
        td, tn = d["train_images_per_second"], p["train_images_per_second"]
        ed, en = d["eval_images_per_second"], p["eval_images_per_second"]
        # Same work on both sides, so the ratio of CPU seconds (the other way round) is the ratio
        # of images per CPU second: the comparison without the time spent waiting for a core.
        tc, ec = p["train_cpu_seconds"] / d["train_cpu_seconds"], p["eval_cpu_seconds"] / d["eval_cpu_seconds"]
        for k, v in zip(series, (td, tn, td / tn, ed, en, ed / en, tc, ec)):
            series[k].append(v)
        cpu = f"{tc:>15.2f} {ec:>5.2f}" if threads == 1 else f"{'-':>15} {'-':>5}"
        print(f"{n:>4} {d['load_avg_1m']:>5.2f} | {td:>10.0f} {tn:>10.0f} {td / tn:>6.2f} | {ed:>10.0f} {en:>10.0f} {ed / en:>6.2f}"
              f" | {cpu}")
    for name, f in (("min", min), ("median", statistics.median), ("max", max)):
        v = {k: f(s) for k, s in series.items()}
        print(f"{name:>10} | {v['train_djl']:>10.0f} {v['train_native']:>10.0f} {v['train_ratio']:>6.2f} |"
              f" {v['eval_djl']:>10.0f} {v['eval_native']:>10.0f} {v['eval_ratio']:>6.2f} |"
              + (f" {v['train_cpu_ratio']:>15.2f} {v['eval_cpu_ratio']:>5.2f}" if threads == 1 else f" {'-':>15} {'-':>5}"))
EOF
