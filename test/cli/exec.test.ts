// `ml-chatops exec`, in-process: the job from ML_CHATOPS_JOB, the commit check, the command as an
// argv with parameters in the environment only, the bounded result read, the hand-back, and one
// documented exit code with one stderr line for every failure.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { decodeResultMarkers } from "../../src/adapters/codebuild/result-marker.js";
import { EXEC_EXIT, EXEC_USAGE, JOB_ENV, runExec } from "../../src/cli/exec.js";
import { runKeywords } from "../../src/cli/keywords.js";
import type { CliIo } from "../../src/cli/io.js";
import { encodeJobSpec, type JobSpec } from "../../src/core/job-spec.js";
import { RESULT_LIMITS } from "../../src/core/result.js";
import { createTempGitRepo } from "../support/git-repo.js";

// The experiment: a Node script (fast to start) that reports what it was given.
const TRAIN = `
import { mkdirSync, writeFileSync } from "node:fs";
const mode = process.env.ML_CHATOPS_PARAM_MODE ?? "ok";
console.log("training with c=" + process.env.ML_CHATOPS_PARAM_C);
console.error("a warning on stderr");
if (mode === "fail") process.exit(3);
if (mode === "hang") setInterval(() => {}, 1000);
if (mode === "none") process.exit(0);
mkdirSync("out", { recursive: true });
const seen = Object.keys(process.env).filter((k) => k.startsWith("ML_CHATOPS")).sort();
writeFileSync("out/result.json", JSON.stringify({
  metrics: { accuracy: 0.9 + Number(process.env.ML_CHATOPS_PARAM_C) / 100 },
  notes: JSON.stringify({ argv: process.argv.slice(2), seen, json: process.env.ML_CHATOPS_PARAMS_JSON }),
}, null, 2));
`;

const repo = createTempGitRepo();
const sha = repo.commit({ "train.mjs": TRAIN }, "experiment");
after(() => repo.remove());

const job = (over: Partial<JobSpec> = {}, params: Record<string, string> = { C: "2" }): JobSpec => ({
  v: 1,
  experiment: "train",
  sha,
  command: ["node", "train.mjs", "--literal=$(id)"],
  result: "out/result.json",
  env: {
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`ML_CHATOPS_PARAM_${k}`, v])),
    ML_CHATOPS_PARAMS_JSON: JSON.stringify(
      Object.fromEntries(Object.entries(params).map(([k, v]) => [k.toLowerCase(), v])),
    ),
  },
  ...over,
});

const exec = async (argv: ReadonlyArray<string>, env: Record<string, string | undefined>) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: { PATH: process.env["PATH"], ...env },
    cwd: repo.path,
    stderrIsTTY: false,
  };
  const code = await runExec(argv, io);
  const stderr = err.join("");
  return { code, stdout: out.join(""), stderr, last: stderr.trimEnd().split("\n").pop() ?? "" };
};
const withJob = (j: JobSpec | string, extra: Record<string, string> = {}) => ({
  ML_CHATOPS_JOB: typeof j === "string" ? j : encodeJobSpec(j),
  ...extra,
});
const out = (name: string) => path.join(path.dirname(repo.path), name);

describe("ml-chatops exec", () => {
  it("runs the job's argv at the checkout's root with the parameters in the environment only, and hands back markers and a file", async () => {
    const r = await exec(
      ["--markers", "--output", out("handback/result.json"), "--log-tail", out("handback/log.txt")],
      withJob(job(), { ML_CHATOPS_PARAM_EVIL: "inherited" }),
    );
    assert.equal(r.code, EXEC_EXIT.ok, r.stderr);
    // stdout holds only the marker lines; the command's own output went to stderr.
    assert.ok(
      r.stdout
        .split("\n")
        .filter((l) => l !== "")
        .every((l) => l.startsWith("ML_CHATOPS_RESULT v1 ")),
      r.stdout,
    );
    assert.match(r.stderr, /^training with c=2\na warning on stderr\n$/);
    const fromMarkers = decodeResultMarkers(r.stdout.split("\n"));
    assert.equal(fromMarkers._tag, "Right");
    const file = readFileSync(out("handback/result.json"), "utf8");
    assert.equal(file, `${fromMarkers._tag === "Right" ? fromMarkers.right : ""}\n`);
    const result = JSON.parse(file) as { metrics: { accuracy: number }; notes: string };
    assert.equal(result.metrics.accuracy, 0.92);
    const seen = JSON.parse(result.notes) as { argv: string[]; seen: string[]; json: string };
    // Check 69: argv items reach the program verbatim (no shell), parameters only as variables;
    // a parameter variable of exec's own environment and the job itself never reach the command.
    assert.deepEqual(seen.argv, ["--literal=$(id)"]);
    assert.deepEqual(seen.seen, ["ML_CHATOPS_PARAMS_JSON", "ML_CHATOPS_PARAM_C"]);
    assert.deepEqual(JSON.parse(seen.json), { c: "2" });
    assert.equal(readFileSync(out("handback/log.txt"), "utf8"), "training with c=2\na warning on stderr\n");
  });

  const refusals: ReadonlyArray<readonly [string, Record<string, string>, number, RegExp]> = [
    [
      "no job",
      {},
      EXEC_EXIT.badJob,
      /^ml-chatops exec: ML_CHATOPS_JOB is not set: the runner passes the job the bot built from the default branch's \.github\/ml-chatops\.yml$/,
    ],
    [
      "a job that is not JSON",
      withJob("{nope"),
      EXEC_EXIT.badJob,
      /^ml-chatops exec: ML_CHATOPS_JOB: the job is not JSON: /,
    ],
    [
      "a result path leaving the checkout",
      withJob(job({ result: "../x.json" })),
      EXEC_EXIT.badJob,
      /^ml-chatops exec: ML_CHATOPS_JOB: result: expected a path relative to the checkout, got "\.\.\/x\.json"$/,
    ],
    [
      "a variable that is no parameter",
      withJob({ ...job(), env: { LD_PRELOAD: "/tmp/x.so" } }),
      EXEC_EXIT.badJob,
      /^ml-chatops exec: ML_CHATOPS_JOB: env\.LD_PRELOAD: not a valid name \(ML_CHATOPS_PARAM_<KEY> or ML_CHATOPS_PARAMS_JSON\)$/,
    ],
    [
      "an unknown field",
      withJob(JSON.stringify({ ...job(), shell: true })),
      EXEC_EXIT.badJob,
      /^ml-chatops exec: ML_CHATOPS_JOB: shell: unknown field/,
    ],
    [
      "another commit (check 13)",
      withJob(job({ sha: "0".repeat(40) })),
      EXEC_EXIT.wrongCommit,
      new RegExp(`^ml-chatops exec: the checkout is at ${sha}, the approved commit is 0{40}; nothing was run$`),
    ],
    [
      "a command that fails",
      withJob(job({}, { C: "1", MODE: "fail" })),
      EXEC_EXIT.experimentFailed,
      /^ml-chatops exec: train \("node"\) exited with code 3$/,
    ],
    [
      "a command that is not installed",
      withJob(job({ command: ["no-such-program-here", "x"] })),
      EXEC_EXIT.notStarted,
      /^ml-chatops exec: cannot start train \("no-such-program-here"\): "no-such-program-here" was not found/,
    ],
    [
      "a command that writes no result",
      withJob(job({}, { C: "1", MODE: "none" })),
      EXEC_EXIT.badResult,
      /^ml-chatops exec: no valid result: out\/result\.json does not exist$/,
    ],
  ];
  for (const [name, env, code, line] of refusals) {
    it(`${name}: exit ${code}, one stderr line saying why`, async () => {
      const r = await exec(["--output", out(`refused-${code}.json`)], env);
      assert.equal(r.code, code, r.stderr);
      assert.match(r.last, line);
      assert.equal(r.stdout, "");
      assert.equal(existsSync(out(`refused-${code}.json`)), false);
    });
  }

  it("stops a command that outlives its time limit, with everything it started (exit 6)", async () => {
    const started = Date.now();
    const r = await exec(["--output", out("timeout.json")], withJob(job({ timeoutMs: 500 }, { C: "1", MODE: "hang" })));
    assert.equal(r.code, EXEC_EXIT.timedOut, r.stderr);
    assert.equal(r.last, 'ml-chatops exec: train ("node") did not finish within its time limit of 500 ms; stopped');
    // The command never ends by itself; the bound only shows it was stopped, with room for a
    // node start-up on a loaded machine.
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  });

  it("--help states the result contract's size cap and the variable the runners send the job in", () => {
    assert.match(
      EXEC_USAGE,
      new RegExp(`at\\smost ${RESULT_LIMITS.maxBytes / (1024 * 1024)} MiB, the result contract's cap`),
    );
    // The adapters write the variable by name (codebuild/env-vars.ts, argo/workflow.ts).
    assert.equal(JOB_ENV, "ML_CHATOPS_JOB");
    assert.match(EXEC_USAGE, /The job comes\nfrom ML_CHATOPS_JOB \(/);
  });

  it("needs a place for the result (exit 2)", async () => {
    const r = await exec([], withJob(job()));
    assert.equal(r.code, EXEC_EXIT.usage);
    assert.equal(r.stderr, "ml-chatops exec: give --markers or --output FILE: where the result goes (see --help)\n");
  });
});

describe("ml-chatops exec reads the result as hostile data (check 81)", () => {
  // Each case is a commit whose command leaves something else than a regular file behind; what it
  // left is removed before the next commit (git add would try to read a FIFO).
  const clean = (): void => rmSync(path.join(repo.path, "out"), { recursive: true, force: true });
  const hostile = (name: string, setup: string): string =>
    repo.commit(
      { [`${name}.mjs`]: `import * as fs from "node:fs";\nfs.mkdirSync("out", { recursive: true });\n${setup}\n` },
      name,
    );
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    [
      "symlink",
      'fs.symlinkSync("/etc/passwd", "out/result.json");',
      /no valid result: out\/result\.json is refused: it is a symbolic link, not a regular file$/,
    ],
    [
      "fifo",
      'import { execFileSync } from "node:child_process";\nexecFileSync("mkfifo", ["out/result.json"]);',
      /no valid result: out\/result\.json is refused: it is a FIFO, not a regular file$/,
    ],
    [
      "directory",
      'fs.mkdirSync("out/result.json");',
      /no valid result: out\/result\.json is refused: it is a directory, not a regular file$/,
    ],
    [
      "too-big",
      `fs.writeFileSync("out/result.json", " ".repeat(${RESULT_LIMITS.maxBytes + 1}));`,
      new RegExp(
        `no valid result: out/result\\.json is ${RESULT_LIMITS.maxBytes + 1} bytes, over the cap of ${RESULT_LIMITS.maxBytes}$`,
      ),
    ],
    [
      "linked-folder",
      'fs.rmSync("out", { recursive: true }); fs.mkdirSync("/tmp/ml-chatops-exec-outside", { recursive: true }); fs.writeFileSync("/tmp/ml-chatops-exec-outside/result.json", \'{"metrics":{"a":1}}\'); fs.symlinkSync("/tmp/ml-chatops-exec-outside", "out");',
      /no valid result: out\/result\.json is refused: out is a symbolic link, not a directory$/,
    ],
    [
      "invalid",
      'fs.writeFileSync("out/result.json", JSON.stringify({ metrics: { accuracy: "high" } }));',
      /^ml-chatops exec: out\/result\.json: metrics\.accuracy: expected a finite number, got "high"$/,
    ],
    [
      "empty",
      'fs.writeFileSync("out/result.json", JSON.stringify({ notes: "nothing" }));',
      /out\/result\.json: \(root\): a result needs at least one metric or one ranking$/,
    ],
  ];
  for (const [name, setup, line] of cases) {
    it(`${name}: exit 7, one line`, async () => {
      clean();
      const commit = hostile(name, setup);
      const r = await exec(["--markers"], withJob(job({ sha: commit, command: ["node", `${name}.mjs`] })));
      clean();
      assert.equal(r.code, EXEC_EXIT.badResult, r.stderr);
      assert.match(r.last, line);
      assert.equal(r.stdout, "");
    });
  }

  it("a result file committed with the code is deleted before the run, never passed off as this run's", async () => {
    clean();
    const commit = repo.commit({ "out/result.json": '{"metrics":{"accuracy":1}}', "noop.mjs": "" }, "stale result");
    const r = await exec(["--markers"], withJob(job({ sha: commit, command: ["node", "noop.mjs"] })));
    assert.equal(r.code, EXEC_EXIT.badResult);
    assert.equal(r.last, "ml-chatops exec: no valid result: out/result.json does not exist");
  });

  it("a stale result behind a folder link out of the checkout is not deleted", async () => {
    mkdirSync("/tmp/ml-chatops-exec-keep", { recursive: true });
    writeFileSync("/tmp/ml-chatops-exec-keep/result.json", "keep");
    const commit = repo.commit({ "noop2.mjs": "" }, "link");
    execFileSync("git", ["checkout", "-q", commit], { cwd: repo.path });
    symlinkSync("/tmp/ml-chatops-exec-keep", path.join(repo.path, "out2"));
    const r = await exec(
      ["--markers"],
      withJob(job({ sha: commit, command: ["node", "noop2.mjs"], result: "out2/result.json" })),
    );
    assert.equal(r.code, EXEC_EXIT.badResult);
    assert.equal(readFileSync("/tmp/ml-chatops-exec-keep/result.json", "utf8"), "keep");
  });
});

describe("ml-chatops exec as a process", () => {
  it("a leading `ml-chatops` in the argv is this same CLI: the built-in keywords experiment through exec", async () => {
    const tokens = [
      { id: "d1", tokens: ["apple", "apple", "banana"] },
      { id: "d2", tokens: ["banana", "cherry"] },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n");
    const commit = repo.commit({ "tokens.jsonl": `${tokens}\n` }, "corpus");
    const spec = job(
      {
        sha: commit,
        command: [
          "ml-chatops",
          "keywords",
          "--pretokenized=tokens.jsonl",
          "--params-from-env",
          "--result-file=out/result.json",
          "--quiet",
        ],
      },
      { TOP: "1", MAX_DF: "1.0" },
    );
    const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
    // tsx by absolute URL: exec starts the inner `ml-chatops` with the same flags, in the checkout.
    const stdout = execFileSync(
      process.execPath,
      [
        "--import",
        import.meta.resolve("tsx"),
        path.join(repoRoot, "src", "cli", "main.ts"),
        "exec",
        "--output",
        out("keywords.json"),
      ],
      {
        cwd: repo.path,
        env: { PATH: process.env["PATH"], ML_CHATOPS_JOB: encodeJobSpec(spec) },
        encoding: "utf8",
      },
    );
    // keywords' own stdout (the documents JSON) went to exec's stderr; exec printed nothing.
    assert.equal(stdout, "");
    // The same rankings `ml-chatops keywords` computes with the same parameters as flags.
    const direct: string[] = [];
    await runKeywords(["--pretokenized=tokens.jsonl", "--top=1", "--max-df=1.0"], {
      stdout: (t) => void direct.push(t),
      stderr: () => undefined,
      env: {},
      cwd: repo.path,
      stderrIsTTY: false,
    });
    const documents = (JSON.parse(direct.join("")) as { documents: Array<{ id: string; keywords: unknown }> })
      .documents;
    assert.deepEqual(JSON.parse(readFileSync(out("keywords.json"), "utf8")), {
      rankings: { keywords: Object.fromEntries(documents.map((d) => [d.id, d.keywords])) },
    });
    assert.deepEqual(
      documents.map((d) => d.id),
      ["d1", "d2"],
    );
  });
});
