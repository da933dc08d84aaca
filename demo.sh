#!/usr/bin/env bash
# Runs the demo: builds what it needs, then starts demo-app with the agent and the bundled
# demo-app/affinity.properties, and prints where every pool worker runs against the plan.
# Exits non-zero if a worker is not where the config put it.
set -euo pipefail
cd "$(dirname "$0")"

if [[ "$(uname -s)" != "Linux" ]]; then
  echo "affinity-agent pins threads on Linux only; this is $(uname -s). Nothing to demonstrate here." >&2
  exit 2
fi
if (( $(nproc) < 2 )); then
  echo "The demo needs 2 or more CPUs (this process may use $(nproc)): one for the order pool, the rest for the others." >&2
  exit 2
fi

if [[ ! -f agent/target/affinity-agent.jar || ! -d demo-app/target/classes ]]; then
  echo "Building (mvn -B -q package -DskipTests)..."
  mvn -B -q package -DskipTests
fi

classpath="demo-app/target/classes:agent/target/agent-0.1.0-SNAPSHOT.jar"
exec java -javaagent:agent/target/affinity-agent.jar=config=demo-app/affinity.properties \
  -cp "$classpath" io.affinityagent.demo.DemoApp demo-app/affinity.properties
