#!/usr/bin/env python3
"""How many of a speaker's clips does `ser predict --speakers` need?

Each held-out RAVDESS actor's (19-24) clips are dealt at random (seeded) into batches of K; each batch is predicted
with `ser predict --speakers one` and the bundled speaker-normalized ensemble, so every clip is normalized over
the K clips of its batch, labels unseen. Prints accuracy and UAR over the 358 clips for each K (docs/results.md).
With the bundled pair, a batch of one clip goes to the bundled default model (so K = 1 gives its figure); with
--model MODEL (a speaker-normalized model, e.g. the bundled one's file) every batch goes to MODEL.

    scripts/speaker-batch-size.py [--model MODEL] 60 20 10 5   (about 3 minutes per K on 2 cores, 15 for K = 1;
                                                                needs ../shared/datasets)
"""
import argparse
import csv
import glob
import io
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets", "ravdess")


def predict(files, model):
    out = subprocess.run([os.environ.get("SER", os.path.join(ROOT, "ser")), "predict", *files, "--speakers", "one", "--format", "csv"]
                         + (["--model", model] if model else []), capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def main(sizes, model):
    for k in sizes:
        rows = []
        for actor in range(19, 25):
            files = sorted(glob.glob(os.path.join(DATA, f"Actor_{actor:02d}", "*.wav")))
            random.Random(actor * 100 + k).shuffle(files)
            batches = [files[i:i + k] for i in range(0, len(files), k)]
            if len(batches) > 1 and len(batches[-1]) < k:  # no batch smaller than K: the rest joins the one before
                rest = batches.pop()
                batches[-1] = batches[-1] + rest
            for batch in batches:
                rows += predict(batch, model)
        labels = sorted({r["true"] for r in rows})
        accuracy = sum(r["true"] == r["label"] for r in rows) / len(rows)
        uar = sum(sum(r["label"] == c for r in rows if r["true"] == c) / sum(r["true"] == c for r in rows) for c in labels) / len(labels)
        print(f"K={k}: {len(rows)} clips, accuracy {accuracy:.3f}, UAR {uar:.3f}", flush=True)


if __name__ == "__main__":
    if not os.path.isdir(DATA):
        sys.exit(f"no RAVDESS copy at {DATA}")
    parser = argparse.ArgumentParser(description="accuracy of ser predict --speakers one by clips per batch")
    parser.add_argument("--model", help="a speaker-normalized model (default: the bundled pair)")
    parser.add_argument("sizes", type=int, nargs="*", default=[60, 20, 10, 5], help="clips per batch, K")
    options = parser.parse_args()
    main(options.sizes, options.model)
