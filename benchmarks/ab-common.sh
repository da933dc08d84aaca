# The preamble of the A/B benchmarks (attach-ab.sh, worker-start-ab.sh, startup-ab.sh), sourced
# by each: strict mode, the repository's root as working directory, the java to run ($java:
# JAVA_HOME's, else the default), the baseline jar required, and work_dir for a scratch folder.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
java="${JAVA_HOME:-/usr/lib/jvm/default-java}/bin/java"
[[ -x "$java" ]] || java="$(command -v java)"
: "${BASELINE_JAR:?set BASELINE_JAR to the agent jar to compare against}"

# work_dir NAME: a fresh /tmp/affinity-NAME.XXXXXX in $work, removed when the script exits.
work_dir() {
  work="$(mktemp -d "/tmp/affinity-$1.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
}
