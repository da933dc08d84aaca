#!/usr/bin/env bash
# The first worker's start, for two agent jars and no agent, interleaved: µs from submitting the
# first task of an application's first pool to that task running, once the agent has started
# (FirstWorkerApp, benchmarks/configs/startup.properties, whose rule app matches the worker).
# Prints each arm's median and quartiles. What the agent leaves to its first pin shows here.
#
#   mvn -B -q -pl benchmarks -am package -DskipTests
#   BASELINE_JAR=/path/to/old/affinity-agent.jar [ROUNDS=15] [JAVA_HOME=...] benchmarks/first-worker-ab.sh
source "$(dirname "$0")/ab-common.sh"
rounds="${ROUNDS:-15}"
config="benchmarks/configs/startup.properties"
classes="benchmarks/target/classes"
work_dir first-worker-ab
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); java: $java"
declare -A option=([none]="" [baseline]="-javaagent:$BASELINE_JAR=config=$config"
  [this]="-javaagent:agent/target/affinity-agent.jar=config=$config")
for round in $(seq 0 "$rounds"); do # round 0 is not recorded
  for arm in $(printf '%s\n' none baseline this | shuf); do
    "$java" ${option[$arm]} -cp "$classes" io.affinityagent.bench.startup.FirstWorkerApp \
      > "$work/out" 2> "$work/err" || { echo "$arm failed: $(cat "$work/err")" >&2; exit 1; }
    if (( round > 0 )); then
      echo "$arm $(awk '/^FIRST-WORKER-US/ { print $2 }' "$work/out")" >> "$work/runs"
    fi
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for arm in none baseline this; do
  sorted=($(awk -v a="$arm" '$1 == a { print $2 }' "$work/runs" | sort -n))
  n=${#sorted[@]}
  printf '%-9s first worker: median %6d us (quartiles %d-%d), %d runs\n' "$arm" "${sorted[$((n / 2))]}" \
    "${sorted[$((n / 4))]}" "${sorted[$((3 * n / 4))]}" "$n"
done
