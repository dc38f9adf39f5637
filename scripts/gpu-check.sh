#!/usr/bin/env bash
# Runs on the lent GPU machine (see scripts/gpu-pack-project.sh): every check the GPU backend has, in one
# call, so that a 15-minute device budget covers them. Writes its logs to $OUT (the device tool brings them
# back) or to /tmp/gpu-check.
#   1. the kernels module's tests on the GPU (each kernel, every Backend op, training steps and float64
#      gradient checks against the CPU, the PyTorch parity cases, the runtime and cuBLAS binding)
#   2. the rest of the test suite (engine, audio, ser-app) on that machine
#   3. the benchmarks: our LSTM training step and PyTorch's cuDNN nn.LSTM on the same work, same run; each
#      kernel's bandwidth beside the measured copy and SGEMM ceilings
# Options: SER_GPU_CHECK="tests suite bench" (default all three).
set -uo pipefail
out=${OUT:-/tmp/gpu-check}
mkdir -p "$out"
steps=${SER_GPU_CHECK:-tests suite bench}
tar xzf .gpu/jre.tgz -C /tmp && export JAVA_HOME=/tmp/jre PATH=/tmp/jre/bin:$PATH
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.txt"
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m)
lib=.gpu/lib
junit=$(ls $lib/junit-platform-console-standalone-*.jar)
status=0
run_tests() { # name, classpath, selectors...
  local name=$1 cp=$2; shift 2
  java "${flags[@]}" -Dser.test.devices=cuda -jar "$junit" execute -cp "$cp" "$@" --details=tree --disable-banner \
    > "$out/$name.log" 2>&1
  local rc=$?
  grep -E "tests (successful|failed|aborted|skipped)" "$out/$name.log" | sed "s/^/$name: /"
  [ $rc -eq 0 ] || { status=1; grep -E "✘|MethodSource|Exception" "$out/$name.log" | head -20; }
}
if [[ $steps == *tests* ]]; then
  run_tests kernels-tests "$lib/benchmarks.jar:$lib/tests/kernels:kernels/src/test/resources:$lib/tests/engine:engine/src/test/resources" --select-package dev.ser.cuda
fi
if [[ $steps == *suite* ]]; then
  run_tests engine-tests "$lib/benchmarks.jar:$lib/tests/engine:engine/src/test/resources" --select-package dev.ser.engine
  run_tests audio-tests "$lib/benchmarks.jar:$lib/tests/audio:audio/src/test/resources" --select-package dev.ser.audio
  run_tests app-tests "$lib/ser-app.jar:$lib/benchmarks.jar:$lib/tests/ser-app:ser-app/src/test/resources" --select-package dev.ser.app
fi
if [[ $steps == *bench* ]]; then
  # Issue 5's grid: every implementation of ours (cell, persistent, cudnn) and PyTorch's nn.LSTM (cuDNN), training
  # and inference, T=300, I=40, 2 layers, float32; streaming latency at B=1. A persistent fallback is logged
  # on stderr with its reason. SER_GPU_BENCH_SIZES="--batch 64 --hidden 256" narrows it.
  sizes=${SER_GPU_BENCH_SIZES:---batch 1,8,32,64,256 --hidden 128,256,512,1024}
  java "${flags[@]}" -cp "$lib/benchmarks.jar" dev.ser.bench.gpu.GpuLstmStep --algorithm cell,persistent,cudnn $sizes \
      --warmup 2 --reps 5 | tee "$out/lstm-step.jsonl" || status=1
  PYTHONUNBUFFERED=1 python3 bench/python/torch_lstm_gpu.py $sizes --warmup 2 --reps 5 | tee -a "$out/lstm-step.jsonl" || status=1
  python3 bench/python/lstm_table.py "$out/lstm-step.jsonl" | tee "$out/lstm-table.md"
  java "${flags[@]}" -cp "$lib/benchmarks.jar" dev.ser.bench.gpu.GpuKernels | tee "$out/kernels.jsonl" || status=1
fi
exit $status
