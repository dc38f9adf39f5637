#!/usr/bin/env bash
# Packs .gpu/ for a run of scripts/gpu-check.sh on the lent GPU machine (which has no Java and no Maven):
# a jlinked JDK 25 runtime (as ../shared/scripts/gpu-pack makes it, plus jdk.zipfs), the benchmarks jar (every
# module but the app, and every dependency, the kernels' fatbin inside), the app's jar without its bundled models,
# JUnit's console launcher, the test classes of every module, and one RAVDESS actor as a small corpus for
# `ser train --device cuda`.
#
# The device tool sends the working tree and the carried paths together, at most 64 MiB; the bundled models alone
# are 41 MiB of tracked files, so they must not travel. The pack moves them to .gpu-stash/ (ignored, not carried)
# and leaves empty files in their place, marked assume-unchanged so that no commit can take the empty ones; `./ser`
# and `./run-tests` refuse to run until they are back. Put them back after the device call:
#   scripts/gpu-pack-project.sh             # builds first (mvn install -DskipTests), packs, stashes the models
#   run(command="bash scripts/gpu-check.sh", carry=[".gpu"], timeout_s=540)     # the device tool
#   scripts/gpu-pack-project.sh --restore   # the bundled models back in the tree (checked against HEAD)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"
bundled=ser-app/src/main/resources/dev/ser/app/bundled
models=("$bundled/model.safetensors" "$bundled/speaker-model.safetensors")
stash=.gpu-stash
limit_mib=64

restore_models() {
  [ -d "$stash" ] || { echo "nothing to restore: $stash/ does not exist"; return 0; }
  for m in "${models[@]}"; do
    [ -f "$stash/${m##*/}" ] || continue
    mv -f "$stash/${m##*/}" "$m"
    touch "$m"  # newer than any jar built without it, so ./ser rebuilds
    git update-index --no-assume-unchanged "$m"
  done
  rmdir "$stash"
  git diff --quiet -- "${models[@]}" || { echo "the restored bundled models differ from HEAD: see git diff --stat" >&2; exit 1; }
  echo "the bundled models are back (as in HEAD)"
}

stash_models() {
  grep -qx '/.gpu-stash/' .git/info/exclude 2>/dev/null || echo '/.gpu-stash/' >> .git/info/exclude
  mkdir -p "$stash"
  for m in "${models[@]}"; do
    [ -f "$stash/${m##*/}" ] && continue  # stashed by an earlier pack
    mv "$m" "$stash/${m##*/}"
    : > "$m"
    git update-index --assume-unchanged "$m"
  done
}

# What the device tool sends: tracked and untracked-but-not-ignored files as they are in the tree, and .gpu.
travelling_bytes() {
  local tree
  # (a tracked file deleted here does not travel: stat skips it, and its failure must not end the script)
  tree=$(git ls-files -z -co --exclude-standard | { xargs -0 stat -c %s 2>/dev/null || true; } | awk '{s += $1} END {print s + 0}')
  echo $(( tree + $(du -sb .gpu | cut -f1) ))
}

if [ "${1:-}" = --restore ]; then restore_models; exit 0; fi
[ $# -eq 0 ] || { echo "usage: scripts/gpu-pack-project.sh [--restore]" >&2; exit 2; }
[ -d "$stash" ] && echo "the bundled models are already stashed in $stash/ (an earlier pack); packing again" >&2
[ -d "$stash" ] && restore_models  # the build below must package the real models into the local jar

. scripts/jdk25.sh
ser_find_jdk25
mvn -B -q -ntp install -DskipTests
command -v nvcc >/dev/null || echo "warning: no nvcc here, so the jar holds no kernels.fatbin: the GPU tests will fail to launch" >&2
# The runtime: ../shared/scripts/gpu-pack's modules, and jdk.zipfs, which JUnit's scan of a jar on the class path needs.
# Not java.desktop (charts): 12 MiB more than the 64 allow; `ser train` warns and draws none (OptionalPlot).
modules=java.base,java.logging,java.management,jdk.unsupported,jdk.incubator.vector,jdk.httpserver,java.xml,jdk.zipfs
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
mkdir -p .gpu
if [ ! -f .gpu/jre.tgz ] || [ "$(cat .gpu/jre.modules 2>/dev/null)" != "$modules" ]; then
  tmp=$(mktemp -d)
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-native-debug-symbols=exclude-debuginfo-files \
    --strip-java-debug-attributes --no-header-files --no-man-pages --compress=zip-9 --output "$tmp/jre" 2>/dev/null
  tar czf .gpu/jre.tgz -C "$tmp" jre
  rm -rf "$tmp"
  echo "$modules" > .gpu/jre.modules
fi
rm -rf .gpu/lib .gpu/corpus && mkdir -p .gpu/lib/tests
cp bench/target/benchmarks.jar .gpu/lib/
cp ser-app/target/ser-app.jar .gpu/lib/
zip -q -d .gpu/lib/ser-app.jar 'dev/ser/app/bundled/*'  # 41 MiB; no GPU check needs them
mvn -B -q -ntp dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 -DoutputDirectory=.gpu/lib
# Test classes only: their resources travel with the working tree (src/test/resources).
for m in engine kernels audio ser-app; do
  mkdir -p ".gpu/lib/tests/$m"
  (cd "$m/target/test-classes" && find . -name '*.class' | tar cf - -T -) | (cd ".gpu/lib/tests/$m" && tar xf -)
done
actor=../shared/datasets/ravdess/Actor_01
if [ -d "$actor" ]; then
  mkdir -p .gpu/corpus && cp -r "$actor" .gpu/corpus/
else
  echo "warning: no $actor, so the GPU check's training step will say it has no corpus" >&2
fi
stash_models
total=$(travelling_bytes)
echo "the tree and .gpu together: $((total / 1048576)) MiB (the device tool takes at most $limit_mib)"
du -sh .gpu/jre.tgz .gpu/lib .gpu/corpus 2>/dev/null | sed 's/^/packed: /'
if [ "$total" -gt $((limit_mib * 1048576)) ]; then
  restore_models
  echo "too large for the device tool: see what is untracked (git status) or what grew under .gpu" >&2
  exit 1
fi
echo "the bundled models are stashed in $stash/: after the device call, scripts/gpu-pack-project.sh --restore"
