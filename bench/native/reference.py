#!/usr/bin/env python3
"""Native PyTorch reference for the benchmarks, run by Debian's python3-torch.

The same Net as the SuperNodes (Flower's CNN, 62,006 parameters), the same CIFAR-10 partition
files (3,073-byte records: label, then R, G, B planes), the same normalisation (x/255-0.5)/0.5,
batch size, SGD with momentum 0.9 and cross-entropy. Two modes:

  train-bench  images/s of local training and evaluation on N images after a warm-up (one
               epoch and one evaluation on --warmup images), from fresh weights; the
               counterpart of loadgen's TrainingBenchmark (scripts/bench_training.sh)
  fedavg       a plain sequential FedAvg over the partitions (no network, no encryption):
               the baseline the federated run's wall time and accuracy are compared with
  evaluate-model  loads a run's final_model.safetensors into this Net (no safetensors
               package needed) and evaluates it on each partition's test split

Prints one JSON object on stdout, with the settings it ran (the "native" key: torch's switches,
the thread counts, and the OpenBLAS library, kernel and pool it loaded).

Threads: --threads (default 1) is PyTorch's intra-op thread count (torch.set_num_threads), which
does all the parallel work. OpenBLAS's own pool is held at 1 thread whatever --threads is: that
pool is sized from the environment when the library loads and torch.set_num_threads() does not
touch it, so N intra-op threads each driving an N-thread OpenBLAS pool would oversubscribe the
cores (on 2 cores, 2 threads trained at a third of the 1-thread speed that way).
"""
import argparse
import ctypes
import json
import math
import os
import random
import struct
import time


def _pin_blas_threads():
    """OpenBLAS reads its thread count when the library loads (numpy loads it), so this must run
    before numpy and torch are imported. OMP_NUM_THREADS and MKL_NUM_THREADS are dropped so that
    torch.set_num_threads() is the only thread setting (OpenBLAS would fall back to
    OMP_NUM_THREADS)."""
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.pop(var, None)


_pin_blas_threads()

import numpy as np  # noqa: E402  (after the thread pinning above)
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

RECORD = 3073


class Net(nn.Module):
    """Flower's quickstart CNN: conv(3,6,5) pool conv(6,16,5) pool fc 400-120-84-10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def read_records(path, limit=None):
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % RECORD:
        raise SystemExit(f"{path}: size {raw.size} is not a multiple of {RECORD}-byte records")
    raw = raw.reshape(-1, RECORD)
    if limit:
        raw = raw[:limit]
    labels = torch.from_numpy(raw[:, 0].astype(np.int64))
    images = torch.from_numpy(raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32))
    images = (images / 255.0 - 0.5) / 0.5
    return images, labels


def train(net, images, labels, epochs, batch_size, lr, seed):
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    gen = torch.Generator().manual_seed(seed)
    net.train()
    total, batches = 0.0, 0
    for _ in range(epochs):
        order = torch.randperm(len(labels), generator=gen)
        for start in range(0, len(labels), batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(net(images[idx]), labels[idx])
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
    return total / max(batches, 1)


def evaluate(net, images, labels, batch_size):
    net.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(labels), batch_size):
            x, y = images[start:start + batch_size], labels[start:start + batch_size]
            out = net(x)
            loss_sum += F.cross_entropy(out, y, reduction="sum").item()
            correct += (out.argmax(1) == y).sum().item()
    return loss_sum / len(labels), correct / len(labels)


def native_settings(args):
    """The settings this process ran with, for the result: torch's switches, the thread
    variables, and the BLAS it loaded (see blas_info)."""
    return {
        "mkldnn": torch.backends.mkldnn.enabled,
        "flush_denormal": args.flush_denormal == "on",
        "env": {v: os.environ.get(v) for v in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                                "OMP_NUM_THREADS")},
        "blas": blas_info(),
    }


def blas_info():
    """Which OpenBLAS kernel and pool ran: threadpoolctl's report when it is installed, else
    OpenBLAS's own openblas_get_config/get_corename/get_num_threads through ctypes on the library
    this process mapped, else the BLAS lines of torch's build configuration."""
    try:
        import threadpoolctl
        return {"source": "threadpoolctl", "pools": threadpoolctl.threadpool_info()}
    except ImportError:
        pass
    with open("/proc/self/maps") as maps:
        libraries = sorted({line.split()[-1] for line in maps if "/libopenblas" in line})
    for path in libraries:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return {"source": "openblas_get_config", "library": path,
                    "config": lib.openblas_get_config().decode(), "core": lib.openblas_get_corename().decode(),
                    "threads": lib.openblas_get_num_threads()}
        except (OSError, AttributeError):
            continue
    lines = torch.__config__.show().splitlines() + torch.__config__.parallel_info().splitlines()
    return {"source": "torch.__config__",
            "lines": [l.strip() for l in lines if any(k in l for k in ("BLAS", "LAPACK", "MKL", "OpenMP", "threads"))]}


def train_bench(args):
    images, labels = read_records(os.path.join(args.partition, "train.bin"), args.images)
    test_images, test_labels = read_records(os.path.join(args.partition, "test.bin"), args.images)
    torch.manual_seed(args.seed)
    net = Net()
    warm = min(len(labels), args.warmup)
    train(net, images[:warm], labels[:warm], 1, args.batch_size, args.learning_rate, args.seed)
    evaluate(net, test_images[:warm], test_labels[:warm], args.batch_size)
    net = Net()  # the timed epoch starts from fresh weights, as the DJL side's does
    # CPU time of this thread too: with one intra-op thread torch computes on the caller, and on a
    # shared machine CPU time shows the work apart from waiting for a core.
    t0, c0 = time.perf_counter(), time.thread_time()
    loss = train(net, images, labels, 1, args.batch_size, args.learning_rate, args.seed)
    t1, c1 = time.perf_counter(), time.thread_time()
    _, accuracy = evaluate(net, test_images, test_labels, args.batch_size)
    t2, c2 = time.perf_counter(), time.thread_time()
    return {
        "impl": "native-pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "train_images": len(labels),
        "train_seconds": t1 - t0,
        "train_images_per_second": len(labels) / (t1 - t0),
        "eval_images": len(test_labels),
        "eval_seconds": t2 - t1,
        "eval_images_per_second": len(test_labels) / (t2 - t1),
        "train_loss": loss,
        "eval_accuracy": accuracy,
        "train_cpu_seconds": c1 - c0,
        "eval_cpu_seconds": c2 - c1,
        "native": native_settings(args),
    }


def fedavg(args):
    parts = sorted(
        os.path.join(args.datasets, d) for d in os.listdir(args.datasets) if d.startswith("cifar10_part_"))
    if not parts:
        raise SystemExit(f"{args.datasets}: no cifar10_part_<k> directories (run scripts/prepare_dataset.sh)")
    data = [(read_records(os.path.join(p, "train.bin")), read_records(os.path.join(p, "test.bin"))) for p in parts]
    torch.manual_seed(args.seed)
    global_net = Net()
    rng = random.Random(args.seed)
    rounds = []
    t_start = time.perf_counter()
    for rnd in range(1, args.rounds + 1):
        t0 = time.perf_counter()
        states, weights, losses = [], [], []
        for (images, labels), _ in data:
            local = Net()
            local.load_state_dict(global_net.state_dict())
            losses.append(train(local, images, labels, args.local_epochs, args.batch_size, args.learning_rate,
                                args.seed + rnd))
            states.append(local.state_dict())
            weights.append(len(labels))
        total = sum(weights)
        global_net.load_state_dict({k: sum(s[k] * (w / total) for s, w in zip(states, weights)) for k in states[0]})
        n_eval = max(1, math.ceil(args.fraction_evaluate * len(data)))
        evaluated = rng.sample(range(len(data)), n_eval)
        results = [evaluate(global_net, *data[i][1], args.batch_size) + (len(data[i][1][1]),) for i in evaluated]
        n = sum(r[2] for r in results)
        rounds.append({
            "round": rnd,
            "train_loss": sum(l * w for l, w in zip(losses, weights)) / total,
            "eval_loss": sum(r[0] * r[2] for r in results) / n,
            "eval_accuracy": sum(r[1] * r[2] for r in results) / n,
            "seconds": time.perf_counter() - t0,
        })
    return {
        "impl": "native-pytorch-fedavg",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "partitions": len(parts),
        "rounds": rounds,
        "total_seconds": time.perf_counter() - t_start,
    }


def load_safetensors(path):
    """The safetensors layout: u64 LE header length, JSON header with data_offsets, raw LE data."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    state = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] != "F32":
            raise SystemExit(f"{path}: tensor {name} has dtype {t['dtype']}, expected F32")
        begin, end = t["data_offsets"]
        state[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype="<f4").reshape(t["shape"]).copy())
    return state, header.get("__metadata__", {})


def evaluate_model(args):
    state, metadata = load_safetensors(args.model)
    net = Net()
    net.load_state_dict(state)  # strict: names and shapes must be exactly PyTorch's
    parts = sorted(d for d in os.listdir(args.datasets) if d.startswith("cifar10_part_"))
    results = {}
    for d in parts:
        loss, acc = evaluate(net, *read_records(os.path.join(args.datasets, d, "test.bin")), 256)
        results[d] = {"loss": loss, "accuracy": acc}
    return {"impl": "native-pytorch-evaluate", "model": args.model, "metadata": metadata, "partitions": results}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["train-bench", "fedavg", "evaluate-model"])
    p.add_argument("--model", help="evaluate-model: a final_model.safetensors")
    p.add_argument("--partition", help="train-bench: a cifar10_part_<k> directory")
    p.add_argument("--datasets", default="datasets", help="fedavg: directory holding cifar10_part_<k>")
    p.add_argument("--images", type=int, default=10000)
    p.add_argument("--warmup", type=int, default=2000)
    p.add_argument("--threads", type=int, default=1, help="torch's intra-op threads (OpenBLAS stays at 1)")
    p.add_argument("--interop-threads", type=int, default=1)
    p.add_argument("--mkldnn", choices=["on", "off"], default="on", help="torch.backends.mkldnn.enabled")
    p.add_argument("--flush-denormal", choices=["on", "off"], default="off", help="torch.set_flush_denormal")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=0.01)
    p.add_argument("--local-epochs", type=int, default=1)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--fraction-evaluate", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.interop_threads)
    torch.backends.mkldnn.enabled = args.mkldnn == "on"
    torch.set_flush_denormal(args.flush_denormal == "on")
    if args.mode == "train-bench" and not args.partition:
        p.error("train-bench needs --partition")
    if args.mode == "evaluate-model" and not args.model:
        p.error("evaluate-model needs --model")
    modes = {"train-bench": train_bench, "fedavg": fedavg, "evaluate-model": evaluate_model}
    print(json.dumps(modes[args.mode](args)))


if __name__ == "__main__":
    main()
