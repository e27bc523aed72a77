#!/usr/bin/env python3
"""Writes docs/benchmarks.md (and its plot) from the raw results of scripts/bench.sh.

Reads <results>/crypto.txt (JMH via io.fedsecure.bench.ThroughputReport), training.jsonl
(scripts/bench_training.sh), rounds.jsonl (scripts/bench_rounds.sh), scale.jsonl
(scripts/bench_scale.sh) and large-model.jsonl (scripts/bench_large_model.sh); any that is
missing is reported as not run. Figures are shown as ratios against the baseline measured in
the same run, with min/median/max over repetitions.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess


def load_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def mmm(values, fmt="{:.0f}"):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return [
        f"- date: {datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M UTC')}",
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {mem_kib / 2**20:.0f} GiB; {platform.platform()}",
        f"- Java: {java}",
        f"- load average when the report was written: {open('/proc/loadavg').read().split()[0]}",
    ]


def crypto_section(results):
    path = os.path.join(results, "crypto.txt")
    out = ["## 1. Envelopes and codec (JMH)", "",
           "`java -cp bench/target/benchmarks.jar io.fedsecure.bench.ThroughputReport \"Envelope|WeightsCodec|Baseline\" -f 1 -wi 3 -i 5 -w 2s -r 2s`", ""]
    if not os.path.exists(path):
        return out + ["not run", ""]
    rows = []
    for line in open(path):
        m = re.match(r"^(\S.*?)\s+(\d+)\s+([\d.]+)\s+([\d.]*)\s*$", line)
        if m and not line.startswith("Benchmark"):
            rows.append(m.groups())
    out += ["Baseline: BouncyCastle's AES-GCM on the 248,024-byte payload, in the same JMH run.", "",
            "| benchmark | bytes/op | MB/s | x BC-GCM |", "|---|---:|---:|---:|"]
    out += [f"| {n} | {int(b):,} | {float(s):,.1f} | {r} |" for n, b, s, r in rows]
    return out + [""]


def training_section(results):
    runs = load_jsonl(os.path.join(results, "training.jsonl"))
    out = ["## 2. Local training: DJL against native PyTorch", "",
           "`scripts/bench_training.sh --threads 1,2 --reps 5` — alternating DJL and native (A B A B), fresh process each, "
           "warm-up then one epoch on 10,000 images and evaluation on 5,000, batch 32, SGD momentum 0.9; "
           "native = Debian's python3-torch with OpenBLAS (`bench/native/reference.py`).", ""]
    if not runs:
        return out + ["not run", ""]
    native = next((r["native"] for r in runs if "native" in r), None)
    if native:
        blas = native["blas"]
        kernel = (f"{blas['config']} (core {blas['core']}, pool {blas['threads']} thread), from {blas['source']}"
                  if blas["source"] == "openblas_get_config" else f"{blas}")
        out += [f"Native baseline: torch's intra-op threads = the thread count, inter-op 1; OpenBLAS pool at 1 thread "
                f"(`OPENBLAS_NUM_THREADS=1`, no `OMP_NUM_THREADS`); `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` unset for "
                f"its command; mkldnn {'on' if native['mkldnn'] else 'off'}, flush-denormal "
                f"{'on' if native['flush_denormal'] else 'off'}. OpenBLAS ran: {kernel}. Why: OpenBLAS keeps its own "
                f"pool, which `torch.set_num_threads` does not resize, so N intra-op threads each driving an N-thread "
                f"pool oversubscribe the cores (earlier 2-thread figures, 3,300-5,200 native train img/s, came from that); "
                f"the coretype variables would override OpenBLAS's own choice of kernel for this CPU. Of the settings "
                f"tried on short runs (mkldnn off, flush-denormal on, 2 inter-op threads, `zero_grad(set_to_none=True)`), "
                f"none was faster beyond the run-to-run noise, so torch's defaults stay.", ""]
    modified = datetime.datetime.utcfromtimestamp(os.path.getmtime(os.path.join(results, "training.jsonl")))
    loads = [r["load_avg_1m"] for r in runs if "load_avg_1m" in r]
    out += [f"Measured {modified.strftime('%Y-%m-%d %H:%M UTC')}; 1-minute load average before each run "
            f"{min(loads):.2f}-{max(loads):.2f} (the machine is shared with other builds).", ""]
    out += ["| threads | pair | DJL train img/s | native train img/s | train ratio | DJL eval img/s | native eval img/s | eval ratio | load |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    summary = {}
    pairs = {}
    for r in runs:
        pairs.setdefault((r.get("requested_threads", r.get("threads")), r.get("pair")), {})[r["impl"]] = r
    for (threads, pair), p in sorted(pairs.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1] or 0)):
        d, n = p.get("djl-pytorch"), p.get("native-pytorch")
        if not d or not n:
            continue
        tr = d["train_images_per_second"] / n["train_images_per_second"]
        ev = d["eval_images_per_second"] / n["eval_images_per_second"]
        s = summary.setdefault(threads, {"train": [], "eval": [], "djl": [], "nat": []})
        s["train"].append(tr); s["eval"].append(ev)
        s["djl"].append(d["train_images_per_second"]); s["nat"].append(n["train_images_per_second"])
        out.append(f"| {threads} | {pair} | {d['train_images_per_second']:,.0f} | {n['train_images_per_second']:,.0f} | {tr:.2f} "
                   f"| {d['eval_images_per_second']:,.0f} | {n['eval_images_per_second']:,.0f} | {ev:.2f} | {d.get('load_avg_1m', '')} |")
    out += ["", "min / median / max over pairs:", "", "| threads | DJL/native train | DJL/native eval | DJL train img/s | native train img/s |",
            "|---:|---:|---:|---:|---:|"]
    for threads, s in sorted(summary.items()):
        out.append(f"| {threads} | {mmm(s['train'], '{:.2f}')} | {mmm(s['eval'], '{:.2f}')} | {mmm(s['djl'])} | {mmm(s['nat'])} |")
    return out + ["", "Goal: DJL at least 1.0x native in training and in evaluation.", ""]


def rounds_section(results):
    runs = load_jsonl(os.path.join(results, "rounds.jsonl"))
    out = ["## 3. SuperLink overhead per round (2 SuperNodes, the CNN)", "",
           "`scripts/bench_rounds.sh` — real processes on 127.0.0.1; overhead = round wall time minus the slowest "
           "node's own train+evaluate time (reported by the nodes).", ""]
    if not runs:
        return out + ["not run", ""]
    out += ["| run | round | wall s | slowest node s | overhead ms | accuracy | native accuracy |", "|---:|---:|---:|---:|---:|---:|---:|"]
    overheads, later = [], []
    for i, run in enumerate(runs, 1):
        for r, n in zip(run["rounds"], run.get("native_rounds", [])):
            overheads.append(r["overhead_ms"])
            if r["round"] > 1:
                later.append(r["overhead_ms"])
            out.append(f"| {i} | {r['round']} | {r['wall_s']:.2f} | {r['slowest_node_s']:.2f} | {r['overhead_ms']:.0f} "
                       f"| {r['eval_accuracy'] or 0:.4f} | {n['eval_accuracy']:.4f} |")
    out += ["", f"Overhead min / median / max, all rounds: {mmm(overheads)} ms; rounds after the first: {mmm(later)} ms (goal: at most 50 ms).", ""]
    out += ["| run | federated: all up -> finished, s | native sequential FedAvg, s | federated / native |", "|---:|---:|---:|---:|"]
    for i, run in enumerate(runs, 1):
        out.append(f"| {i} | {run['federated_seconds']:.1f} | {run['native_fedavg_seconds']:.1f} | "
                   f"{run['federated_seconds'] / run['native_fedavg_seconds']:.2f} |")
    return out + ["", "Goal: the federated run no slower than the plain script (ratio <= 1.0).", ""]


def scale_section(results, report_dir):
    runs = load_jsonl(os.path.join(results, "scale.jsonl"))
    out = ["## 4. Scale: simulated SuperNodes on one SuperLink", "",
           "`scripts/bench_scale.sh --nodes 10,100,500,1000` — one JVM runs N simulated SuperNodes, each with its own "
           "client certificate, P-384 key, encryption key, mTLS channel and signed requests, over the real protocol; "
           "training replaced by a cheap deterministic change so the aggregate is checked bit for bit. SuperLink at -Xmx1g. "
           "A one-round warm-up run precedes the measured run (the SuperLink is a long-running daemon; its first round "
           "also pays for JIT-compiling the network path): both are reported.", ""]
    if not runs:
        return out + ["not run", ""]
    out += ["| N | connect+auth s | first round overhead s | round overhead s | p50 / p99 latency ms | SuperLink peak heap MiB | SuperLink CPU round / total s | load generator CPU round s | aggregate exact |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in runs:
        first = r.get("first_round_overhead_seconds")
        out.append(f"| {r['nodes']} | {r['all_activated_seconds']:.2f} | {'-' if first is None else f'{first:.2f}'} | "
                   f"{r['round_overhead_seconds']:.2f} | "
                   f"{r['latency_p50_ms']:.0f} / {r['latency_p99_ms']:.0f} | {r['superlink_peak_heap_mib']:.0f} | "
                   f"{r['superlink_cpu_round_seconds']:.1f} / {r['superlink_cpu_total_seconds']:.1f} | "
                   f"{r.get('loadgen_cpu_run_seconds', float('nan')):.1f} | {'yes' if r['aggregate_exact'] else 'NO'} |")
    out += ["", "Goals at N = 1,000: overhead at most 3 s, SuperLink heap at most 1 GiB, aggregate exact. The load generator "
            "shares the two cores: its CPU time is the other half of the round's wall time.", ""]
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        by_n, first_by_n = {}, {}
        for r in runs:
            by_n.setdefault(r["nodes"], []).append(r["round_overhead_seconds"])
            if r.get("first_round_overhead_seconds") is not None:
                first_by_n.setdefault(r["nodes"], []).append(r["first_round_overhead_seconds"])
        ns = sorted(by_n)
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(ns, [statistics.median(by_n[n]) for n in ns], marker="o", label="round overhead (median)")
        if first_by_n:
            fns = sorted(first_by_n)
            ax.plot(fns, [statistics.median(first_by_n[n]) for n in fns], marker="x", linestyle=":",
                    label="fresh SuperLink's first round")
        ax.axhline(3.0, color="red", linestyle="--", label="goal at N=1000: 3 s")
        ax.set_xscale("log")
        ax.set_xlabel("simulated SuperNodes (N)")
        ax.set_ylabel("SuperLink round overhead (s)")
        ax.set_title("SuperLink round overhead against the number of nodes")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        png = os.path.join(report_dir, "round_overhead_vs_nodes.png")
        fig.savefig(png, dpi=110)
        out += ["![SuperLink round overhead against the number of nodes](round_overhead_vs_nodes.png)", ""]
    except ImportError:
        out += ["(plot skipped: python3-matplotlib is not installed)", ""]
    return out


def large_section(results):
    runs = load_jsonl(os.path.join(results, "large-model.jsonl"))
    out = ["## 5. A large model, streamed", "",
           "`scripts/bench_large_model.sh` — 100 MB synthetic layout (25 x 1000x1000 float32), 10 simulated nodes, "
           "SuperLink limited to -Xmx320m (its ~32 MiB idle live heap plus 3 x the model), so a round needing more "
           "would fail; no gRPC message above 1 MiB + 64 KiB. Heap growth = the highest heap occupancy after any "
           "collection in the round minus the idle live heap (after a full GC); G1's young collections leave dead "
           "humongous arrays in place, so this over-counts what is live.", ""]
    if not runs:
        return out + ["not run", ""]
    out += ["| model MB | nodes | SuperLink -Xmx | round wall s | overhead s | MB/s on the wire | idle live MiB | peak after GC MiB | growth / model | aggregate exact |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in runs:
        model_mib = r["model_bytes"] / 2**20
        growth = r["superlink_live_peak_heap_mib"] - r["superlink_idle_live_heap_mib"]
        out.append(f"| {r['model_bytes'] / 1e6:.0f} | {r['nodes']} | {r.get('superlink_heap_max', '?')} | {r['round_wall_seconds']:.1f} | {r['round_overhead_seconds']:.1f} "
                   f"| {r['wire_mb_per_second']:.1f} | {r['superlink_idle_live_heap_mib']:.0f} | {r['superlink_live_peak_heap_mib']:.0f} "
                   f"| {growth / model_mib:.2f}x | {'yes' if r['aggregate_exact'] else 'NO'} |")
    return out + ["", "Goal: SuperLink peak heap at most 3x the model size.", ""]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--results", default="docs/bench-results")
    p.add_argument("--report", default="docs/benchmarks.md")
    p.add_argument("--quick", action="store_true")
    args = p.parse_args()
    report_dir = os.path.dirname(os.path.abspath(args.report))
    os.makedirs(report_dir, exist_ok=True)
    lines = ["# Benchmarks", "",
             "Written by `scripts/bench.sh`" + (" --quick (CI's smoke version: small sizes, figures not meaningful)" if args.quick else "")
             + " from the raw results in `" + os.path.relpath(args.results, report_dir) + "/`.", "", "## Machine", ""]
    lines += machine() + [""]
    lines += crypto_section(args.results)
    lines += training_section(args.results)
    lines += rounds_section(args.results)
    lines += scale_section(args.results, report_dir)
    lines += large_section(args.results)
    with open(args.report, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
