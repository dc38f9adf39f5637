#!/usr/bin/env python3
"""PyTorch's nn.LSTM on the GPU (cuDNN), the same work as dev.ser.bench.gpu.GpuLstmStep.

float32, batch_first, unidirectional, every sequence full length, PyTorch's default init. A training step
is lstm(x)[0].sum().backward() (dy = 1, weight gradients accumulated, x does not require grad so no input
gradient); inference is lstm(x) under torch.no_grad(). Timed per repetition with the host clock around
torch.cuda.synchronize(), as ours is. TF32 is off (torch.backends.cudnn.allow_tf32 = False), since our
kernels and cuBLAS calls run in full float32 unless asked. For B=1 also streaming: one frame at a time,
(h, c) carried, each frame's output brought to the host.

Prints one JSON line per (hidden, batch). Usage: torch_lstm_gpu.py [--batch 1,8,32,64,256]
[--hidden 128,256,512,1024] [--steps 300 --input 40 --layers 2 --warmup 3 --reps 10]
"""
import argparse
import json
import statistics
import time

import torch


def ints(text):
    return [int(v) for v in text.split(",")]


def measure(a, batch, hidden, dev):
    torch.manual_seed(1)
    lstm = torch.nn.LSTM(a.input, hidden, num_layers=a.layers, batch_first=True).to(dev)
    x = torch.rand(batch, a.steps, a.input, device=dev) * 2 - 1

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
    stream = None
    if batch == 1:
        state, frame_us = None, []
        with torch.no_grad():
            for f in range(-20, a.steps):
                frame = torch.rand(1, 1, a.input) * 2 - 1
                t0 = time.perf_counter()
                y, state = lstm(frame.to(dev), state)
                y.cpu()
                if f >= 0:
                    frame_us.append((time.perf_counter() - t0) * 1e6)
        stream = statistics.median(frame_us)
    return {
        "impl": "torch", "torch": torch.__version__, "cudnn": torch.backends.cudnn.version(),
        "device": torch.cuda.get_device_name(0),
        "batch": batch, "steps": a.steps, "input": a.input, "hidden": hidden, "layers": a.layers,
        "train_ms": statistics.median(train_ms), "train_ms_min": min(train_ms),
        "infer_ms": statistics.median(infer_ms), "infer_ms_min": min(infer_ms),
        "stream_us_per_frame": stream, "reps": a.reps,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=ints, default=[64])
    ap.add_argument("--hidden", type=ints, default=[256])
    for name, default in (("steps", 300), ("input", 40), ("layers", 2), ("warmup", 3), ("reps", 10)):
        ap.add_argument("--" + name, type=int, default=default)
    a = ap.parse_args()
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    dev = torch.device("cuda")
    for hidden in a.hidden:
        for batch in a.batch:
            print(json.dumps(measure(a, batch, hidden, dev)), flush=True)


if __name__ == "__main__":
    main()
