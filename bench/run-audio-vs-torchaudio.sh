#!/usr/bin/env bash
# Our feature pipeline against torchaudio doing the same work on the same clips, one thread each, in one run:
# decode -> resample 48k -> 16k -> MFCC 13 + deltas 1, 2 + log-mel 40 + chroma 12 (see
# bench/python/torchaudio_features.py for what torchaudio does and where its work differs).
#   bench/run-audio-vs-torchaudio.sh [CLIP_DIR] [ROUNDS]
#     CLIP_DIR  48 kHz WAV files; default ../shared/datasets/ravdess-48k/Actor_01. When absent, 58 synthetic
#               2.389 s 48 kHz clips are generated for both sides (and the output says so).
#     ROUNDS    Java and torchaudio alternate this many times (default 2). Each side's figure is its fastest
#               pass (torchaudio: best of 10 passes over all clips; ours: best JMH iteration, 2 s of passes), and
#               the best over rounds is compared: on a shared 2-core machine the figure least disturbed by
#               other processes. JMH's mean is printed beside it.
# Needs Debian's python3-torch and python3-torchaudio (apt-get install python3-torchaudio); PYTHON overrides
# the interpreter (default /usr/bin/python3, the one apt installs into).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$root/scripts/jdk25.sh"
ser_find_jdk25
cd "$root"
python=${PYTHON:-/usr/bin/python3}
clips=${1:-../shared/datasets/ravdess-48k/Actor_01}
rounds=${2:-2}
jar=bench/target/benchmarks.jar
log=$(mktemp); synthetic=""
trap 'rm -rf "$log" $synthetic' EXIT

if ! "$python" -c 'import torchaudio' 2>/dev/null; then
  echo "run-audio-vs-torchaudio: $python cannot import torchaudio; install it with: apt-get install -y python3-torchaudio" >&2
  exit 2
fi
if [ ! -d "$clips" ] || [ -z "$(ls "$clips"/*.wav 2>/dev/null)" ]; then
  echo "run-audio-vs-torchaudio: no .wav files in $clips; generating 58 synthetic 48 kHz clips for both sides"
  clips=$(mktemp -d); synthetic=$clips
  "$python" - "$clips" <<'PY'
import sys, wave, numpy as np
rng = np.random.default_rng(42)
n = round(2.389 * 48000); t = np.arange(n) / 48000
for c in range(58):
    f = (120 + 100 * rng.random()) * (1 + 0.1 * np.sin(2 * np.pi * 3 * t))
    phase = 2 * np.pi * np.cumsum(f) / 48000
    y = 0.1 * sum(np.sin(h * phase) / h for h in range(1, 11)) + 0.01 * (rng.random(n) - 0.5)
    with wave.open(f"{sys.argv[1]}/synthetic-{c:02d}.wav", "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(48000)
        w.writeframes((np.clip(y, -1, 1) * 32767).astype("<i2").tobytes())
PY
fi
if [ ! -f "$jar" ] || [ -n "$(find audio/src/main bench/src/main -name '*.java' -newer "$jar" -print -quit)" ]; then
  echo "run-audio-vs-torchaudio: building $jar" >&2
  mvn -B -q -DskipTests -pl bench -am package >&2
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
echo "clips: $clips ($(ls "$clips"/*.wav | wc -l) files)"
java_best=0; java_features=0; ta_default=0; ta_kaiser=0; ta_features=0
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
for r in $(seq "$rounds"); do
  # JMH lets one benchmark run at a time on a machine (/tmp/jmh.lock): wait for another one rather than share the cores.
  for wait in $(seq 60); do
    if out=$("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Dser.clips="$clips" -cp "$jar" \
             dev.ser.bench.audio.FeaturePipelineBenchmark -p stage=pipeline,features -wi 3 -w 2 -i 5 -r 2 2>"$log"); then break; fi
    if ! grep -q 'Unable to acquire the JMH lock' "$log"; then cat "$log" >&2; exit 1; fi
    [ "$wait" = 1 ] && echo "run-audio-vs-torchaudio: another JMH benchmark holds /tmp/jmh.lock; waiting for it (10 min at most)" >&2
    [ "$wait" = 60 ] && { echo "run-audio-vs-torchaudio: gave up waiting for /tmp/jmh.lock" >&2; exit 1; }
    sleep 10
  done
  v=$(sed -n 's/^RESULT java_pipeline //p' <<<"$out"); m=$(sed -n 's/^RESULT java_pipeline_mean //p' <<<"$out")
  f=$(sed -n 's/^RESULT java_features //p' <<<"$out")
  echo "round $r: ours (JMH, 1 thread):                      $v audio-s/s (JMH mean $m); features only $f"
  java_best=$(best "$java_best" "$v"); java_features=$(best "$java_features" "$f")
  out=$("$python" bench/python/torchaudio_features.py --repeats 10 "$clips"/*.wav)
  d=$(sed -n 's/^RESULT torchaudio_default //p' <<<"$out"); k=$(sed -n 's/^RESULT torchaudio_kaiser //p' <<<"$out")
  echo "round $r: torchaudio, default resampling (width 6):  $d audio-s/s"
  t=$(sed -n 's/^RESULT torchaudio_features //p' <<<"$out")
  echo "round $r: torchaudio, kaiser_best resampling (64):   $k audio-s/s; features only $t"
  ta_default=$(best "$ta_default" "$d"); ta_kaiser=$(best "$ta_kaiser" "$k"); ta_features=$(best "$ta_features" "$t")
done
awk -v j="$java_best" -v d="$ta_default" -v k="$ta_kaiser" -v jf="$java_features" -v tf="$ta_features" 'BEGIN {
  printf "best, whole pipeline: ours %.1f audio-s/s; torchaudio %.1f (default resampling), %.1f (kaiser_best resampling)\n", j, d, k
  printf "ratio ours / torchaudio: %.2fx against its kaiser_best resampling (like for like), %.2fx against its default\n", j / k, j / d
  printf "best, features only (16 kHz in memory): ours %.1f, torchaudio %.1f audio-s/s: %.2fx\n", jf, tf, jf / tf }'
echo "librosa: not measured here (not in Debian bookworm, and PyPI is unreachable from this machine)"
