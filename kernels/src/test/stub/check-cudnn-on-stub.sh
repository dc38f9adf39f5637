#!/usr/bin/env bash
# Runs CudnnOnStubTest against a pretend driver, cuBLAS and cuDNN (fake_cuda.c, fake_cublas.c, fake_cudnn.c) on a
# machine without a GPU. What it proves: every java.lang.foreign call of the cuDNN binding passes its arguments
# where cuDNN 9's headers put them, CudnnLstm hands cuDNN the right buffers, offsets and sizes, and the results
# land where the LstmPass contract says. What it cannot prove: anything about cuDNN's numbers (CudnnLstmTest,
# CudnnParityTest on the GPU machine do that).
#   kernels/src/test/stub/check-cudnn-on-stub.sh     (after `mvn -pl kernels -am install`; needs gcc and cuda.h)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/../../../.." && pwd)
out=${TMPDIR:-/tmp}/ser-stub-driver
# The driver and cuBLAS stubs, built as check-on-stub-driver.sh builds them (it then runs CudaDeviceTest; skip that).
SER_STUB_BUILD_ONLY=1 "$here/check-on-stub-driver.sh"
gcc -shared -fPIC -O2 -Wall -Wl,-soname,libcudnn.so.9 "$here/fake_cudnn.c" -o "$out/libcudnn.so.9"
cd "$root"
SER_CUDNN_STUB=1 LD_LIBRARY_PATH="$out" SER_CUBLAS_LIB="$out/libcublas.so.13" SER_CUDNN_LIB="$out/libcudnn.so.9" \
    mvn -B -ntp -o -pl kernels -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=CudnnOnStubTest \
        -Dmaven.test.additionalClasspath="$out/classpath" "$@"
