import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { createForgeRunLedger, resultDataMarker } from "../../src/core/forge-ledger.js";
import { createMemoryApprovalStore, createMemoryBaselineStore } from "../../src/core/memory-stores.js";
import { toRunKey } from "../../src/core/model.js";
import { createPipeline } from "../../src/core/pipeline.js";
import { createCommentReporter } from "../../src/core/report/index.js";
import {
  BOT,
  MAINTAINER,
  PR,
  SHA_A,
  SHA_B,
  createFakeClock,
  createFakeForge,
  createScriptedRunner,
  fakeExperiment,
  result,
} from "../support/core-fakes.js";

const KEY = toRunKey(PR, "tfidf-keywords");

/** One "process": its own pipeline, ledger and approvals, over a shared forge (the PR). */
const processOver = (
  forge: ReturnType<typeof createFakeForge>,
  baseline: ReturnType<typeof createMemoryBaselineStore>,
  runner: ReturnType<typeof createScriptedRunner>,
) =>
  createPipeline(
    {
      forge: forge.forge,
      runner: runner.runner,
      experiments: [fakeExperiment],
      baseline,
      approvals: createMemoryApprovalStore(),
      ledger: createForgeRunLedger(forge.forge),
      reporter: createCommentReporter(forge.forge),
      clock: createFakeClock().clock,
    },
    { botActorId: BOT.id, pollIntervalMs: 1000 },
  );

const unwrap = async <A>(task: () => Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await task();
  if (E.isLeft(r)) assert.fail(JSON.stringify(r.left));
  return r.right;
};

describe("forge-backed run ledger", () => {
  it("promote in a later process finds the result a previous process produced", async () => {
    const forge = createFakeForge({ roles: { mai: "write" } });
    const baseline = createMemoryBaselineStore();
    const runner = createScriptedRunner({ statuses: [{ state: "succeeded", detail: "ok" }], output: result(["python", "pandas"]) });
    const first = processOver(forge, baseline, runner);
    await unwrap(first.onComment({ pr: PR, comment: { id: 1, body: "/experiment run", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" } }));
    await unwrap(first.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT }));

    const later = processOver(forge, baseline, runner);
    const out = await unwrap(later.onComment({ pr: PR, comment: { id: 2, body: "/experiment promote", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" } }));
    assert.deepEqual(out, { _tag: "Handled", command: "promote" });
    const saved = baseline.snapshot().get("tfidf-keywords");
    assert.deepEqual(saved?.result, result(["python", "pandas"]));
    assert.equal(saved?.meta?.sha, SHA_A);
  });

  it("a push handled by another process cancels the detached run named in the report", async () => {
    const forge = createFakeForge({ roles: { mai: "write" } });
    const baseline = createMemoryBaselineStore();
    const runner = createScriptedRunner({ statuses: [{ state: "running", detail: "building" }] });
    const labeller = processOver(forge, baseline, runner);
    await unwrap(labeller.onComment({ pr: PR, comment: { id: 1, body: "/experiment run", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" } }));
    const detached = await unwrap(labeller.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT }, { detach: true }));
    assert.equal(detached._tag, "Detached");

    const pusher = processOver(forge, baseline, runner);
    await unwrap(pusher.onPush({ pr: PR, headSha: SHA_B }));
    assert.deepEqual(runner.cancelled, ["run-1"]);
  });

  it("a corrupt or foreign data comment is no result", async () => {
    const forge = createFakeForge();
    const ledger = createForgeRunLedger(forge.forge);
    await unwrap(forge.forge.upsertComment(PR, resultDataMarker(KEY), `${resultDataMarker(KEY)}\n<!-- ml-chatops:data bm90IGpzb24 -->`));
    assert.ok(O.isNone(await unwrap(ledger.latest(KEY))));
    await unwrap(forge.forge.upsertComment(PR, resultDataMarker(KEY), "some text\n<!-- ml-chatops:data e30 -->"));
    assert.ok(O.isNone(await unwrap(ledger.latest(KEY))));
  });

  it("check 64: a result too large for one comment is refused, not truncated", async () => {
    const forge = createFakeForge();
    const ledger = createForgeRunLedger(forge.forge);
    const huge = { documents: Array.from({ length: 3000 }, (_, i) => ({ id: `doc-${i}`, keywords: [{ term: `term-${i}`, score: 0.5 }] })) };
    const handle = { runner: "fake", id: "run-9", runKey: KEY, pinnedSha: SHA_A, startedAt: "t" };
    const r = await ledger.saveLatest(KEY, { result: huge, sha: SHA_A, handle })();
    assert.ok(E.isLeft(r));
    assert.match(E.isLeft(r) ? r.left._tag : "", /StoreConflict/);
    assert.ok(!forge.ops().includes("upsertComment"));
  });
});
