#!/usr/bin/env bash
# Benchmark 2a's JFR arms: what the agent's JFR events cost a worker start, with no recording and
# with one (the JDK's default settings, as `jcmd PID JFR.start` records). Each round runs, in a
# shuffled order, WorkerChurnApp (4000 one-worker pools after 1000 untimed) with the agent pinning
# every worker to all CPUs (no move, so only the agent's own work differs):
#   off       the agent, no recording
#   on        the agent, -XX:StartFlightRecording=settings=default
#   baseline  (if BASELINE_JAR is set) an agent jar built without the events, no recording
# and prints, per run, the wall time per worker and the agent's own worker-start hook time per
# worker (its own clock: the JFR event is written inside that hook), then the medians.
#
#   mvn -B -q -pl benchmarks -am package -DskipTests
#   [BASELINE_JAR=/path/to/affinity-agent.jar] [ROUNDS=8] benchmarks/jfr-events.sh
set -euo pipefail
cd "$(dirname "$0")/.."
java="${JAVA_HOME:-/usr/lib/jvm/default-java}/bin/java"
[[ -x "$java" ]] || java="$(command -v java)"
rounds="${ROUNDS:-8}"
jar="agent/target/affinity-agent.jar"
config="benchmarks/configs/worker-start-no-move.properties"
work="$(mktemp -d /tmp/affinity-jfr-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
arms=(off on)
[[ -n "${BASELINE_JAR:-}" ]] && arms+=(baseline)

run() { # arm -> "ARM wall_us_per_worker hook_us_per_worker"
  local arm="$1" agent="$jar" opts=()
  [[ "$arm" == baseline ]] && agent="$BASELINE_JAR"
  [[ "$arm" == on ]] && opts=("-XX:StartFlightRecording=settings=default,filename=$work/r.jfr")
  local out
  out="$("$java" -Xms256m -Xmx256m --add-exports java.base/jdk.internal.vm=ALL-UNNAMED \
    -Daffinity.bench.expect-agent=true "${opts[@]}" "-javaagent:$agent=config=$config,log=quiet" \
    -cp benchmarks/target/classes io.affinityagent.bench.workerstart.WorkerChurnApp tpe 1000 4000 2>/dev/null)"
  awk -v arm="$arm" '
    /^CHURN/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    /^HOOKS/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); split(kv[2], cn, "/"); if (kv[1] == "worker-start") h = cn[2] } }
    END { printf "%s %.1f %.1f\n", arm, v["wall_ns"] / 1e3 / v["workers"], h / 1e3 / v["workers"] }' <<<"$out"
}

for ((r = 1; r <= rounds; r++)); do
  for arm in $(printf '%s\n' "${arms[@]}" | shuf); do
    run "$arm" | tee -a "$work/all"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for arm in "${arms[@]}"; do
  for col in 2 3; do
    grep "^$arm " "$work/all" | awk -v c=$col '{print $c}' | sort -n | awk -v arm="$arm" -v c=$col '
      { x[NR] = $1 } END { m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2;
        printf "%-8s %-26s median %.1f us (min %.1f, max %.1f, n=%d)\n", arm,
          (c == 2 ? "wall per worker" : "worker-start hook"), m, x[1], x[NR], NR }'
  done
done
