#!/usr/bin/env python3
"""Compares `ser train` on the GPU with the same run on the CPU (scripts/gpu-check.sh, its train step).

WORK holds one run folder per device and LSTM (cpu-fused, cuda-fused, cuda-cudnn, cuda-persistent), trained with the
same seed, data order and initial weights and no dropout or augmentation, so their losses differ by float32 rounding
alone; and eval-cpu / eval-cuda, `ser evaluate` of one model on each device. Prints every epoch's losses side by side
and exits 1 when a GPU run's loss strays from the CPU's by more than the tolerance, or the two evaluations disagree.
    scripts/gpu-train-compare.py WORK
"""
import csv
import json
import pathlib
import sys

# Relative, per epoch, train and validation loss (metrics.csv keeps 6 decimals). The emulated device (the same kernels
# compiled by g++) matches the CPU in every printed digit; on a GPU, float32 sums in another order (cuBLAS, cuDNN)
# should stay far below this, while a wrong gate or gradient turns every Adam step (lr 3e-3) another way.
LOSS_TOLERANCE = 1e-3
RUNS = ["cpu-fused", "cuda-fused", "cuda-cudnn", "cuda-persistent"]


def metrics(run_dir):
    path = run_dir / "metrics.csv"
    if not path.exists():
        return None
    with path.open() as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


def relative(a, b):
    return abs(a - b) / max(abs(b), 1e-12)


def main(work):
    reference = metrics(work / "cpu-fused")
    if reference is None:
        print("train: the CPU run left no metrics.csv; nothing to compare against")
        return 1
    ok = True
    print(f"{'run':<16} {'epoch':>5} {'train loss':>11} {'val loss':>11} {'rel. diff (train, val)':>24} {'seconds':>8}")
    for run in RUNS:
        rows = metrics(work / run)
        if rows is None or len(rows) != len(reference):
            print(f"{run:<16} failed: {'no metrics.csv' if rows is None else f'{len(rows)} epochs, the CPU ran {len(reference)}'}")
            ok = False
            continue
        for row, ref in zip(rows, reference):
            d_train, d_val = relative(row["train_loss"], ref["train_loss"]), relative(row["val_loss"], ref["val_loss"])
            stray = run != "cpu-fused" and max(d_train, d_val) > LOSS_TOLERANCE
            ok &= not stray
            print(f"{run:<16} {int(row['epoch']):>5} {row['train_loss']:>11.6f} {row['val_loss']:>11.6f} "
                  f"{d_train:>11.2e} {d_val:>11.2e}  {row['seconds']:>8.2f}{'  > tolerance' if stray else ''}")
    accuracies = {}
    for device in ("cpu", "cuda"):
        path = work / f"eval-{device}" / "evaluation.json"
        accuracies[device] = json.loads(path.read_text())["accuracy"] if path.exists() else None
    agree = accuracies["cpu"] is not None and accuracies["cpu"] == accuracies["cuda"]
    print(f"ser evaluate of cuda-fused's model: accuracy {accuracies['cpu']} on the CPU, {accuracies['cuda']} on the GPU"
          f"{'' if agree else '  (they must agree)'}")
    ok &= agree
    print(f"train: {'the GPU runs match the CPU' if ok else 'FAILED'} (loss tolerance {LOSS_TOLERANCE:g} relative)")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(pathlib.Path(sys.argv[1])))
