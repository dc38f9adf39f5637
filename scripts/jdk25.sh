# Sourced by ./ser, ./run-tests and .ci/run: points JAVA_HOME at a JDK 25 when the current one is older.
# Order: $JAVA_HOME if it is 25+, then `java` on the PATH if 25+, then /usr/lib/jvm/*25* (Temurin, OpenJDK).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
ser_find_jdk25() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    return 0
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if [ "$(java_major "$candidate")" -ge 25 ] 2>/dev/null; then export JAVA_HOME=$candidate; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*25* /usr/lib/jvm/*-2[5-9]* /opt/java/*25* "$HOME"/.sdkman/candidates/java/25*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME=$candidate; return 0
    fi
  done
  echo "error: this project needs a JDK 25 or newer (found none in JAVA_HOME, on the PATH or in /usr/lib/jvm)." >&2
  echo "       Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
