#!/usr/bin/env python3
"""Native PyTorch reference for the benchmarks (issue 5), run by Debian's python3-torch.

The same Net as the SuperNodes (Flower's CNN, 62,006 parameters), the same CIFAR-10 partition
files (3,073-byte records: label, then R, G, B planes), the same normalisation (x/255-0.5)/0.5,
batch size, SGD with momentum 0.9 and cross-entropy. Two modes:

  train-bench  images/s of local training and evaluation on N images after a warm-up
  fedavg       a plain sequential FedAvg over the partitions (no network, no encryption):
               the baseline the federated run's wall time and accuracy are compared with

Prints one JSON object on stdout. Threads are set explicitly: Debian's build defaults to 1.
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

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


def train_bench(args):
    images, labels = read_records(os.path.join(args.partition, "train.bin"), args.images)
    test_images, test_labels = read_records(os.path.join(args.partition, "test.bin"), args.images)
    net = Net()
    warm = min(len(labels), args.warmup)
    train(net, images[:warm], labels[:warm], 1, args.batch_size, args.learning_rate, args.seed)
    t0 = time.perf_counter()
    loss = train(net, images, labels, 1, args.batch_size, args.learning_rate, args.seed)
    t1 = time.perf_counter()
    evaluate(net, test_images, test_labels, args.batch_size)
    t2 = time.perf_counter()
    return {
        "impl": "native-pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "train_images": len(labels),
        "train_seconds": t1 - t0,
        "train_images_per_second": len(labels) / (t1 - t0),
        "eval_images": len(test_labels),
        "eval_seconds": t2 - t1,
        "eval_images_per_second": len(test_labels) / (t2 - t1),
        "train_loss": loss,
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


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["train-bench", "fedavg"])
    p.add_argument("--partition", help="train-bench: a cifar10_part_<k> directory")
    p.add_argument("--datasets", default="datasets", help="fedavg: directory holding cifar10_part_<k>")
    p.add_argument("--images", type=int, default=10000)
    p.add_argument("--warmup", type=int, default=2000)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=0.01)
    p.add_argument("--local-epochs", type=int, default=1)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--fraction-evaluate", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    if args.mode == "train-bench" and not args.partition:
        p.error("train-bench needs --partition")
    print(json.dumps(train_bench(args) if args.mode == "train-bench" else fedavg(args)))


if __name__ == "__main__":
    main()
