#!/usr/bin/env bash
# Benchmark 3 for two agent jars, interleaved: what a change to the agent's start-up buys. Each
# round runs SmallApp (benchmarks/configs/startup.properties) with an empty agent, the baseline
# jar and this tree's jar, in a shuffled order, and takes the wall time from launch to exit. Prints
# per arm the median, the quartiles, and in how many runs the agent's start-up lines were printed
# (its plan was active before SmallApp ended), then each jar's own share (its median minus the
# empty agent's), also split by SmallApp's PHASES line into launch to main, main, and main's end
# to the exit. SmallApp runs from its own jar, so that the empty agent's class loads from the empty
# agent's jar, as an agent's does. With CPUS=1 every JVM runs under `taskset -c FIRST` (the
# process's first CPU).
#
#   mvn -B -q -pl benchmarks -am package -DskipTests
#   BASELINE_JAR=/path/to/old/affinity-agent.jar [ROUNDS=15] [CPUS=1] [JAVA_HOME=...] benchmarks/startup-ab.sh
source "$(dirname "$0")/ab-common.sh"
rounds="${ROUNDS:-15}"
config="benchmarks/configs/startup.properties"
app="$(ls benchmarks/target/benchmarks-*-small-app.jar | head -n 1)"
empty="$(ls benchmarks/target/benchmarks-*-empty-agent.jar | head -n 1)"
prefix=()
if [[ "${CPUS:-}" == 1 ]]; then
  read -r first _ < <(tr ',-' '  ' < <(awk '/^Cpus_allowed_list/ { print $2 }' /proc/self/status))
  prefix=(taskset -c "$first")
fi
work_dir startup-ab
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); java: $java; ${prefix[*]:-all CPUs}"
declare -A option=([empty]="-javaagent:$empty" [baseline]="-javaagent:$BASELINE_JAR=config=$config"
  [this]="-javaagent:agent/target/affinity-agent.jar=config=$config")
for round in $(seq -1 "$rounds"); do # rounds -1 and 0 are not recorded
  for arm in $(printf '%s\n' empty baseline this | shuf); do
    t0=$(date +%s%N)
    "${prefix[@]}" "$java" ${option[$arm]} -cp "$app" io.affinityagent.bench.startup.SmallApp \
      > "$work/out" 2> "$work/err" || { echo "$arm failed: $(cat "$work/err")" >&2; exit 1; }
    t1=$(date +%s%N)
    if (( round > 0 )); then
      echo "$arm $(( (t1 - t0) / 1000000 )) $(grep -c 'rule app ' "$work/err" || true)" >> "$work/runs"
      read -r main_ms end_ms < <(sed -n 's/^PHASES main=\([0-9]*\) end=\([0-9]*\).*/\1 \2/p' "$work/out")
      echo "$arm $(( main_ms - t0 / 1000000 )) $(( end_ms - main_ms )) $(( t1 / 1000000 - end_ms ))" >> "$work/phases"
    fi
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '{ ms[$1] = ms[$1] " " $2; n[$1]++; lines[$1] += ($3 > 0) }
  END { for (a in ms) print a, n[a], lines[a], ms[a] }' "$work/runs" | while read -r arm n lines values; do
  sorted=($(tr ' ' '\n' <<< "$values" | sort -n))
  echo "$arm ${sorted[$((n / 2))]} ${sorted[$((n / 4))]} ${sorted[$((3 * n / 4))]} $lines $n"
done | sort > "$work/medians"
while read -r arm median q1 q3 lines n; do
  printf '%-9s median %5d ms (quartiles %d-%d), start-up lines printed in %d of %d runs\n' "$arm" "$median" "$q1" "$q3" "$lines" "$n"
done < "$work/medians"
empty_median=$(awk '$1 == "empty" { print $2 }' "$work/medians")
awk -v e="$empty_median" '$1 != "empty" { printf "own share of %s: %+d ms\n", $1, $2 - e }' "$work/medians"
echo "phases, medians in ms (launch to main / main / end of main to exit), and over the empty agent:"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for arm in empty baseline this; do
  echo "$arm $(for col in 2 3 4; do awk -v a="$arm" -v c="$col" '$1 == a { print $c }' "$work/phases" | median; done | tr '\n' ' ')"
done > "$work/phase-medians"
awk 'NR == FNR && $1 == "empty" { e2 = $2; e3 = $3; e4 = $4 } NR != FNR {
  printf "%-9s %4d / %3d / %3d ms  (%+d / %+d / %+d)\n", $1, $2, $3, $4, $2 - e2, $3 - e3, $4 - e4 }' \
  "$work/phase-medians" "$work/phase-medians"
