#!/usr/bin/env bash
# Every benchmark of affinity-agent, each with the agent against without it in the same run,
# figures written into benchmarks/RESULTS.md (between its GENERATED markers). Builds what it
# needs first (mvn package, never install). The full run takes about 24 minutes on 2 CPUs; run
# it on a quiet machine.
#
#   benchmarks/run-all.sh                  the full measurement
#   benchmarks/run-all.sh --quick          a smoke run (about 2 minutes): proves it all runs; its figures go
#                                          to benchmarks/target/bench-run/RESULTS-quick.md, never RESULTS.md
#   benchmarks/run-all.sh --only startup,benefit
#                                          some of: task-path worker-start pin-call startup attach benefit
#   benchmarks/run-all.sh --out FILE       write the figures to FILE instead of RESULTS.md
#
# Environment: JAVA_HOME (or the java on PATH) runs every measured JVM; AFFINITY_BENCH_SECOND_JDK
# (default /usr/lib/jvm/temurin-25-jdk-amd64, skipped when absent) adds a start-up run on it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
command_line="benchmarks/run-all.sh${*:+ $*}"

for arg in "$@"; do
  if [[ "$arg" == "-h" || "$arg" == "--help" ]]; then
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit 0
  fi
done

if [[ "$(uname -s)" != "Linux" ]]; then
  echo "affinity-agent pins threads on Linux only; these benchmarks measure it there. This is $(uname -s)." >&2
  exit 2
fi
if (( $(nproc) < 2 )); then
  echo "warning: this shell may use $(nproc) CPU; the attach and benefit benchmarks need 2 or more." >&2
fi

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java_home="$JAVA_HOME"
else
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
java="$java_home/bin/java"
second_jdk="${AFFINITY_BENCH_SECOND_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"

echo "Building the agent, the demo and the benchmarks (mvn -B -q -pl benchmarks -am package -DskipTests)..."
mvn -B -q -Dstyle.color=never -pl benchmarks -am package -DskipTests

agent_library="$(ls agent/target/agent-*.jar | head -n 1)"
empty_agent="$(ls benchmarks/target/benchmarks-*-empty-agent.jar | head -n 1)"
small_app="$(ls benchmarks/target/benchmarks-*-small-app.jar | head -n 1)"
classpath="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

# The suite's own JVM stays small and quiet while it waits on the measured ones: serial GC (no
# GC threads), C1 only.
exec timeout --foreground 30m "$java" -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$classpath" \
  -Daffinity.agent.jar="agent/target/affinity-agent.jar" \
  -Daffinity.bench.empty-agent.jar="$empty_agent" \
  -Daffinity.bench.small-app.jar="$small_app" \
  -Daffinity.bench.configs="benchmarks/configs" \
  -Daffinity.bench.classes="benchmarks/target/classes" \
  -Daffinity.bench.demo.classpath="$root/demo-app/target/classes:$root/$agent_library" \
  -Daffinity.bench.demo.config="demo-app/affinity.properties" \
  -Daffinity.bench.work="benchmarks/target/bench-run" \
  -Daffinity.bench.results="benchmarks/RESULTS.md" \
  -Daffinity.bench.java-home="$java_home" \
  -Daffinity.bench.second-java-home="$second_jdk" \
  -Daffinity.bench.command="$command_line" \
  io.affinityagent.bench.suite.Suite "$@"
