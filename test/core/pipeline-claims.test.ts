/**
 * The pipeline's two guards that need more than one event to see: the head must have been
 * pushed before the approving comment, and copies of one event (redeliveries, replays, parallel
 * workers) act once, claimed through the bot's 👀 and 🚀 reactions.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { createPipeline, type CommentEvent, type LabelEvent } from "../../src/core/pipeline.js";
import {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
} from "../../src/adapters/memory/index.js";
import type { PipelineConfigInput } from "../../src/core/pipeline-config.js";
import {
  BOT,
  MAINTAINER,
  PR,
  SHA_A,
  createFakeClock,
  createFakeForge,
  createRecordingReporter,
  createScriptedRunner,
  fakeExperiment,
  result,
} from "../support/core-fakes.js";
import { expectRight } from "../support/pipeline-harness.js";

const COMMENTED_AT = "2026-01-01T12:00:00Z";

/** One worker: its own approval store and ledger (its own process), over a shared forge and runner. */
const worker = (
  forge: ReturnType<typeof createFakeForge>,
  runner: ReturnType<typeof createScriptedRunner>,
  config: PipelineConfigInput = {},
  approvals = createMemoryApprovalStore(),
) => {
  const { reporter, published } = createRecordingReporter();
  const pipeline = createPipeline(
    {
      forge: forge.forge,
      runner: runner.runner,
      experiments: [fakeExperiment],
      baseline: createMemoryBaselineStore(),
      approvals,
      ledger: createMemoryRunLedger(),
      reporter,
      clock: createFakeClock().clock,
    },
    { botActorId: BOT.id, pollIntervalMs: 1000, deadlineMs: 60_000, ...config },
  );
  return { pipeline, published, approvals };
};

const setup = (forgeOpts: Parameters<typeof createFakeForge>[0] = {}, config: PipelineConfigInput = {}) => {
  const forge = createFakeForge({ roles: { mai: "maintain" }, ...forgeOpts });
  const runner = createScriptedRunner({
    statuses: [{ state: "succeeded", detail: "done" }],
    output: result(["python"]),
  });
  return { forge, runner, ...worker(forge, runner, config) };
};

const comment = (
  body = "/experiment run",
  o: Partial<CommentEvent["comment"]> & { edited?: boolean } = {},
): CommentEvent => ({
  pr: PR,
  comment: { id: o.id ?? 1, body, author: MAINTAINER, createdAt: o.createdAt ?? COMMENTED_AT },
  ...(o.edited === undefined ? {} : { edited: o.edited }),
});
const botLabel: LabelEvent = { pr: PR, label: "ml-chatops:run", sender: BOT };

const unwrap = expectRight;

describe("pipeline: the head must predate the approving comment", () => {
  it("check 10: a head pushed before the comment is approved", async () => {
    const s = setup({ pushedAt: "2026-01-01T11:59:59Z" });
    const out = await unwrap(s.pipeline.onComment(comment()));
    assert.equal(out._tag, "Approved");
  });

  it("check 10: a head pushed after the comment is refused with both times; no approval, no label", async () => {
    const s = setup({ pushedAt: "2026-01-01T12:00:05Z" });
    const out = await unwrap(s.pipeline.onComment(comment()));
    assert.deepEqual(out, { _tag: "Refused", reason: "head pushed after the comment" });
    assert.ok(!s.forge.ops().includes("addLabel"));
    assert.match(
      s.forge.replies()[0] ?? "",
      /`aaaaaaa` was pushed at `2026-01-01T12:00:05Z`, after your comment \(`2026-01-01T12:00:00Z`\)/,
    );
    assert.deepEqual(s.forge.reactions(), ["eyes", "confused"]);
    assert.equal(await unwrap(s.pipeline.onLabel(botLabel)).then((o) => o._tag), "Ignored");
  });

  it("check 10: a push in the same second as the comment counts as after", async () => {
    const s = setup({ pushedAt: COMMENTED_AT });
    assert.equal((await unwrap(s.pipeline.onComment(comment())))._tag, "Refused");
  });

  it("check 10: no record of the push refuses by default and tells the approver to name the commit", async () => {
    const s = setup({ pushedAt: null });
    const out = await unwrap(s.pipeline.onComment(comment()));
    assert.deepEqual(out, { _tag: "Refused", reason: "push time unknown" });
    assert.match(s.forge.replies()[0] ?? "", /Cannot tell when the head `aaaaaaa` was pushed.*`sha=`/);
  });

  it("check 10: with unknownPushTime allow, no record of the push is approved", async () => {
    const s = setup({ pushedAt: null }, { unknownPushTime: "allow" });
    assert.equal((await unwrap(s.pipeline.onComment(comment())))._tag, "Approved");
  });

  it("checks 14 and 21: an exact sha= approves that commit without asking when it was pushed", async () => {
    const s = setup({ pushedAt: "2026-01-02T00:00:00Z", pushTimeError: true });
    const out = await unwrap(s.pipeline.onComment(comment(`/experiment run sha=${SHA_A}`)));
    assert.equal(out._tag, "Approved");
    assert.ok(!s.forge.ops().includes("headPushedAt"));
  });

  it("check 21: an API error while looking up the push time denies", async () => {
    const s = setup({ pushTimeError: true });
    const out = await unwrap(s.pipeline.onComment(comment()));
    assert.deepEqual(out, { _tag: "Refused", reason: "push time unknown" });
    assert.ok(!s.forge.ops().includes("addLabel"));
  });

  it("check 10: an unreadable comment time refuses instead of guessing", async () => {
    const s = setup();
    const out = await unwrap(s.pipeline.onComment(comment("/experiment run", { createdAt: "yesterday" })));
    assert.deepEqual(out, { _tag: "Refused", reason: "push time unreadable" });
  });
});

describe("pipeline: copies of one event act once (reaction claims)", () => {
  it("check 37: the same comment handled twice is approved and labelled once; the second is ignored", async () => {
    const s = setup();
    assert.equal((await unwrap(s.pipeline.onComment(comment())))._tag, "Approved");
    const again = await unwrap(s.pipeline.onComment(comment()));
    assert.deepEqual(again, { _tag: "Ignored", reason: "comment 1 was already handled (the bot's 👀 is on it)" });
    assert.equal(s.forge.replies().length, 0);
    assert.equal(s.forge.ops().filter((o) => o === "addLabel").length, 1);
  });

  it("check 38: a refused command replayed is refused once (the claim comes before any reply)", async () => {
    const s = setup();
    await unwrap(s.pipeline.onComment(comment("/experiment run max_df=7")));
    await unwrap(s.pipeline.onComment(comment("/experiment run max_df=7")));
    assert.equal(s.forge.replies().length, 1);
  });

  it("check 39: two workers handling the same comment concurrently approve it exactly once", async () => {
    const s = setup();
    const other = worker(s.forge, s.runner);
    const outs = await Promise.all([
      unwrap(s.pipeline.onComment(comment())),
      unwrap(other.pipeline.onComment(comment())),
    ]);
    assert.deepEqual(outs.map((o) => o._tag).sort(), ["Approved", "Ignored"]);
    assert.equal(s.forge.ops().filter((o) => o === "addLabel").length, 1);
    assert.equal(s.forge.replies().length, 0);
  });

  it("check 39: a claim that cannot be made is an error, and nothing else happens", async () => {
    const s = setup({ reactError: true });
    const r = await s.pipeline.onComment(comment())();
    assert.ok(E.isLeft(r));
    assert.deepEqual(
      [r.left._tag, r.left._tag === "ForgeUnavailable" ? [r.left.operation, String(r.left.cause)] : []],
      ["ForgeUnavailable", ["react", "Error: 502"]],
    );
    assert.deepEqual(s.forge.ops(), ["react"]);
  });

  it("check 41: an edited comment (edits enabled by the caller) is handled although its 👀 is already there", async () => {
    const s = setup();
    await unwrap(s.pipeline.onComment(comment("/experiment help")));
    const out = await unwrap(s.pipeline.onComment(comment("/experiment run", { edited: true })));
    assert.equal(out._tag, "Approved");
  });

  it("check 83: an edit approves only what it shows: a command hidden in <details> or <span hidden> approves nothing", async () => {
    const s = setup();
    for (const body of [
      "<details>\n<summary>log</summary>\n\n/experiment run\n\n</details>",
      "ok <span hidden>\n/experiment run\n</span>",
      "<!--\n/experiment run\n-->",
    ]) {
      const out = await unwrap(s.pipeline.onComment(comment(body, { edited: true })));
      assert.deepEqual(out, { _tag: "Ignored", reason: "no command" }, body);
    }
    assert.ok(!s.forge.ops().includes("addLabel"));
    assert.deepEqual(s.forge.replies(), []);
  });

  it("checks 16 and 39: two workers holding the same approval start exactly one run", async () => {
    // The approval stores are per process and not atomic across them: both workers take the
    // approval; the 🚀 claim on the approving comment lets one start it.
    const s = setup();
    await unwrap(s.pipeline.onComment(comment()));
    const copy = createMemoryApprovalStore();
    const pending = await unwrap(s.approvals.take(PR));
    assert.equal(pending._tag, "Some");
    if (pending._tag !== "Some") return;
    await unwrap(s.approvals.save(pending.value));
    await unwrap(copy.save(pending.value));
    const other = worker(s.forge, s.runner, {}, copy);
    const outs = await Promise.all([unwrap(s.pipeline.onLabel(botLabel)), unwrap(other.pipeline.onLabel(botLabel))]);
    assert.deepEqual(outs.map((o) => o._tag).sort(), ["Ignored", "Reported"]);
    assert.equal(s.runner.started.length, 1);
    assert.equal(s.forge.reactions().filter((r) => r === "rocket").length, 2, "both tried the claim");
  });
});
