#!/usr/bin/env python3
"""Joins the JSON lines of GpuLstmStep (ours: cell, persistent, cudnn) and torch_lstm_gpu.py (PyTorch's
nn.LSTM) from one run into markdown tables: training step and inference forward in ms per (B, H), each of
ours as a ratio to PyTorch (>1: ours is faster), and streaming latency per frame where measured.

Usage: lstm_table.py lstm-step.jsonl [more.jsonl ...]  (lines that are not JSON, e.g. logs, are skipped)
"""
import json
import sys


def rows(paths):
    for path in paths:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError:
                        pass


def main():
    data = {}
    impls = []
    device = None
    for r in rows(sys.argv[1:]):
        if "skipped" in r or "train_ms" not in r:
            continue
        key = (r["batch"], r["hidden"])
        data.setdefault(key, {})[r["impl"]] = r
        if r["impl"] not in impls:
            impls.append(r["impl"])
        device = device or r.get("device")
    ours = [i for i in impls if i != "torch"]
    print(f"Device: {device}. ms per call (median); ratio = PyTorch's time / ours (>1: ours faster).\n")
    for what, field in (("Training step (forward + backward)", "train_ms"), ("Inference forward", "infer_ms")):
        print(f"**{what}**\n")
        print("| B | H | PyTorch (cuDNN) | " + " | ".join(ours) + " |")
        print("| --- | --- | --- | " + " | ".join("---" for _ in ours) + " |")
        for (b, h) in sorted(data):
            cells = data[(b, h)]
            torch = cells.get("torch", {}).get(field)
            line = f"| {b} | {h} | " + (f"{torch:.2f}" if torch else "-")
            for impl in ours:
                mine = cells.get(impl, {}).get(field)
                line += " | " + (f"{mine:.2f} ({torch / mine:.2f}x)" if mine and torch else (f"{mine:.2f}" if mine else "-"))
            print(line + " |")
        print()
    streams = [(k, v) for k, v in sorted(data.items()) if any(r.get("stream_us_per_frame") for r in v.values())]
    if streams:
        print("**Streaming, one frame at a time (B=1), microseconds per frame**\n")
        print("| H | " + " | ".join(impls) + " |")
        print("| --- | " + " | ".join("---" for _ in impls) + " |")
        for (b, h), cells in streams:
            print(f"| {h} | " + " | ".join(
                f"{cells[i]['stream_us_per_frame']:.0f}" if i in cells and cells[i].get("stream_us_per_frame") else "-" for i in impls) + " |")


if __name__ == "__main__":
    main()
