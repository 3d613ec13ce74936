/**
 * `promote` is guarded: through the pipeline with the in-memory forge, a result worse than the
 * current best on the primary metric is refused (saying by how much), `promote force=true`
 * overrides and the baseline records that it was forced; the report's first line answers
 * "better than the current best?".
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { createMemoryForge } from "../../src/adapters/memory/index.js";
import { createDeclaredExperiment } from "../../src/core/declared-experiment.js";
import {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
} from "../../src/adapters/memory/index.js";
import type { Sha } from "../../src/core/model.js";
import { createPipeline } from "../../src/core/pipeline.js";
import { checkPromotion } from "../../src/core/promote-guard.js";
import { createCommentReporter } from "../../src/core/ledger/report-comment.js";
import type { ExperimentResult } from "../../src/core/result.js";
import { createScriptedRunner } from "../support/core-fakes.js";

const BOT = { login: "ml-chatops[bot]", id: 99 };
const ALICE = { login: "alice", id: 1 };
const PR = { owner: "o", repo: "r", number: 5 };
const HEAD = "a".repeat(40) as Sha;
const BEST_META = {
  pr: { ...PR, number: 2 },
  sha: "b".repeat(40) as Sha,
  promotedBy: ALICE,
  promotedAt: "2026-11-01T00:00:00.000Z",
  params: { c: "1" },
  forced: false,
};

const train = createDeclaredExperiment("train", {
  command: ["python3", "train.py"],
  params: { c: { type: "number", default: 1, min: 0.00001, max: 1000 } },
  result: "out/result.json",
  metrics: { accuracy: { goal: "max", threshold: 0 }, loss: { goal: "min", threshold: 0.001 } },
  primary: "accuracy",
});

const setup = (output: ExperimentResult) => {
  const forge = createMemoryForge({
    bot: BOT,
    repos: [
      {
        owner: PR.owner,
        repo: PR.repo,
        collaborators: { alice: "write" },
        pulls: [{ number: PR.number, headSha: HEAD, headRef: "tune" }],
      },
    ],
  });
  const runner = createScriptedRunner({ statuses: [{ state: "succeeded", detail: "exit 0" }], output });
  const baseline = createMemoryBaselineStore({
    train: { result: { metrics: { accuracy: 0.9519, loss: 0.12 } }, meta: BEST_META },
  });
  const pipeline = createPipeline(
    {
      forge,
      runner: runner.runner,
      experiments: [train],
      baseline,
      approvals: createMemoryApprovalStore(),
      ledger: createMemoryRunLedger(),
      reporter: createCommentReporter(forge),
    },
    { botActorId: BOT.id, pollIntervalMs: 1, defaultExperiment: "train", unknownPushTime: "allow" },
  );
  const say = async (body: string) => {
    const c = forge.addComment(PR, ALICE, body);
    const out = await pipeline.onComment({
      pr: PR,
      comment: { id: c.id, body, author: ALICE, createdAt: c.createdAt },
    })();
    assert.ok(E.isRight(out), JSON.stringify(out));
    return out.right;
  };
  const runOnce = async (body: string) => {
    assert.equal((await say(body))._tag, "Approved");
    const out = await pipeline.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT })();
    assert.ok(E.isRight(out) && out.right._tag === "Reported", JSON.stringify(out));
    return out.right.report;
  };
  const lastReply = () =>
    forge
      .comments(PR)
      .filter((c) => c.author.id === BOT.id)
      .at(-1)?.body ?? "";
  return { forge, baseline, say, runOnce, lastReply, runner };
};

describe("promote guard through the pipeline", () => {
  it("a worse primary metric: the report says so first, promote is refused by how much, force=true overrides and is recorded", async () => {
    const t = setup({ metrics: { accuracy: 0.95, loss: 0.1205 } });
    const report = await t.runOnce("/experiment run c=0.2");
    assert.deepEqual(t.runner.started[0]?.params, { c: "0.2" });
    assert.deepEqual(
      report.diff?.metrics.map((m) => [m.name, m.verdict]),
      [
        ["accuracy", "worse"],
        ["loss", "unchanged"],
      ],
    );
    const body = t.forge.comments(PR).find((c) => c.body.includes("ml-chatops:report"))?.body ?? "";
    const heading = body.split("\n").find((l) => l.startsWith("### ")) ?? "";
    assert.equal(
      heading,
      "### train: succeeded at `aaaaaaa` · ❌ worse than the current best: accuracy 0.95 vs 0.9519 (−0.0019)",
    );
    assert.match(body, /\| accuracy \(primary, max\) \| 0\.95 \| 0\.9519 \| ↓ −0\.0019 \(−0\.20%\) \| ❌ worse \|/);
    assert.match(body, /- \*\*Current best:\*\* #2 at `bbbbbbb`, promoted by alice on 2026-11-01T00:00:00\.000Z/);
    assert.match(body, /- \*\*Parameters:\*\* c = 0\.2\n/);
    assert.match(body, /- \*\*Current best's parameters:\*\* c = 1\n/);

    assert.equal((await t.say("/experiment promote"))._tag, "Refused");
    assert.match(
      t.lastReply(),
      /^Not promoted: `accuracy is 0\.95, worse than the current best 0\.9519 by 0\.0019 \(−0\.20%\)`/,
    );
    assert.deepEqual(
      t.baseline.snapshot().get("train")?.result,
      { metrics: { accuracy: 0.9519, loss: 0.12 } },
      "the current best stays",
    );

    assert.deepEqual(await t.say("/experiment promote force=true"), { _tag: "Handled", command: "promote" });
    const stored = t.baseline.snapshot().get("train");
    assert.deepEqual(stored?.result, { metrics: { accuracy: 0.95, loss: 0.1205 } });
    assert.deepEqual(
      [
        stored?.meta?.forced,
        stored?.meta?.params,
        stored?.meta?.sha,
        stored?.meta?.promotedBy.login,
        stored?.meta?.runId,
      ],
      [true, { c: "0.2" }, HEAD, "alice", "run-1"],
    );
    assert.match(t.lastReply(), /Forced with `force=true` although `accuracy is 0\.95, worse/);
  });

  it("a better primary metric is promoted without force, and not recorded as forced", async () => {
    const t = setup({ metrics: { accuracy: 0.96, loss: 0.2 } });
    const report = await t.runOnce("/experiment run");
    assert.equal(report.diff?.metrics.find((m) => m.name === "accuracy")?.verdict, "better");
    assert.deepEqual(await t.say("/experiment promote"), { _tag: "Handled", command: "promote" });
    assert.equal(t.baseline.snapshot().get("train")?.meta?.forced, false);
  });

  it("a bad force value is refused with the help reply, promoting nothing", async () => {
    const t = setup({ metrics: { accuracy: 0.99 } });
    await t.runOnce("/experiment run");
    assert.equal((await t.say("/experiment promote force=yes"))._tag, "Refused");
    assert.match(t.lastReply(), /force: expected true or false, got `yes`/);
    assert.equal(t.baseline.snapshot().get("train")?.meta?.forced, false, "the old baseline stays");
  });

  it("a bad parameter is refused before approval, with the help reply (check 68)", async () => {
    const t = setup({ metrics: { accuracy: 0.99 } });
    assert.equal((await t.say("/experiment run c=5000"))._tag, "Refused");
    assert.match(t.lastReply(), /c: expected a number from 0\.00001 to 1000, got "5000"/);
    assert.match(t.lastReply(), /\*\*ml-chatops commands\*\*/);
    assert.equal(t.runner.started.length, 0);
  });
});

describe("checkPromotion", () => {
  const goals = train.metrics;
  it("no current best, or no primary metric: promoted", () => {
    assert.deepEqual(
      checkPromotion({ metrics: { accuracy: 0.1 } }, undefined, "accuracy", goals, false),
      E.right({ forced: false }),
    );
    assert.deepEqual(
      checkPromotion({ metrics: { accuracy: 0.1 } }, { metrics: { accuracy: 0.9 } }, undefined, goals, false),
      E.right({ forced: false }),
    );
  });
  it("a tie is not worse", () => {
    assert.deepEqual(
      checkPromotion({ metrics: { accuracy: 0.9 } }, { metrics: { accuracy: 0.9 } }, "accuracy", goals, false),
      E.right({ forced: false }),
    );
  });
  it("a result without the primary metric the current best has is refused", () => {
    assert.deepEqual(
      checkPromotion({ metrics: { loss: 0.1 } }, { metrics: { accuracy: 0.9 } }, "accuracy", goals, false),
      E.left("this result has no accuracy; the current best has 0.9"),
    );
  });
});
