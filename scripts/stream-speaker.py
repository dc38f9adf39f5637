#!/usr/bin/env python3
"""How fast does `ser predict --stream --speakers one` adapt to a voice?

Each held-out RAVDESS actor's (19-24) 60 clips, in a seeded random order, are joined into one recording (every
clip 2.389 s, 38229 samples at 16 kHz), streamed with windows and hops of exactly one clip, so window k is clip k:
once with `--speakers one` and the bundled speaker-normalized ensemble (window k standardized over windows 0..k),
once clip by clip with the default bundled model. Prints accuracy and UAR over the 6 x 60 windows, by how many of
the speaker's clips had been heard (docs/results.md). With --orders N, N different orders of each actor's clips
(so N x 6 windows at each position).

    scripts/stream-speaker.py [--orders N] [--model MODEL]   (MODEL: a speaker-normalized model; default: the bundled
                                          one. About 2 minutes an order on 2 cores; needs ../shared/datasets)
"""
import argparse
import csv
import glob
import io
import os
import random
import subprocess
import sys
import tempfile
import wave

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets", "ravdess")
LABELS = {"01": "neutral", "02": "calm", "03": "happy", "04": "sad", "05": "angry", "06": "fearful", "07": "disgust",
          "08": "surprised"}
# window k starting at or after clip BUCKETS[i] and before BUCKETS[i + 1]: "the k-th clip heard"
BUCKETS = [(1, 1), (2, 5), (6, 10), (11, 20), (21, 60), (1, 60)]  # the last row: all


def join(files, out):
    """The clips one after another in one 16 kHz mono WAV; returns the clip length in samples (all equal)."""
    frames, lengths = [], set()
    for f in files:
        with wave.open(f) as w:
            if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (16000, 1, 2):
                sys.exit(f"{f}: expected 16 kHz mono 16-bit (the 2.39 s RAVDESS copy)")
            lengths.add(w.getnframes())
            frames.append(w.readframes(w.getnframes()))
    if len(lengths) != 1:
        sys.exit(f"clips of different lengths {sorted(lengths)}: windows would not line up with clips")
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"".join(frames))
    return lengths.pop()


def stream(wav, seconds, options):
    out = subprocess.run([os.path.join(ROOT, "ser"), "predict", "--stream", wav, "--window", repr(seconds), "--hop", repr(seconds),
                          "--format", "csv", *options], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    return list(csv.DictReader(io.StringIO(out.stdout)))


def scores(pairs):
    labels = sorted({t for t, _ in pairs})
    accuracy = sum(t == p for t, p in pairs) / len(pairs)
    uar = sum(sum(p == c for t, p in pairs if t == c) / sum(t == c for t, _ in pairs) for c in labels) / len(labels)
    return accuracy, uar


def main(orders, model):
    results = {"--speakers one": [], "clip by clip": []}
    with tempfile.TemporaryDirectory() as tmp:
        for order, actor in ((o, a) for o in range(orders) for a in range(19, 25)):
            files = sorted(glob.glob(os.path.join(DATA, f"Actor_{actor:02d}", "*.wav")))
            random.Random(actor + 100 * order).shuffle(files)  # order 0: seed = the actor, as before --orders
            truth = [LABELS[os.path.basename(f).split("-")[2]] for f in files]
            wav = os.path.join(tmp, f"actor-{actor}.wav")
            seconds = join(files, wav) / 16000
            for name, options in (("--speakers one", ["--speakers", "one"] + (["--model", model] if model else [])), ("clip by clip", [])):
                rows = stream(wav, seconds, options)
                if len(rows) != len(files):
                    sys.exit(f"actor {actor}: {len(rows)} windows for {len(files)} clips")
                results[name] += [(k + 1, t, r.get("label", "")) for k, (t, r) in enumerate(zip(truth, rows))]
    print(f"{'clips heard':<14}" + "".join(f"{name:>28}" for name in results))
    for lo, hi in BUCKETS:
        cells = []
        for name, rows in results.items():
            pairs = [(t, p) for k, t, p in rows if lo <= k <= hi]
            accuracy, uar = scores(pairs)
            cells.append(f"{accuracy:.3f} / {uar:.3f} ({len(pairs)})")
        print(f"{f'{lo}-{hi}' if lo != hi else str(lo):<14}" + "".join(f"{c:>28}" for c in cells), flush=True)


if __name__ == "__main__":
    if not os.path.isdir(DATA):
        sys.exit(f"no RAVDESS copy at {DATA}")
    parser = argparse.ArgumentParser(description="accuracy of ser predict --stream --speakers one by clips heard")
    parser.add_argument("--orders", type=int, default=1, help="orders of each actor's clips (default 1)")
    parser.add_argument("--model", help="a speaker-normalized model (default: the bundled one)")
    options = parser.parse_args()
    main(options.orders, options.model)
