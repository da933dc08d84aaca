#!/usr/bin/env bash
# Checks the examples with real tools (not part of `mvn verify`; needs node and npm, and the npm
# registry once): the Kubernetes manifests against the Kubernetes schema and types, the pod's QoS,
# the Dockerfile's syntax, and each affinity.properties with the agent's own `check`.
#   examples/validate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d "${TMPDIR:-/tmp}/affinity-examples.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp examples/validate/package.json examples/validate/validate.mjs "$work/"
(cd "$work" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
(cd "$work" && node validate.mjs "$OLDPWD/examples")

# The configs, as the agent reads them, for a container of 4 CPUs numbered 2-5 on its node.
if [[ ! -f agent/target/affinity-agent.jar ]]; then
  mvn -B -q -pl agent -am package -DskipTests
fi
config="$work/affinity.properties"
node -e 'const y=require(process.argv[1]);const fs=require("fs");
  const d=y.loadAll(fs.readFileSync("examples/kubernetes/configmap.yaml","utf8")).find(x=>x&&x.kind==="ConfigMap");
  fs.writeFileSync(process.argv[2], d.data["affinity.properties"]);' "$work/node_modules/js-yaml" "$config"
for f in "$config" examples/docker/affinity.properties; do
  java -jar agent/target/affinity-agent.jar check "$f" --cpus 2-5 >/dev/null
  echo "ok   $f: valid for the agent (check --cpus 2-5)"
done
