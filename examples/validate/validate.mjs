// Checks the Kubernetes manifests and the Dockerfile of examples/ (see examples/validate.sh):
//  1. every YAML document parses (js-yaml);
//  2. each object against the Kubernetes OpenAPI schema, as kubernetes-models compiles it
//     (types, required fields, enums, quantities);
//  3. no unknown field anywhere: each object type-checked by TypeScript against kubernetes-types
//     (an object literal with a field its type lacks is an error), since the schema allows them;
//  4. the pod is Guaranteed with whole CPUs (what the static CPU manager needs): every container's
//     requests equal its limits, CPU an integer;
//  5. the Dockerfile, by dockerfile-utils' validator (the VS Code Dockerfile language server's).
// Prints one line per check and exits 1 on the first kind of failure found.
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import ts from "typescript";
import { validate as validateDockerfile } from "dockerfile-utils";

const examples = path.resolve(process.argv[2]);
const k8sDir = path.join(examples, "kubernetes");
let failures = 0;
const fail = (msg) => { console.log("FAIL " + msg); failures++; };
const pass = (msg) => console.log("ok   " + msg);

const models = {
  "v1/Pod": ["kubernetes-models/v1/Pod", "Pod", "core/v1"],
  "v1/ConfigMap": ["kubernetes-models/v1/ConfigMap", "ConfigMap", "core/v1"],
};

const docs = [];
for (const f of fs.readdirSync(k8sDir).filter((n) => n.endsWith(".yaml")).sort()) {
  try {
    yaml.loadAll(fs.readFileSync(path.join(k8sDir, f), "utf8"), (d) => { if (d) docs.push({ file: f, doc: d }); });
    pass(`${f}: YAML parses`);
  } catch (e) {
    fail(`${f}: ${e.message}`);
  }
}

const tsLines = [];
for (const [i, { file, doc }] of docs.entries()) {
  const key = `${doc.apiVersion}/${doc.kind}`;
  const model = models[key];
  if (!model) {
    fail(`${file}: ${key} is not a kind this check knows`);
    continue;
  }
  const mod = await import(model[0]);
  try {
    new mod[model[1]](doc).validate();
    pass(`${file}: ${key} ${doc.metadata?.name} matches the Kubernetes schema`);
  } catch (e) {
    fail(`${file}: ${key}: ${e.message}`);
  }
  tsLines.push(`import type { ${model[1]} as T${i} } from "kubernetes-types/${model[2]}";`);
  tsLines.push(`export const d${i}: T${i} = ${JSON.stringify(doc, null, 1)};`);
  if (doc.kind === "Pod") {
    const all = [...(doc.spec.initContainers ?? []), ...doc.spec.containers];
    const bad = all.filter((c) => {
      const r = c.resources ?? {}, q = r.requests ?? {}, l = r.limits ?? {};
      return !l.cpu || !l.memory || String(q.cpu ?? l.cpu) !== String(l.cpu) || String(q.memory ?? l.memory) !== String(l.memory)
        || !/^[1-9][0-9]*$/.test(String(l.cpu));
    });
    bad.length ? fail(`${file}: not Guaranteed with whole CPUs: ${bad.map((c) => c.name).join(", ")}`)
      : pass(`${file}: Guaranteed QoS, whole CPUs in every container (static CPU manager)`);
  }
}

// Unknown fields: TypeScript's excess-property check on each manifest as a typed literal.
const tsFile = path.join(process.cwd(), "manifests.ts");
fs.writeFileSync(tsFile, tsLines.join("\n") + "\n");
const program = ts.createProgram([tsFile], { strict: true, noEmit: true, module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, skipLibCheck: true });
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length) {
  for (const d of diagnostics) fail("unknown or mistyped field: " + ts.flattenDiagnosticMessageText(d.messageText, " "));
} else {
  pass(`every field of ${docs.length} objects is a known field of its type (kubernetes-types 1.30)`);
}

const dockerfile = path.join(examples, "docker", "Dockerfile");
const problems = validateDockerfile(fs.readFileSync(dockerfile, "utf8"));
problems.length ? problems.forEach((p) => fail(`Dockerfile:${p.range.start.line + 1}: ${p.message}`))
  : pass("docker/Dockerfile: valid instructions, flags and syntax (dockerfile-utils)");

console.log(failures ? `${failures} check(s) failed` : "all checks passed");
process.exit(failures ? 1 : 0);
