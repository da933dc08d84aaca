#!/usr/bin/env bash
# Benchmark 2a for two agent jars, interleaved: what a change to the worker-start path buys.
# Each round runs, in a shuffled order, WorkerChurnApp (4000 one-worker pools after 1000 untimed)
# with each jar, for ThreadPoolExecutor and ForkJoinPool workers, each worker pinned to all CPUs
# (no move: worker-start-no-move.properties) or round-robin to one CPU (a move when it started on
# another: worker-start.properties). Prints, per run, the wall time per worker, the time in all
# the agent's hooks per worker (its own clock), and of it the pin call (an agent that does not
# split it says "-"); then the medians per arm.
#
#   mvn -B -q -pl benchmarks -am package -DskipTests
#   BASELINE_JAR=/path/to/old/affinity-agent.jar [ROUNDS=8] [CONFIGS="no-move one-cpu"] [KINDS="tpe fj"] \
#     benchmarks/worker-start-ab.sh
source "$(dirname "$0")/ab-common.sh"
rounds="${ROUNDS:-8}"
configs="${CONFIGS:-no-move one-cpu}"
kinds="${KINDS:-tpe fj}" # tpe-allocated too: workers whose thread allocated before they start
work_dir ws-ab
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # jar-arm kind config -> "ARM KIND CONFIG wall_us hooks_us pin_us"
  local arm="$1" kind="$2" config="$3" jar="agent/target/affinity-agent.jar" file="worker-start.properties" out
  [[ "$arm" == old ]] && jar="$BASELINE_JAR"
  [[ "$config" == no-move ]] && file="worker-start-no-move.properties"
  out="$("$java" -Xms256m -Xmx256m --add-exports java.base/jdk.internal.vm=ALL-UNNAMED \
    -Daffinity.bench.expect-agent=true "-javaagent:$jar=config=benchmarks/configs/$file,log=quiet" \
    -cp benchmarks/target/classes io.affinityagent.bench.workerstart.WorkerChurnApp "$kind" 1000 4000 2>/dev/null)"
  awk -v arm="$arm" -v kind="$kind" -v config="$config" '
    /^CHURN/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    /^HOOKS/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); n = split(kv[2], p, "/"); h += p[2]; if (n == 3) pin += p[3]; else split_ = "-" } }
    END { w = v["workers"]; printf "%s %s %s %.1f %.1f %s\n", arm, kind, config, v["wall_ns"] / 1e3 / w, h / 1e3 / w,
          (split_ == "-" ? "-" : sprintf("%.1f", pin / 1e3 / w)) }' <<<"$out"
}

for ((r = 1; r <= rounds; r++)); do
  for job in $(for a in old new; do for k in $kinds; do for c in $configs; do echo "$a:$k:$c"; done; done; done | shuf); do
    IFS=: read -r arm kind config <<<"$job"
    run "$arm" "$kind" "$config" | tee -a "$work/all"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -n | awk '{ x[NR] = $1 } END { if (NR == 0) { print "-"; exit } m = (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; printf "%.1f (%.1f-%.1f, n=%d)", m, x[1], x[NR], NR }'; }
printf '%-4s %-4s %-8s %-28s %-28s %-28s %s\n' arm kind config "wall us/worker" "hooks us/worker" "pin call us/worker" "own us/worker"
for kind in $kinds; do for config in $configs; do for arm in old new; do
  rows="$(grep "^$arm $kind $config " "$work/all" || true)"
  own="$(awk '$6 != "-" { print $5 - $6 }' <<<"$rows" | median)"
  printf '%-4s %-4s %-8s %-28s %-28s %-28s %s\n' "$arm" "$kind" "$config" "$(awk '{print $4}' <<<"$rows" | median)" \
    "$(awk '{print $5}' <<<"$rows" | median)" "$(awk '$6 != "-" {print $6}' <<<"$rows" | median)" "$own"
done; done; done
