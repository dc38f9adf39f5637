#!/usr/bin/env bash
# Packs .gpu/ for a run of scripts/gpu-check.sh on the lent GPU machine (which has no Java and no Maven):
# a jlinked JDK 25 runtime (../shared/scripts/gpu-pack), the benchmarks jar (every module and dependency,
# the kernels' fatbin inside), JUnit's console launcher, and the test classes of every module.
#   scripts/gpu-pack-project.sh            # builds first (mvn install -DskipTests), then packs
# Then, with the device tool: run(command="bash scripts/gpu-check.sh", carry=[".gpu"], timeout_s=...).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"
. scripts/jdk25.sh
ser_find_jdk25
mvn -B -q -ntp install -DskipTests
command -v nvcc >/dev/null || echo "warning: no nvcc here, so the jar holds no kernels.fatbin: the GPU tests will fail to launch" >&2
JDK25=$JAVA_HOME ../shared/scripts/gpu-pack
rm -rf .gpu/lib && mkdir -p .gpu/lib/tests
cp bench/target/benchmarks.jar .gpu/lib/
cp ser-app/target/ser-app.jar .gpu/lib/
mvn -B -q -ntp dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 -DoutputDirectory=.gpu/lib
# Test classes only: their resources travel with the working tree (src/test/resources), and the device tool's
# limit is 64 MiB for the tree and .gpu together.
for m in engine kernels audio ser-app; do
  mkdir -p ".gpu/lib/tests/$m"
  (cd "$m/target/test-classes" && find . -name '*.class' | tar cf - -T -) | (cd ".gpu/lib/tests/$m" && tar xf -)
done
total=$(( $(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1) + $(du -sb .gpu | cut -f1) ))
echo "the tree and .gpu together: $((total / 1048576)) MiB (the device tool takes at most 64)"
du -sh .gpu .gpu/lib .gpu/jre.tgz | sed 's/^/packed: /'
