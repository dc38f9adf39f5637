#!/usr/bin/env bash
# Times our fused CPU LSTM (JMH LstmBenchmark) and PyTorch's nn.LSTM (bench/python/torch_lstm_cpu.py)
# one after the other, same work (float32, B=32 T=300 I=40 H=256, 2 layers, forward + backward of
# sum(y)), same thread count; prints both and the ratio.
#
#   bench/run-lstm-vs-torch.sh [THREADS=2] [JMH options...]     e.g. bench/run-lstm-vs-torch.sh 2 -i 3
#
# With THREADS=2 ours runs twice: 2 threads on the recurrence's batch rows (GEMMs serial), and 1
# recurrence thread with 2-thread GEMMs; the better one is compared. PyTorch gets
# torch.set_num_threads(THREADS). Needs bench/target/benchmarks.jar (mvn -B -q install -DskipTests)
# and python3 with torch (Debian: apt-get install python3-torch).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$root/scripts/jdk25.sh"
ser_find_jdk25
threads=${1:-2}
shift || true
jar="$root/bench/target/benchmarks.jar"
[[ -f $jar ]] || { echo "no $jar: build it with 'mvn -B -q install -DskipTests' in $root" >&2; exit 1; }
# Debian's torch lives in /usr/lib/python3/dist-packages; a pyenv/venv python3 first on PATH lacks it.
py=${PYTHON:-/usr/bin/python3}
"$py" -c 'import torch' 2>/dev/null || { echo "$py cannot import torch: apt-get install python3-torch, or set PYTHON=" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ $threads == 1 ]]; then combos=("1 1"); else combos=("$threads 1" "1 $threads"); fi
best=""
for combo in "${combos[@]}"; do
  read -r lt gt <<<"$combo"
  # JMH refuses to start while another JMH run holds /tmp/jmh.lock (a colleague's benchmark on this
  # shared machine): wait for it rather than measure two benchmarks fighting over two cores.
  for attempt in $(seq 1 40); do
    if "$JAVA_HOME/bin/java" -jar "$jar" 'LstmBenchmark' -p lstmThreads="$lt" -p gemmThreads="$gt" \
        -rf json -rff "$out/ours-$lt-$gt.json" "$@" >"$out/ours-$lt-$gt.log" 2>&1; then break; fi
    grep -q 'Unable to acquire the JMH lock' "$out/ours-$lt-$gt.log" || { cat "$out/ours-$lt-$gt.log" >&2; exit 1; }
    [[ $attempt == 40 ]] && { echo "another JMH run held /tmp/jmh.lock for 20 minutes; giving up" >&2; exit 1; }
    echo "another JMH run holds /tmp/jmh.lock; retrying in 30 s" >&2
    sleep 30
  done
  # The median of JMH's measurement iterations, like the Python side's median of repetitions: on a
  # shared machine the mean is dragged by whoever else is running. JMH's mean is printed beside it.
  ms=$("$py" -c '
import json, statistics, sys
r = json.load(open(sys.argv[1]))[0]["primaryMetric"]
it = [x for fork in r["rawData"] for x in fork]
print("%.1f %.1f %.1f %.1f %.1f" % (statistics.median(it), min(it), max(it), r["score"], r["scoreError"]))' "$out/ours-$lt-$gt.json")
  read -r med lo hi mean err <<<"$ms"
  echo "ours  (lstmThreads=$lt gemmThreads=$gt): median $med ms/iter (min $lo, max $hi; JMH mean $mean ± $err)"
  ms=$med
  if [[ -z $best ]] || "$py" -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "${ms% *}" "$best"; then
    best=${ms% *}
  fi
done

# OpenMP threads busy-wait by default; on a machine shared with other jobs that costs PyTorch a lot,
# so it runs with passive waiting (its best case here); OpenBLAS single-threaded under torch's own threads.
torch_json=$(OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} \
    "$py" "$root/bench/python/torch_lstm_cpu.py" --threads "$threads")
echo "torch: $torch_json"
torch_ms=$("$py" -c 'import json,sys; print(json.loads(sys.argv[1])["ms_per_iter"])' "$torch_json")  # median
"$py" -c 'import sys; o,t=float(sys.argv[1]),float(sys.argv[2]); print("median: ours %.1f ms vs PyTorch %.1f ms per iteration: ours is %.2fx PyTorch'"'"'s throughput" % (o,t,t/o))' "$best" "$torch_ms"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
