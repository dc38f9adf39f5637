#!/usr/bin/env python3
"""Times torchaudio doing the work of our default feature pipeline, one thread, on the same WAV clips.

The work per clip, as in dev.ser.bench.audio.FeaturePipelineBenchmark:
  decode (torchaudio.load) -> resample to 16 kHz (torchaudio.transforms.Resample, kernel cached per rate)
  -> one power STFT (n_fft 512, win_length 400 Hann, hop_length 160, center, constant padding)
  -> 40 Slaney mel bands (Slaney norm) -> power to dB (top_db 80) -> 13 MFCCs (DCT-II ortho)
  -> deltas of order 1 and 2 (width 9) -> 12 chroma bins (norm inf).

Where the work is shared (one STFT feeds mel and chroma; the MFCCs are the DCT of the dB mel already
computed) torchaudio is given the same sharing: Spectrogram once, MelScale on it, and the DCT matrix of
torchaudio.functional.create_dct applied to the dB mel (what torchaudio.transforms.MFCC does after
computing its own mel spectrogram), so neither side computes anything twice.

Not identical work, and said so in the output:
  * torchaudio 0.13 has no chroma; the chroma filterbank is librosa.filters.chroma ported to numpy below
    (built once, outside the timing) and applied in torch as one matrix product plus a per-frame max.
  * compute_deltas is a plain regression filter; the second-order delta is compute_deltas applied twice
    (librosa's order-2 delta is a Savitzky-Golay filter; the cost is the same, the edge values differ).
  * resampling: torchaudio's default (sinc_interp_hann, lowpass_filter_width 6) is much shorter than
    librosa's kaiser_best (resampy, 50 zero crossings) which our pipeline reproduces. Both are timed:
    --resampling default | kaiser (torchaudio's kaiser_best preset: width 64, kaiser_window, beta 14.77).

Prints audio seconds per second of wall-clock time (best and median of --repeats passes over all clips)
and writes nothing. Usage: torchaudio_features.py [--repeats 10] [--resampling default|kaiser|both] CLIP.wav...
"""
import argparse
import math
import sys
import time

import numpy as np
import torch
import torchaudio
import torchaudio.functional as AF
import torchaudio.transforms as T

SR, N_FFT, HOP, WIN, N_MELS, N_MFCC, N_CHROMA, DELTA_WIDTH, TOP_DB = 16000, 512, 160, 400, 40, 13, 12, 9, 80.0

# torchaudio's "kaiser_best" preset (torchaudio docs, resampling tutorial), the closest it has to resampy's.
KAISER = dict(lowpass_filter_width=64, rolloff=0.9475937167399596, resampling_method="kaiser_window",
              beta=14.769656459379492)


def chroma_filterbank(sr, n_fft, n_chroma=12, tuning=0.0, ctroct=5.0, octwidth=2.0):
    """librosa.filters.chroma (0.10) with norm=2, base_c=True: [n_chroma, 1 + n_fft // 2]."""
    frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    a440 = 440.0 * 2.0 ** (tuning / n_chroma)
    frqbins = n_chroma * np.log2(frequencies / (a440 / 16))
    frqbins = np.concatenate(([frqbins[0] - 1.5 * n_chroma], frqbins))
    binwidthbins = np.concatenate((np.maximum(frqbins[1:] - frqbins[:-1], 1.0), [1]))
    d = np.subtract.outer(frqbins, np.arange(0, n_chroma, dtype="d")).T
    n_chroma2 = np.round(float(n_chroma) / 2)
    d = np.remainder(d + n_chroma2 + 10 * n_chroma, n_chroma) - n_chroma2
    wts = np.exp(-0.5 * (2 * d / np.tile(binwidthbins, (n_chroma, 1))) ** 2)
    norms = np.sqrt((wts ** 2).sum(axis=0, keepdims=True))
    wts = wts / np.where(norms < np.finfo(wts.dtype).tiny, 1.0, norms)
    wts *= np.tile(np.exp(-0.5 * (((frqbins / n_chroma - ctroct) / octwidth) ** 2)), (n_chroma, 1))
    wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    return np.ascontiguousarray(wts[:, : int(1 + n_fft / 2)], dtype=np.float32)


class Pipeline:
    def __init__(self, resampling):
        self.resample_kwargs = KAISER if resampling == "kaiser" else {}
        self.resamplers = {}  # T.Resample caches its sinc kernel; AF.resample would rebuild it every call
        self.spectrogram = T.Spectrogram(n_fft=N_FFT, win_length=WIN, hop_length=HOP, power=2.0, center=True,
                                         pad_mode="constant")
        self.mel_scale = T.MelScale(n_mels=N_MELS, sample_rate=SR, f_min=0.0, f_max=None, n_stft=N_FFT // 2 + 1,
                                    norm="slaney", mel_scale="slaney")
        self.to_db = T.AmplitudeToDB(stype="power", top_db=TOP_DB)
        self.dct = AF.create_dct(N_MFCC, N_MELS, norm="ortho")  # [n_mels, n_mfcc]
        self.chroma_fb = torch.from_numpy(chroma_filterbank(SR, N_FFT, N_CHROMA))

    def load(self, path):
        wav, sr = torchaudio.load(path)
        wav = wav.mean(dim=0)  # mono, as librosa.load(mono=True)
        if sr != SR:
            if sr not in self.resamplers:
                self.resamplers[sr] = T.Resample(sr, SR, **self.resample_kwargs)
            wav = self.resamplers[sr](wav)
        return wav

    def __call__(self, path):
        return self.features(self.load(path))

    def features(self, wav):
        spec = self.spectrogram(wav)                                   # [257, frames]
        mel_db = self.to_db(self.mel_scale(spec))                      # [40, frames]
        mfcc = torch.matmul(mel_db.transpose(-1, -2), self.dct).transpose(-1, -2)  # [13, frames]
        d1 = AF.compute_deltas(mfcc, win_length=DELTA_WIDTH)
        d2 = AF.compute_deltas(d1, win_length=DELTA_WIDTH)
        raw = torch.matmul(self.chroma_fb, spec)                        # [12, frames]
        peak = raw.abs().amax(dim=0, keepdim=True)
        chroma = raw / torch.where(peak < torch.finfo(raw.dtype).tiny, torch.ones_like(peak), peak)
        # frames-major matrix, as our pipeline returns
        return torch.cat([mfcc, d1, d2, mel_db, chroma], dim=0).T.contiguous(), wav.numel() / SR


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--resampling", choices=["default", "kaiser", "both"], default="both")
    ap.add_argument("clips", nargs="+")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    print(f"torchaudio {torchaudio.__version__}, torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"{len(a.clips)} clips")
    print("note: chroma via librosa.filters.chroma ported to numpy (torchaudio 0.13 has none); "
          "delta2 = compute_deltas twice")
    for mode in (["default", "kaiser"] if a.resampling == "both" else [a.resampling]):
        pipeline = Pipeline(mode)
        seconds_in = sum(torchaudio.info(c).num_frames / torchaudio.info(c).sample_rate for c in a.clips)
        for c in a.clips[:3]:
            pipeline(c)  # warm-up: first-call allocations, resampling kernels
        times = []
        width = None
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            for c in a.clips:
                out, _ = pipeline(c)
                width = out.shape[1]
            times.append(time.perf_counter() - t0)
        best, median = min(times), sorted(times)[len(times) // 2]
        print(f"torchaudio resampling={mode}: {seconds_in:.1f} s of audio in {best:.3f} s (best of {a.repeats} passes) = "
              f"{seconds_in / best:.1f} audio-s/s; median {seconds_in / median:.1f} audio-s/s  [{width} features per frame]")
        print(f"RESULT torchaudio_{mode} {seconds_in / best:.3f}")
    # The features alone, from 16 kHz signals in memory: no decoding, no resampling.
    pipeline = Pipeline("kaiser")
    signals = [pipeline.load(c) for c in a.clips]
    seconds_16k = sum(w.numel() for w in signals) / SR
    times = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        for w in signals:
            pipeline.features(w)
        times.append(time.perf_counter() - t0)
    best, median = min(times), sorted(times)[len(times) // 2]
    print(f"torchaudio features only (16 kHz in memory): {seconds_16k / best:.1f} audio-s/s best, "
          f"{seconds_16k / median:.1f} median")
    print(f"RESULT torchaudio_features {seconds_16k / best:.3f}")


if __name__ == "__main__":
    sys.exit(main())
