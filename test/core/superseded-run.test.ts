// Check 85: a stale run never speaks for the current head. Approve at A and start the run
// attached in one process; a push to B is handled in another process that shares only the forge
// and cannot reach the run (a local run in another job). When the old run then finishes
// "succeeded", its follower must publish nothing over the superseded report and keep no result
// that `promote` could pick.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { runNotFound } from "../../src/core/errors.js";
import { createForgeRunLedger } from "../../src/core/ledger/forge-ledger.js";
import { createMemoryApprovalStore, createMemoryBaselineStore } from "../../src/adapters/memory/index.js";
import { toRunKey, type RunStatus } from "../../src/core/model.js";
import { createPipeline } from "../../src/core/pipeline.js";
import type { Logger, Runner } from "../../src/core/ports.js";
import { createCommentReporter } from "../../src/core/ledger/report-comment.js";
import { readReportState, reportMarker } from "../../src/core/ledger/markers.js";
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
import { expectRight } from "../support/pipeline-harness.js";

const KEY = toRunKey(PR, "tfidf-keywords");

const recordingLogger = () => {
  const lines: string[] = [];
  const at = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) =>
    void lines.push(`${level}: ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: () => undefined, info: at("info"), warn: at("warn"), error: at("error") };
  return { logger, lines };
};

const processOver = (forge: ReturnType<typeof createFakeForge>, runner: Runner, logger: Logger) =>
  createPipeline(
    {
      forge: forge.forge,
      runner,
      experiments: [fakeExperiment],
      baseline: createMemoryBaselineStore(),
      approvals: createMemoryApprovalStore(),
      ledger: createForgeRunLedger(forge.forge),
      reporter: createCommentReporter(forge.forge),
      clock: createFakeClock().clock,
      logger,
    },
    { botActorId: BOT.id, pollIntervalMs: 1000 },
  );

describe("check 85: a run superseded by a push in another process", () => {
  it("finishes without publishing over the superseded report or keeping a result for promote", async () => {
    const forge = createFakeForge({ roles: { mai: "write" } });
    const scripted = createScriptedRunner({
      statuses: [{ state: "running", detail: "building" }],
      output: result(["stale", "words"]),
    });
    let finished = false;
    const running: RunStatus = { state: "running", detail: "building" };
    // The labelling job's own runner: the run goes on until the test lets it succeed.
    const local: Runner = {
      ...scripted.runner,
      status: () => (finished ? TE.right({ state: "succeeded", detail: "done" }) : TE.right(running)),
    };
    // The push job's runner cannot reach a run that lives in another job.
    const elsewhere: Runner = { ...scripted.runner, cancel: (h) => TE.left(runNotFound(h.id)) };
    const labelJob = recordingLogger();
    const pushJob = recordingLogger();
    const reportState = async () =>
      O.toUndefined(
        O.flatMap(readReportState)(expectRightSync(await forge.forge.findComment(PR, reportMarker(KEY))())),
      );

    const labeller = processOver(forge, local, labelJob.logger);
    await expectRight(
      labeller.onComment({
        pr: PR,
        comment: { id: 1, body: "/experiment run", author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" },
      }),
    );
    const following = labeller.onLabel({ pr: PR, label: "ml-chatops:run", sender: BOT })();
    while ((await reportState())?.status.state !== "running") await new Promise((r) => setImmediate(r));
    assert.equal((await reportState())?.pinnedSha, SHA_A);

    await expectRight(processOver(forge, elsewhere, pushJob.logger).onPush({ pr: PR, headSha: SHA_B }));
    assert.ok(
      pushJob.lines.some((l) =>
        /^warn: superseded run not reachable from here; not cancelled \{"run":"run-1"\}$/.test(l),
      ),
      pushJob.lines.join("\n"),
    );
    assert.equal(
      (await reportState())?.status.state,
      "cancelled",
      "the push marks the report stale although it could not cancel",
    );

    finished = true;
    const out = await following;
    assert.ok(E.isRight(out) && out.right._tag === "Reported", JSON.stringify(out));
    assert.equal(out.right.report.supersededBy, "new commits (head bbbbbbb)");
    assert.equal(out.right.report.status.state, "cancelled");
    assert.equal(out.right.report.result, undefined);

    const state = await reportState();
    assert.deepEqual(
      [state?.handle?.id, state?.status.state, state?.supersededBy],
      ["run-1", "cancelled", "new commits (head bbbbbbb)"],
    );
    const body = expectRightSync(await forge.forge.findComment(PR, reportMarker(KEY))());
    assert.doesNotMatch(
      (O.toUndefined(body) ?? "").replace(/<!-- ml-chatops:state \S+ -->/, ""),
      /\bstale\b|succeeded/i,
      "the report never says the old head succeeded",
    );
    // No result for promote: neither as the living comment's result line nor in a later process's ledger.
    assert.doesNotMatch(O.toUndefined(body) ?? "", /<!-- ml-chatops:result /);
    assert.ok(O.isNone(await expectRight(createForgeRunLedger(forge.forge).latest(KEY))));
    assert.ok(
      labelJob.lines.some((l) => l.startsWith("info: superseded run: its result is not kept for promote")),
      labelJob.lines.join("\n"),
    );

    // promote in a later process finds nothing to promote.
    const later = processOver(forge, scripted.runner, recordingLogger().logger);
    const promoted = await expectRight(
      later.onComment({
        pr: PR,
        comment: { id: 3, body: "/experiment promote", author: MAINTAINER, createdAt: "2026-01-01T00:02:00Z" },
      }),
    );
    assert.deepEqual(promoted, { _tag: "Handled", command: "promote" });
    assert.match(forge.replies().at(-1) ?? "", /There is no finished result on this pull request to promote yet/);
  });
});

function expectRightSync<A>(e: E.Either<unknown, A>): A {
  if (E.isLeft(e)) throw new Error(`expected Right, got Left ${JSON.stringify(e.left)}`);
  return e.right;
}
