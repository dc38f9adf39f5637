#!/usr/bin/env python3
"""PyTorch's nn.LSTM on the GPU (cuDNN), the same work as dev.ser.bench.gpu.GpuLstmStep.

float32, batch_first, unidirectional, every sequence full length, PyTorch's default init. A training step
is lstm(x)[0].sum().backward() (dy = 1, weight gradients accumulated, x does not require grad so no input
gradient); inference is lstm(x) under torch.no_grad(). Timed per repetition with the host clock around
torch.cuda.synchronize(), as ours is. TF32 is off for both (torch.backends.cudnn.allow_tf32 = False),
since our kernels and cuBLAS calls run in full float32 unless asked.

Prints one JSON line. Usage: torch_lstm_gpu.py [--batch 64 --steps 300 --input 40 --hidden 256 --layers 2
--warmup 3 --reps 10]
"""
import argparse
import json
import statistics
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    for name, default in (("batch", 64), ("steps", 300), ("input", 40), ("hidden", 256), ("layers", 2),
                          ("warmup", 3), ("reps", 10)):
        ap.add_argument("--" + name, type=int, default=default)
    a = ap.parse_args()
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.manual_seed(1)
    dev = torch.device("cuda")
    lstm = torch.nn.LSTM(a.input, a.hidden, num_layers=a.layers, batch_first=True).to(dev)
    x = (torch.rand(a.batch, a.steps, a.input, device=dev) * 2 - 1)

    def train():
        lstm(x)[0].sum().backward()

    def infer():
        with torch.no_grad():
            lstm(x)

    def timed(work):
        for _ in range(a.warmup):
            work()
        torch.cuda.synchronize()
        ms = []
        for _ in range(a.reps):
            t0 = time.perf_counter()
            work()
            torch.cuda.synchronize()
            ms.append((time.perf_counter() - t0) * 1e3)
        return ms

    train_ms, infer_ms = timed(train), timed(infer)

    # Streaming: one frame at a time (B=1, T=1), (h, c) carried, each frame's output brought to the host.
    state = None
    frame_us = []
    with torch.no_grad():
        for f in range(-20, a.steps):
            frame = torch.rand(1, 1, a.input) * 2 - 1
            t0 = time.perf_counter()
            y, state = lstm(frame.to(dev), state)
            y.cpu()
            if f >= 0:
                frame_us.append((time.perf_counter() - t0) * 1e6)
    print(json.dumps({
        "impl": "torch", "torch": torch.__version__, "cudnn": torch.backends.cudnn.version(),
        "device": torch.cuda.get_device_name(0),
        "batch": a.batch, "steps": a.steps, "input": a.input, "hidden": a.hidden, "layers": a.layers,
        "train_ms": statistics.median(train_ms), "train_ms_min": min(train_ms),
        "infer_ms": statistics.median(infer_ms), "infer_ms_min": min(infer_ms),
        "stream_us_per_frame": statistics.median(frame_us), "reps": a.reps,
    }))


if __name__ == "__main__":
    main()
