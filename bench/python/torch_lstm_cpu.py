#!/usr/bin/env python3
"""Times PyTorch's CPU nn.LSTM, forward + backward, on the same work as dev.ser.bench.engine.LstmBenchmark.

float32, batch_first, B=32, T=300, I=40, H=256, 2 layers, unidirectional, every sequence full length,
PyTorch's default init; loss = y.sum() (so dy = 1), loss.backward() accumulates the weight gradients;
x does not require grad, so no input gradient is computed (our benchmark passes dx = null likewise).
Gradients are zeroed outside the timing (set_to_none), as our benchmark keeps accumulating into the
same arrays.

Prints one JSON line: {"torch": ..., "threads": N, "ms_per_iter": median, "ms_min", "ms_max", ...}.
BLAS_INFO=generic (Debian's build) means torch calls the system libblas.so.3, which is OpenBLAS when
libopenblas0 is installed (update-alternatives --display libblas.so.3-x86_64-linux-gnu).
Usage: torch_lstm_cpu.py [--threads 2] [--warmup 3] [--reps 10] [--batch 32 --steps 300 ...]
"""
import argparse
import json
import os
import re
import statistics
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--input", type=int, default=40)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=2)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    lstm = torch.nn.LSTM(args.input, args.hidden, num_layers=args.layers, batch_first=True)
    x = torch.rand(args.batch, args.steps, args.input) * 2 - 1

    def step():
        y, _ = lstm(x)
        y.sum().backward()

    for _ in range(args.warmup):
        lstm.zero_grad(set_to_none=True)
        step()
    times = []
    for _ in range(args.reps):
        lstm.zero_grad(set_to_none=True)
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)

    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "batch": args.batch, "steps": args.steps, "input": args.input, "hidden": args.hidden,
        "layers": args.layers,
        "ms_per_iter": round(statistics.median(times), 2),
        "ms_min": round(min(times), 2),
        "ms_max": round(max(times), 2),
        "reps": args.reps,
        "mkldnn": torch.backends.mkldnn.is_available(),
        "blas_info": (re.search(r"BLAS_INFO=(\w+)", torch.__config__.show()) or [None, "?"])[1],
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
    }))


if __name__ == "__main__":
    main()
