#!/usr/bin/env bash
# Benchmark 4 for two agent jars, interleaved: what a change to `attach` buys. Each round starts a
# fresh AttachTarget (an order pool of 1 worker, a batch pool and a ForkJoinPool of 2 workers each,
# idle) for each jar, in a shuffled order, runs `java -jar JAR attach PID --config
# benchmarks/configs/attach.properties`, and polls /proc every 5 ms (without forking: the poll
# shares the CPUs with what it measures) until every worker is on its CPUs. Prints, per run, the
# seconds from launching the command to every worker pinned, to the command's exit,
# the agent's own time in the JVM (from its agentmain to its reply, as the command prints it) and
# the rest before it (the command's JVM, the handshake, the load); then the medians per arm.
#
#   mvn -B -q -pl benchmarks -am package -DskipTests
#   BASELINE_JAR=/path/to/old/affinity-agent.jar [ROUNDS=8] [JAVA_HOME=...] benchmarks/attach-ab.sh
source "$(dirname "$0")/ab-common.sh"
rounds="${ROUNDS:-8}"
config="benchmarks/configs/attach.properties"
(( $(nproc) >= 2 )) || { echo "needs 2 or more CPUs: every worker must move for the pins to be seen" >&2; exit 2; }
work_dir attach-ab
mkfifo "$work/tick"
exec 9<> "$work/tick" # never written: `read -t` on it is a sleep without a fork
read -r first _ < <(tr ',-' '  ' < <(awk '/^Cpus_allowed_list/ { print $2 }' /proc/self/status))
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); java: $java"

allowed() { # pid tid -> Cpus_allowed_list in $got (no fork: the poll must not compete with the command)
  local k v
  got=""
  while read -r k v; do
    [[ "$k" == Cpus_allowed_list: ]] && { got="$v"; return; }
  done < "/proc/$1/task/$2/status"
}

run() { # arm -> "ARM pinned_s exit_s agent_s"
  local arm="$1" jar="agent/target/affinity-agent.jar" fifo="$work/in" out="$work/target.out" pid line
  [[ "$arm" == old ]] && jar="$BASELINE_JAR"
  rm -f "$fifo"; mkfifo "$fifo"
  "$java" -cp benchmarks/target/classes io.affinityagent.bench.attach.AttachTarget 2 < "$fifo" > "$out" 2>/dev/null &
  pid=$!
  exec 3> "$fifo"
  declare -A workers=()
  while true; do
    line="$(tail -n 1 "$out" 2>/dev/null || true)"
    [[ "$line" == READY* ]] && break
    sleep 0.05
  done
  while read -r tag name tid; do
    [[ "$tag" == WORKER ]] && workers[$name]=$tid
  done < "$out"
  local t0 t1 pinned="" exited="" cmd_pid ok name want
  t0="$EPOCHREALTIME"
  "$java" -jar "$jar" attach "$pid" --config "$config" > "$work/attach.out" 2>&1 &
  cmd_pid=$!
  while [[ -z "$pinned" ]]; do
    ok=1
    for name in "${!workers[@]}"; do
      want="$first"
      [[ "$name" == order-* ]] || want="!$first"
      allowed "$pid" "${workers[$name]}"
      if [[ "$want" == "!"* ]]; then [[ "$got" != *[,-]* && "$got" != "$first" ]] || ok=0
      else [[ "$got" == "$first" ]] || ok=0; fi
    done
    t1="$EPOCHREALTIME"
    [[ -z "$exited" ]] && ! kill -0 "$cmd_pid" 2>/dev/null && exited="$t1"
    if (( ok )); then
      pinned="$t1"
    elif (( ${t1%.*} - ${t0%.*} > 20 )); then
      pinned=nan # not pinned within 20 s
    else
      read -r -t 0.005 -u 9 || true
    fi
  done
  wait "$cmd_pid" || true
  [[ -n "$exited" ]] || exited="$EPOCHREALTIME"
  echo >&3; exec 3>&-; wait "$pid" || true
  local agent
  agent="$(sed -n 's/.* in \([0-9]*\) ms; new threads.*/\1/p' "$work/attach.out")"
  awk -v arm="$arm" -v t0="$t0" -v p="$pinned" -v e="$exited" -v a="${agent:-nan}" \
    'BEGIN { printf "%s %.3f %.3f %.3f\n", arm, p - t0, e - t0, a / 1000 }'
}

results="$work/results"
for ((r = 1; r <= rounds; r++)); do
  for arm in $(printf 'old\nnew\n' | shuf); do
    run "$arm" | tee -a "$results"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for arm in old new; do
  awk -v arm="$arm" 'BEGIN { n = 0 } $1 == arm { p[n] = $2; e[n] = $3; a[n] = $4; b[n] = $2 - $4; n++ }
    function med(x,   i, j, t) { for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
                                 return n % 2 ? x[int(n / 2)] : (x[n / 2 - 1] + x[n / 2]) / 2 }
    END { printf "%s (n=%d), medians: pinned %.3f s, exit %.3f s, agent %.3f s, before the agent %.3f s\n",
          arm, n, med(p), med(e), med(a), med(b) }' "$results"
done
