#!/usr/bin/env python3
"""Make yin.safetensors.gz, the librosa.yin reference used by YinTest.

    python3 -m venv /tmp/rosa && /tmp/rosa/bin/pip install --no-index --find-links /opt/pypi/files librosa
    /tmp/rosa/bin/python audio/src/test/resources/librosa-pitch/make_yin_reference.py

librosa 0.11.0 (its yin, unlike 0.10's, has no integration window: the whole frame is compared with its
shift). Each input y is stored (float32, so the test feeds the same samples); each case stores librosa.yin's f0 and
the cumulative mean normalized difference at the chosen period (librosa computes it; yin does not return
it), both from y in float64. The parameters are in __metadata__.
"""
import gzip, json, os, struct, sys, types
import numpy as np

# librosa imports soundfile, whose wheel needs libsndfile; nothing here reads audio through it.
sys.modules.setdefault("soundfile", types.ModuleType("soundfile"))
import librosa
from scipy.io import wavfile
from librosa.core.pitch import _cumulative_mean_normalized_difference, _parabolic_interpolation

here = os.path.dirname(os.path.abspath(__file__))
clips = os.path.join(here, "..", "librosa", "clips")


def yin_with_aperiodicity(y, sr, frame_length, hop_length, fmin, fmax, threshold):
    """librosa.yin's steps (center=True, pad_mode="constant"), keeping the CMNDF value it picks."""
    yp = np.pad(y, (frame_length // 2, frame_length // 2), mode="constant")
    frames = librosa.util.frame(yp, frame_length=frame_length, hop_length=hop_length)
    min_period = int(np.floor(sr / fmax))
    max_period = min(int(np.ceil(sr / fmin)), frame_length - 1)
    d = _cumulative_mean_normalized_difference(frames, min_period, max_period)
    shifts = _parabolic_interpolation(d)
    trough = librosa.util.localmin(d, axis=-2)
    trough[0, :] = d[0, :] < d[1, :]
    below = np.logical_and(trough, d < threshold)
    idx = np.argmax(below, axis=0)
    none = ~below.any(axis=0)
    idx[none] = np.argmin(d, axis=0)[none]
    cols = np.arange(d.shape[1])
    f0 = sr / (min_period + idx + shifts[idx, cols])
    return f0, d[idx, cols]


sr_speech, pcm = wavfile.read(os.path.join(clips, "speech_espeak_16k_pcm16.wav"))
speech = (pcm / 32768.0).astype(np.float32)   # as librosa.load decodes 16-bit PCM
rng = np.random.default_rng(7)
sr = 16000
t = np.arange(int(1.0 * sr)) / sr
glide = 110.0 * 3.0 ** t                       # 110 -> 330 Hz, exponential
phase = 2 * np.pi * np.cumsum(glide) / sr
tone = sum(0.3 / k * np.sin(k * phase) for k in range(1, 6))
synthetic = np.concatenate([tone, 0.05 * rng.standard_normal(int(0.3 * sr)), np.zeros(int(0.2 * sr))]).astype(np.float32)

cases = {
    "speech_default": ("speech", sr_speech, 1024, 160, 65.0, 800.0, 0.1),
    "speech_wide": ("speech", sr_speech, 2048, 256, 40.0, 2000.0, 0.1),
    "synthetic_default": ("synthetic", sr, 1024, 160, 65.0, 800.0, 0.1),
}
tensors, meta = {}, {"librosa": librosa.__version__, "numpy": np.__version__, "cases": {}}
inputs = {"speech": speech, "synthetic": synthetic}
for name, y in inputs.items():
    tensors[name + ".y"] = y.astype(np.float32)
for name, (source, rate, fl, hop, fmin, fmax, thr) in cases.items():
    y = inputs[source]
    f0, aperiodicity = yin_with_aperiodicity(y.astype(np.float64), rate, fl, hop, fmin, fmax, thr)
    official = librosa.yin(y.astype(np.float64), fmin=fmin, fmax=fmax, sr=rate, frame_length=fl, hop_length=hop,
                           trough_threshold=thr)
    assert np.array_equal(f0, official), name
    tensors[name + ".f0"] = f0
    tensors[name + ".aperiodicity"] = aperiodicity
    meta["cases"][name] = {"input": source + ".y", "sr": rate, "frame_length": fl, "hop_length": hop, "fmin": fmin, "fmax": fmax,
                           "trough_threshold": thr, "center": True, "pad_mode": "constant",
                           "call": "librosa.yin(y.astype(float64), fmin, fmax, sr, frame_length, hop_length, trough_threshold)"}

header, blobs, offset = {"__metadata__": {"yin": json.dumps(meta)}}, [], 0
for key in sorted(tensors):
    a = tensors[key]
    b = a.astype("<f4" if a.dtype == np.float32 else "<f8").tobytes()
    header[key] = {"dtype": "F32" if a.dtype == np.float32 else "F64", "shape": list(a.shape),
                   "data_offsets": [offset, offset + len(b)]}
    blobs.append(b)
    offset += len(b)
hb = json.dumps(header, separators=(",", ":")).encode()
hb += b" " * (-len(hb) % 8)
with open(os.path.join(here, "yin.safetensors.gz"), "wb") as f:
    f.write(gzip.compress(struct.pack("<Q", len(hb)) + hb + b"".join(blobs), 9, mtime=0))
print({k: v.shape for k, v in tensors.items()})
