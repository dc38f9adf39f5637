#!/usr/bin/env bash
# Runs CudaDeviceTest against a pretend NVIDIA driver and cuBLAS (fake_cuda.c, fake_cublas.c), on a machine
# without a GPU. What it proves: JCuda's JNI layer receives our raw device addresses, host addresses, stream
# handle and kernelParams array as intended, and the java.lang.foreign cuBLAS signatures pass every argument
# in the right place. What it cannot prove: anything about real GPU behaviour (ordering, speed, cuBLAS itself).
#   kernels/src/test/stub/check-on-stub-driver.sh     (after `mvn -pl kernels -am install`; needs gcc and cuda.h)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/../../../.." && pwd)
out=${TMPDIR:-/tmp}/ser-stub-driver
include=${CUDA_HOME:-/usr/local/cuda}/include
rm -rf "$out" && mkdir -p "$out/jcuda" "$out/classpath/dev/ser/cuda"

# libcuda.so.1: our functions, plus a CUDA_ERROR_NOT_SUPPORTED stub for every other cu* symbol JCuda imports
# (its JNI library must load; only the functions CudaDevice calls are ever reached).
jar=$(ls ~/.m2/repository/org/jcuda/jcuda-natives/*/jcuda-natives-*-linux-x86_64.jar | sort | tail -1)
unzip -q -o -j "$jar" '*libJCudaDriver*' -d "$out/jcuda"
gcc -c -fPIC -O2 -I"$include" "$here/fake_cuda.c" -o "$out/fake_cuda.o"
nm --defined-only "$out/fake_cuda.o" | awk '$2 == "T" {print $3}' | sort > "$out/defined"
nm -D --undefined-only "$out"/jcuda/libJCudaDriver*.so | awk '{print $2}' | grep '^cu' | sort > "$out/imported"
comm -23 "$out/imported" "$out/defined" | awk '{print "int " $1 "(void) { return 801; }"}' > "$out/missing.c"
gcc -shared -fPIC -O2 -Wl,-soname,libcuda.so.1 "$out/fake_cuda.o" "$out/missing.c" -ldl -o "$out/libcuda.so.1"

# libcublas.so.13 and the libcublasLt.so.13 that NativeLibraries loads first.
gcc -shared -fPIC -O2 -Wl,-soname,libcublas.so.13 "$here/fake_cublas.c" -o "$out/libcublas.so.13"
echo 'int cublasLtStub(void) { return 0; }' | gcc -shared -fPIC -x c - -Wl,-soname,libcublasLt.so.13 -o "$out/libcublasLt.so.13"

# A stand-in fatbin, so that launches reach the (pretend) driver.
echo "stub" > "$out/classpath/dev/ser/cuda/kernels.fatbin"

[ -n "${SER_STUB_BUILD_ONLY:-}" ] && exit 0
cd "$root"
LD_LIBRARY_PATH="$out" SER_CUBLAS_LIB="$out/libcublas.so.13" \
    mvn -B -ntp -o -pl kernels surefire:test -Dtest=CudaDeviceTest -Dmaven.test.additionalClasspath="$out/classpath" "$@"

# Then the whole CUDA backend on CudaDevice: the pretend driver launches the project's kernels through the
# emulator library, so the backend's tests cross JCuda and the foreign cuBLAS calls as they would on a GPU.
emu=$root/kernels/target/classes/dev/ser/cuda/emu/linux-x86_64/libserkernels_emu.so
if [ -f "$emu" ]; then
  LD_LIBRARY_PATH="$out" SER_CUBLAS_LIB="$out/libcublas.so.13" SER_STUB_EMULATOR="$emu" \
      mvn -B -ntp -o -pl kernels surefire:test -Dser.test.devices=cuda \
      -Dtest='CudaBackendOpsTest,CudaBackendTrainingTest,CudaParityTest' "$@"
else
  echo "no emulator library at $emu (built by g++ in the kernels build): the backend run is skipped" >&2
fi
