#!/usr/bin/env node
// The experiment entry point baked into the runner image (trusted: it is not taken from the pull
// request). It runs inside the checkout of the pinned commit and turns the parameters, which
// arrive as JSON in ML_CHATOPS_PARAMS, into separate argv items for `ml-chatops keywords`:
// allow-listed keys, bounded values, no shell anywhere.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const fail = (message) => {
  process.stderr.write(`run-experiment: ${message}\n`);
  process.exit(2);
};

const experiment = process.env.ML_CHATOPS_EXPERIMENT ?? "";
const resultPath = process.env.ML_CHATOPS_RESULT_PATH ?? "";
if (experiment !== "tfidf-keywords") fail(`unknown experiment ${JSON.stringify(experiment)}`);
if (!resultPath.startsWith("/")) fail("ML_CHATOPS_RESULT_PATH must be an absolute path");

let params;
try {
  params = JSON.parse(process.env.ML_CHATOPS_PARAMS ?? "{}");
} catch {
  fail("ML_CHATOPS_PARAMS is not JSON");
}
if (params === null || typeof params !== "object" || Array.isArray(params)) fail("ML_CHATOPS_PARAMS is not an object");

const FLAGS = {
  top: (v) => [`--top=${v}`],
  max_df: (v) => [`--max-df=${v}`],
  min_df: (v) => [`--min-df=${v}`],
  norm: (v) => [`--norm=${v}`],
  sublinear_tf: (v) => (v === "true" ? ["--sublinear-tf"] : []),
  use_idf: (v) => (v === "false" ? ["--no-idf"] : []),
};
const flags = [];
for (const [key, value] of Object.entries(params)) {
  if (!Object.hasOwn(FLAGS, key)) fail(`parameter ${JSON.stringify(key)} is not allowed`);
  if (typeof value !== "string" || !/^[A-Za-z0-9._-]{1,64}$/.test(value)) fail(`parameter ${key}: value not allowed`);
  flags.push(...FLAGS[key](value));
}

mkdirSync(dirname(resultPath), { recursive: true });
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", shell: false, maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? "");
  process.stderr.write(r.stderr ?? "");
  return r;
};
const install = run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"]);
if (install.status !== 0) process.exit(install.status ?? 1);
const corpus = join("examples", "data", "sample-talks.jsonl");
const r = run("npx", ["tsx", "src/cli/main.ts", "keywords", `--input=${corpus}`, ...flags, `--output=${resultPath}`]);
const tail = `${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n").slice(-200).join("\n");
writeFileSync(join(dirname(resultPath), "log-tail.txt"), tail);
process.exit(r.status ?? 1);
