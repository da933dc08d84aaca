#!/usr/bin/env bash
# The demo: builds what it needs, then runs demo-app twice with the same workload (a
# latency-critical order pool beside a CPU-bound batch pool and the common pool): once without
# the agent, once with it and demo-app/affinity.properties. The second run prints where every
# pool worker sits against the config, and the order pool's latency in both runs.
# Exits 1 if a worker is not where the config put it; 2 if the demo cannot run here.
#
#   ./demo.sh [--seconds S]       measured seconds per run (default 5)
set -euo pipefail
cd "$(dirname "$0")"

seconds=5
while (( $# > 0 )); do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a value}"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

if [[ "$(uname -s)" != "Linux" ]]; then
  echo "affinity-agent pins threads on Linux only (sched_setaffinity, /proc); this is $(uname -s)." >&2
  echo "Nothing to demonstrate here." >&2
  exit 2
fi
cpus=$(nproc)
if (( cpus < 2 )); then
  echo "This shell may use only $cpus CPU. The demo's plan needs 2 or more: one for the order pool alone," >&2
  echo "the others for the batch pool and the common pool. Nothing to demonstrate here." >&2
  exit 2
fi

agent_jar=agent/target/affinity-agent.jar
if [[ ! -f "$agent_jar" || ! -d demo-app/target/classes ]] \
   || [[ -n "$(find agent/src demo-app/src agent/pom.xml demo-app/pom.xml -newer "$agent_jar" -print -quit)" ]] \
   || [[ -n "$(find demo-app/src -newer demo-app/target/classes -print -quit)" ]]; then
  echo "Building the agent and the demo (mvn -B -q -pl demo-app -am package -DskipTests)..."
  # Maven 3.8 writes colour resets (ESC[0m) even in batch mode with -q: strip every escape sequence.
  mvn -B -q -Dstyle.color=never -pl demo-app -am package -DskipTests 2>&1 | sed -e $'s/\x1b\\[[0-9;]*[A-Za-z]//g'
  touch demo-app/target/classes
fi
library=$(ls agent/target/agent-*.jar | head -n 1)
classpath="demo-app/target/classes:$library"
config=demo-app/affinity.properties
unpinned=$(mktemp "${TMPDIR:-/tmp}/affinity-demo.XXXXXX")
trap 'rm -f "$unpinned"' EXIT

echo
echo "=== Run 1 of 2: without the agent: the scheduler puts every thread wherever it likes ==="
java -cp "$classpath" io.affinityagent.demo.DemoApp --label unpinned --save "$unpinned" --seconds "$seconds" \
  | grep -v '^(each request'

echo
echo "=== Run 2 of 2: the same workload with -javaagent:$agent_jar=config=$config ==="
set +e
java -javaagent:"$agent_jar=config=$config" -cp "$classpath" io.affinityagent.demo.DemoApp \
  --check "$config" --label pinned --baseline "$unpinned" --seconds "$seconds" 2>&1
status=$?
set -e
echo
if (( status == 0 )); then
  echo "Every pool worker was where $config put it. Benchmarks of what the agent costs and buys: benchmarks/RESULTS.md"
fi
exit "$status"
