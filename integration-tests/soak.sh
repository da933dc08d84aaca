#!/usr/bin/env bash
# Soak (not part of CI): the churn of ChurnIT against the real agent, for MINUTES (default 10),
# in rounds of DEATHS_PER_ROUND worker deaths (default 100,000): 8 pools fed by 16 submitting
# threads, tasks that throw and kill their worker, cached workers that expire. Every round is
# checked as in CI (loads == live workers and balanced, published workers == /proc, nothing left
# after the shutdown); at the end it prints the heap after a full GC round by round, the loads and
# the counters. Exits 1 if a check fails, or if the heap grew by 256 KB or more.
#
#   integration-tests/soak.sh [MINUTES] [DEATHS_PER_ROUND]
#   SOAK_JDK=/usr/lib/jvm/temurin-25-jdk-amd64 integration-tests/soak.sh 30
#
# SOAK_JDK picks the JDK of the target (default: the java on PATH; Maven builds with its own).
# Builds what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-10}
deaths=${2:-100000}
java=${SOAK_JDK:+$SOAK_JDK/bin/}java

# Builds the agent jar and the test classes, and writes the tests' classpath (the reactor's last
# module, integration-tests, writes it last).
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
echo "Building (mvn -B -q -pl integration-tests -am package -DskipTests)..."
mvn -B -q -pl integration-tests -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
# This checkout's agent classes, never a copy of them elsewhere.
deps=$(tr ':' '\n' <"$cpfile" | grep -v '/io/affinityagent/' | paste -sd: -)
classpath="integration-tests/target/test-classes:agent/target/classes:$deps"

exec "$java" -Daffinity.agent.jar=agent/target/affinity-agent.jar \
  -Daffinity.test.apps=integration-tests/target/test-classes \
  -cp "$classpath" io.affinityagent.it.ChurnSoak "$minutes" "$deaths"
