#!/usr/bin/env bash
# Builds the CUDA kernels two ways from the same .cu sources (Maven runs this at generate-resources):
#   nvcc -> kernels.fatbin: SASS for sm_80, sm_86, sm_89, sm_90 and PTX for compute_90 (real GPUs)
#   g++  -> libserkernels_emu.so: the same kernels on the CPU, through emu/cuda_emu.h (tests without a GPU)
# Either compiler may be missing: that output is skipped with a message, and the build goes on.
# Each output is rebuilt only when a source under src/main/cuda is newer than it.
#
# usage: build-kernels.sh SOURCE_DIR CLASSES_DIR WORK_DIR
#   NVCC=/path/to/nvcc overrides the nvcc found on PATH or in /usr/local/cuda/bin; SER_SKIP_NVCC=1 skips it.
set -euo pipefail

src=${1:-src/main/cuda}
classes=${2:-target/classes}
work=${3:-target/cuda}
fatbin="$classes/dev/ser/cuda/kernels.fatbin"
fatbinSkipped="$classes/dev/ser/cuda/kernels.fatbin.skipped"
emuLib="$classes/dev/ser/cuda/emu/linux-x86_64/libserkernels_emu.so"
mkdir -p "$work" "$(dirname "$fatbin")" "$(dirname "$emuLib")"

# Same flags for every source, so the two builds compute the same function:
# no fused multiply-add (Java rounds every product and sum), no fast math.
nvccFlags=(-std=c++17 -fmad=false --no-compress -Xptxas -warn-spills
           -gencode arch=compute_80,code=sm_80 -gencode arch=compute_86,code=sm_86
           -gencode arch=compute_89,code=sm_89 -gencode "arch=compute_90,code=[sm_90,compute_90]")
gxxFlags=(-O2 -std=c++20 -fPIC -pthread -ffp-contract=off -fno-fast-math -Wall -Wno-unknown-pragmas)

# True when $1 is missing or older than a source file (kernels, headers, the emulator).
stale() {
    [[ ! -f "$1" ]] && return 0
    [[ -n "$(find "$src" -newer "$1" \( -name '*.cu' -o -name '*.cuh' -o -name '*.h' -o -name '*.cpp' \) -print -quit)" ]]
}

sources=("$src"/*.cu)

# ---- g++: the emulated device ----
if ! command -v "${CXX:-g++}" >/dev/null 2>&1; then
    echo "[kernels] SKIPPED emulator library: no g++ (set CXX); EmulatedDevice will say it was built without g++"
elif stale "$emuLib"; then
    start=$SECONDS
    objs=()
    for cu in "${sources[@]}"; do
        obj="$work/emu-$(basename "$cu" .cu).o"
        objs+=("$obj")
        "${CXX:-g++}" "${gxxFlags[@]}" -c -x c++ -include "$src/emu/cuda_emu.h" -I "$src" "$cu" -o "$obj" &
    done
    for cpp in "$src"/emu/*.cpp; do
        obj="$work/emu-$(basename "$cpp" .cpp).o"
        objs+=("$obj")
        "${CXX:-g++}" "${gxxFlags[@]}" -c "$cpp" -I "$src/emu" -o "$obj" &
    done
    # The scheduler's own checks (shuffles, early returns, block shapes, deadlock), on kernels of its own.
    selftest="$src/../../test/emu/emu_selftest.cpp"
    if [[ -f "$selftest" ]]; then
        "${CXX:-g++}" "${gxxFlags[@]}" -c -include "$src/emu/cuda_emu.h" -I "$src/emu" "$selftest" -o "$work/emu_selftest.o" &
    fi
    for job in $(jobs -p); do wait "$job"; done
    if [[ -f "$selftest" ]]; then
        "${CXX:-g++}" -pthread "$work/emu_selftest.o" "$work/emu-emu_launch.o" "$work/emu-fiber.o" -o "$work/emu_selftest"
        "$work/emu_selftest" > "$work/emu_selftest.log" || { cat "$work/emu_selftest.log"; echo "[kernels] emulator self-test FAILED"; exit 1; }
    fi
    "${CXX:-g++}" -shared -pthread "${objs[@]}" -o "$emuLib"
    echo "[kernels] g++ built $emuLib in $((SECONDS - start)) s (self-test passed)"
else
    echo "[kernels] emulator library up to date"
fi

# ---- nvcc: the fatbin for real GPUs ----
nvcc=${NVCC:-$(command -v nvcc || true)}
[[ -z "$nvcc" && -x /usr/local/cuda/bin/nvcc ]] && nvcc=/usr/local/cuda/bin/nvcc
if [[ "${SER_SKIP_NVCC:-0}" == 1 || -z "$nvcc" ]]; then
    why=$([[ -z "$nvcc" ]] && echo "no nvcc on PATH or in /usr/local/cuda/bin (set NVCC)" || echo "SER_SKIP_NVCC=1")
    echo "[kernels] SKIPPED kernels.fatbin: $why; CudaDevice will have no kernels to load"
    [[ -f "$fatbin" ]] || echo "$why" > "$fatbinSkipped"
elif stale "$fatbin"; then
    start=$SECONDS
    # One translation unit, so one fatbin holds every kernel.
    unity="$work/all_kernels.cu"
    : > "$unity"
    for cu in "${sources[@]}"; do echo "#include \"$(cd "$(dirname "$cu")" && pwd)/$(basename "$cu")\"" >> "$unity"; done
    "$nvcc" "${nvccFlags[@]}" -I "$src" -fatbin -o "$fatbin" "$unity"
    rm -f "$fatbinSkipped"
    echo "[kernels] nvcc built $fatbin ($(wc -c < "$fatbin") bytes) in $((SECONDS - start)) s"
else
    echo "[kernels] kernels.fatbin up to date"
fi
