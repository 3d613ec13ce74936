/**
 * The pipeline wired to one runner under test, over the plain-object fakes of core-fakes: the
 * arrangement every "pipeline × runner" test shares, plus the events and the Right-or-fail unwrap.
 */
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { createPipeline, type CommentEvent, type LabelEvent } from "../../src/core/pipeline.js";
import {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
} from "../../src/adapters/memory/index.js";
import type { Clock, Runner } from "../../src/core/ports.js";
import { BOT, MAINTAINER, PR, createFakeForge, createRecordingReporter, fakeExperiment } from "./core-fakes.js";

/** Runs a TaskEither and returns its Right, failing the test on a Left. */
export const expectRight = async <A>(te: () => Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await te();
  if (E.isLeft(r)) assert.fail(`expected Right, got ${JSON.stringify(r.left)}`);
  return r.right;
};

/** The bot's own label on PR, the signal that starts an approved run. */
export const botLabel: LabelEvent = { pr: PR, label: "ml-chatops:run", sender: BOT };

/** Comments by the maintainer on PR, each with a new id. */
export const maintainerComments = () => {
  let id = 1;
  return (body: string): CommentEvent => ({
    pr: PR,
    comment: { id: id++, body, author: MAINTAINER, createdAt: "2026-01-01T00:00:00Z" },
  });
};

/** A pipeline over `runner`, a maintainer on PR, in-memory stores and a recording reporter. */
export const createRunnerPipeline = (runner: Runner, clock: Clock) => {
  const forge = createFakeForge({ roles: { mai: "maintain" } });
  const { reporter, finals } = createRecordingReporter();
  const pipeline = createPipeline(
    {
      forge: forge.forge,
      runner,
      experiments: [fakeExperiment],
      baseline: createMemoryBaselineStore(),
      approvals: createMemoryApprovalStore(),
      ledger: createMemoryRunLedger(),
      reporter,
      clock,
    },
    { botActorId: BOT.id, pollIntervalMs: 1000, deadlineMs: 600_000 },
  );
  return { pipeline, finals, forge };
};

/** Runs a TaskEither and returns its Left (a tagged error), failing the test on a Right. */
export const expectLeft = async (
  te: () => Promise<E.Either<unknown, unknown>>,
): Promise<{ _tag: string } & Record<string, unknown>> => {
  const r = await te();
  if (E.isRight(r)) assert.fail(`expected Left, got ${JSON.stringify(r.right)}`);
  return r.left as { _tag: string } & Record<string, unknown>;
};
