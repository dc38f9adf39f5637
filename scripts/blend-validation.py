#!/usr/bin/env python3
"""Would averaging the clip-level model with the speaker-level model help? Asked on validation, member by member.

For each validation fold `val-AA-BB-CC` present in both run folders, the clip-level member (with test-time speeds
0.9, 1.0, 1.1, as the bundled default model predicts) and the speaker-level member (`--speakers corpus`: each clip
normalized over its actor's clips) predict the fold's three actors; the script prints each fold's UAR for the
mixture  w * p_clip + (1 - w) * p_speaker  over a range of w, and the mean over the folds (docs/results.md).

    scripts/blend-validation.py runs/bundled runs/bundled/speaker-h256   (about 1.5 minutes a fold on 2 cores;
                                                                          needs ../shared)
"""
import csv
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets", "ravdess")
WEIGHTS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0]


def predict(model, actors, *options):
    folders = [os.path.join(DATA, f"Actor_{a}") for a in actors]
    result = subprocess.run([os.path.join(ROOT, "ser"), "predict", *folders, "--model", model, "--format", "csv", *options],
                            capture_output=True, text=True)
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if not r["error"]]
    if not rows:
        sys.exit(f"ser predict gave no predictions for {model}:\n{result.stderr}")
    classes = [k[2:] for k in rows[0] if k.startswith("p_")]
    return classes, {r["file"]: (r["true"], [float(r["p_" + c]) for c in classes]) for r in rows}


def uar(truth, probabilities, classes):
    predicted = [classes[max(range(len(p)), key=p.__getitem__)] for p in probabilities]
    present = sorted(set(truth))
    return sum(sum(p == c for t, p in zip(truth, predicted) if t == c) / truth.count(c) for c in present) / len(present)


def main(clip_runs, speaker_runs):
    for folder in (clip_runs, speaker_runs):
        if not os.path.isdir(folder):
            sys.exit(f"no folder {folder}: give two folders of val-* runs (scripts/train-bundled-model.sh makes them)")
    folds = sorted(f for f in os.listdir(clip_runs) if f.startswith("val-") and os.path.isdir(os.path.join(speaker_runs, f)))
    if not folds:
        sys.exit(f"no val-* folder in both {clip_runs} and {speaker_runs}")
    print(f"{'fold':<12} " + "  ".join(f"w={w:.1f}" for w in WEIGHTS), flush=True)
    table = []
    for fold in folds:
        actors = fold[len("val-"):].split("-")
        classes, clip = predict(os.path.join(clip_runs, fold, "model.safetensors"), actors, "--tta", "0.9,1.0,1.1")
        classes_s, speaker = predict(os.path.join(speaker_runs, fold, "model.safetensors"), actors, "--speakers", "corpus")
        if classes != classes_s:
            sys.exit(f"{fold}: the two members have different label sets: {classes} and {classes_s}")
        files = sorted(set(clip) & set(speaker))
        truth = [clip[f][0] for f in files]
        row = [uar(truth, [[w * a + (1 - w) * b for a, b in zip(clip[f][1], speaker[f][1])] for f in files], classes)
               for w in WEIGHTS]
        table.append(row)
        print(f"{fold} " + "  ".join(f"{x:.3f}" for x in row), flush=True)
    print(f"{'mean':<12} " + "  ".join(f"{sum(col) / len(col):.3f}" for col in zip(*table)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    if not os.path.isdir(DATA):
        sys.exit(f"no RAVDESS copy at {DATA}")
    main(sys.argv[1], sys.argv[2])
