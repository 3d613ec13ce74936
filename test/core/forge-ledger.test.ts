import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { runNotFound, runnerInvalidResponse } from "../../src/core/errors.js";
import { createForgeRunLedger } from "../../src/core/ledger/forge-ledger.js";
import { resultPayload } from "../../src/core/ledger/result-line.js";
import { createMemoryApprovalStore, createMemoryBaselineStore } from "../../src/adapters/memory/index.js";
import { toRunKey } from "../../src/core/model.js";
import { createPipeline } from "../../src/core/pipeline.js";
import { createCommentReporter } from "../../src/core/ledger/report-comment.js";
import { readReportState, reportMarker, type ReportState } from "../../src/core/ledger/markers.js";
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
import { expectLeft, expectRight } from "../support/pipeline-harness.js";

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

/** The state in the report comment the bot keeps for KEY. */
const stateOf = (forge: ReturnType<typeof createFakeForge>) => async (): Promise<ReportState | undefined> => {
  const body = await forge.forge.findComment(PR, reportMarker(KEY))();
  return E.isRight(body) ? O.toUndefined(O.flatMap(readReportState)(body.right)) : undefined;
};

const unwrap = expectRight;

describe("forge-backed run ledger", () => {
  it("promote in a later process finds the result a previous process produced", async () => {
    const forge = createFakeForge({ roles: { mai: "write" } });
    const baseline = createMemoryBaselineStore();
    const runner = createScriptedRunner({
      statuses: [{ state: "succeeded", detail: "ok" }],
      output: result(["python", "pandas"]),
    });
    const first = processOver(forge, baseline, runner);
    await unwrap(
      first.onComment({
        pr: PR,
        comment: { id: 1, body: "/experiment run", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" },
      }),
    );
    await unwrap(first.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT }));

    const later = processOver(forge, baseline, runner);
    const out = await unwrap(
      later.onComment({
        pr: PR,
        comment: { id: 2, body: "/experiment promote", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" },
      }),
    );
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
    await unwrap(
      labeller.onComment({
        pr: PR,
        comment: { id: 1, body: "/experiment run", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" },
      }),
    );
    const detached = await unwrap(labeller.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT }, { detach: true }));
    assert.equal(detached._tag, "Detached");

    const pusher = processOver(forge, baseline, runner);
    await unwrap(pusher.onPush({ pr: PR, headSha: SHA_B }));
    assert.deepEqual(runner.cancelled, ["run-1"]);
    const state = await stateOf(forge)();
    assert.deepEqual(
      [state?.handle?.id, state?.status.state],
      ["run-1", "cancelled"],
      "no follower: the push marks the report itself",
    );
    assert.match(state?.supersededBy ?? "", /new commits \(head bbbbbbb\)/);
  });

  it("an attached run is found, cancelled and marked superseded by a push in another process; its follower reports why", async () => {
    const forge = createFakeForge({ roles: { mai: "write" } });
    const reportState = stateOf(forge);
    const baseline = createMemoryBaselineStore();
    const runner = createScriptedRunner({ statuses: [{ state: "running", detail: "building" }] });
    const labeller = processOver(forge, baseline, runner);
    await unwrap(
      labeller.onComment({
        pr: PR,
        comment: { id: 1, body: "/experiment run max_df=0.3", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" },
      }),
    );
    const following = labeller.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT })();
    while ((await reportState())?.status.state !== "running") await new Promise((r) => setImmediate(r));
    assert.equal((await reportState())?.handle?.id, "run-1", "the running report names the run");

    await unwrap(processOver(forge, baseline, runner).onPush({ pr: PR, headSha: SHA_B }));
    assert.deepEqual(runner.cancelled, ["run-1"]);
    const out = await following;
    assert.ok(E.isRight(out) && out.right._tag === "Reported");
    assert.match(out.right.report.supersededBy ?? "", /new commits/);
    const state = await reportState();
    assert.deepEqual(
      [state?.handle?.id, state?.status.state, state?.params],
      ["run-1", "cancelled", { max_df: "0.3" }],
    );
    assert.match(state?.supersededBy ?? "", /new commits/);
  });

  it("a push job whose runner cannot reach the run (a local run in another job) still marks the report and succeeds", async () => {
    const forge = createFakeForge({ roles: { mai: "write" } });
    const reportState = stateOf(forge);
    const baseline = createMemoryBaselineStore();
    const runner = createScriptedRunner({ statuses: [{ state: "running", detail: "building" }] });
    const labeller = processOver(forge, baseline, runner);
    await unwrap(
      labeller.onComment({
        pr: PR,
        comment: { id: 1, body: "/experiment run", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" },
      }),
    );
    assert.equal(
      (await unwrap(labeller.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT }, { detach: true })))._tag,
      "Detached",
    );
    const elsewhere = { ...runner, runner: { ...runner.runner, cancel: () => TE.left(runNotFound("run-1")) } };
    await unwrap(processOver(forge, baseline, elsewhere).onPush({ pr: PR, headSha: SHA_B }));
    assert.deepEqual(runner.cancelled, []);
    assert.match((await reportState())?.supersededBy ?? "", /new commits/);
  });

  it("an unreadable runner answer during the cancel is an error, not 'not reachable' (errors by meaning)", async () => {
    const forge = createFakeForge({ roles: { mai: "write" } });
    const baseline = createMemoryBaselineStore();
    const runner = createScriptedRunner({ statuses: [{ state: "running", detail: "building" }] });
    const labeller = processOver(forge, baseline, runner);
    await unwrap(
      labeller.onComment({
        pr: PR,
        comment: { id: 1, body: "/experiment run", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" },
      }),
    );
    assert.equal(
      (await unwrap(labeller.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT }, { detach: true })))._tag,
      "Detached",
    );
    const garbled = {
      ...runner,
      runner: {
        ...runner.runner,
        cancel: () => TE.left(runnerInvalidResponse("codebuild", "StopBuild", "build.id: expected a string")),
      },
    };
    const err = await expectLeft(processOver(forge, baseline, garbled).onPush({ pr: PR, headSha: SHA_B }));
    assert.deepEqual(
      [err._tag, err["operation"], err["detail"]],
      ["RunnerInvalidResponse", "StopBuild", "build.id: expected a string"],
    );
  });

  it("a newer run started in another process keeps the report: the older run's follower does not overwrite it", async () => {
    const forge = createFakeForge({ roles: { mai: "write" } });
    const reportState = stateOf(forge);
    const baseline = createMemoryBaselineStore();
    const runner = createScriptedRunner({ statuses: [{ state: "running", detail: "building" }] });
    const first = processOver(forge, baseline, runner);
    await unwrap(
      first.onComment({
        pr: PR,
        comment: { id: 1, body: "/experiment run", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" },
      }),
    );
    const following = first.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT })();
    while ((await reportState())?.handle?.id !== "run-1") await new Promise((r) => setImmediate(r));

    const second = processOver(forge, baseline, runner);
    await unwrap(
      second.onComment({
        pr: PR,
        comment: { id: 2, body: "/experiment run max_df=0.2", author: MAINTAINER, createdAt: "2026-01-01T00:01:00Z" },
      }),
    );
    assert.equal(
      (await unwrap(second.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT }, { detach: true })))._tag,
      "Detached",
    );
    assert.deepEqual(
      runner.cancelled,
      ["run-1"],
      "the second process found the first run through the report and cancelled it",
    );

    const out = await following;
    assert.ok(E.isRight(out) && out.right._tag === "Reported" && out.right.report.status.state === "cancelled");
    const state = await reportState();
    assert.deepEqual(
      [state?.handle?.id, state?.status.state],
      ["run-2", "running"],
      "the living report still shows the newer run",
    );
  });

  it("a corrupt, foreign or misplaced result line is no result", async () => {
    const forge = createFakeForge();
    const ledger = createForgeRunLedger(forge.forge);
    const marker = reportMarker(KEY);
    const HANDLE_KEPT = {
      runner: "fake",
      id: "run-7",
      runKey: KEY,
      pinnedSha: SHA_A,
      startedAt: "2026-01-01T00:00:00Z",
    };
    // Base64url of "not json".
    await unwrap(forge.forge.upsertComment(PR, marker, `${marker}\n<!-- ml-chatops:result bm90IGpzb24 -->`));
    assert.ok(O.isNone(await unwrap(ledger.latest(KEY))));
    // Valid JSON ("{}"), not a kept result.
    await unwrap(forge.forge.upsertComment(PR, marker, `${marker}\n<!-- ml-chatops:result e30 -->`));
    assert.ok(O.isNone(await unwrap(ledger.latest(KEY))));
    // A result line below the rendered part (a quoted one, say) is not in the head.
    const kept = resultPayload({ result: { metrics: { accuracy: 0.9 } }, sha: SHA_A, handle: HANDLE_KEPT, params: {} });
    await unwrap(forge.forge.upsertComment(PR, marker, `${marker}\n### report\n<!-- ml-chatops:result ${kept} -->`));
    assert.ok(O.isNone(await unwrap(ledger.latest(KEY))));
    await unwrap(forge.forge.upsertComment(PR, marker, `${marker}\n<!-- ml-chatops:result ${kept} -->\n### report`));
    assert.deepEqual(O.toUndefined(await unwrap(ledger.latest(KEY)))?.handle, HANDLE_KEPT);
  });

  it("check 64: a result too large for the living comment is refused, not truncated", async () => {
    const forge = createFakeForge();
    const ledger = createForgeRunLedger(forge.forge);
    const huge = {
      rankings: {
        keywords: Object.fromEntries(
          Array.from({ length: 3000 }, (_, i) => [`doc-${i}`, [{ term: `term-${i}`, score: 0.5 }]]),
        ),
      },
    };
    const handle = { runner: "fake", id: "run-9", runKey: KEY, pinnedSha: SHA_A, startedAt: "t" };
    const r = await ledger.saveLatest(KEY, { result: huge, sha: SHA_A, handle })();
    assert.ok(E.isLeft(r));
    assert.equal(E.isLeft(r) ? r.left._tag : "", "StoreConflict");
    assert.match(
      E.isLeft(r) && r.left._tag === "StoreConflict" ? r.left.detail : "",
      /^the result needs \d+ characters, above the 45000 it may take$/,
    );
    assert.ok(!forge.ops().includes("upsertComment"));
  });
});
