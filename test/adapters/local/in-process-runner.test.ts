import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { createInProcessRunner } from "../../../src/adapters/local/index.js";
import { experimentFailed } from "../../../src/core/errors.js";
import type { ExperimentResult } from "../../../src/core/result.js";
import { allLogs, requestFor, waitTerminal } from "./fixtures.js";
import { assertLeft } from "../../support/assert-error.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const OUTPUT: ExperimentResult = {
  metrics: { accuracy: 0.9 },
  rankings: { keywords: { a: [{ term: "tfidf", score: 0.5 }] } },
};

describe("in-process runner", () => {
  it("goes running -> succeeded and returns the result with logs and timings", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[] = [];
    const runner = createInProcessRunner(
      { onLog: (l) => seen.push(l) },
      {
        run:
          (req, { log }) =>
          async () => {
            log(`max_df=${req.params["max_df"] ?? ""}`);
            await gate;
            return E.right(OUTPUT);
          },
      },
    );
    assert.equal(runner.kind, "local");
    const h = await runner.start(requestFor(SHA, { max_df: "0.4" }))();
    assert.ok(E.isRight(h));
    await new Promise((resolve) => setImmediate(resolve));
    const second = await runner.status(h.right)();
    assert.ok(E.isRight(second) && second.right.state === "running");
    release();
    const status = await waitTerminal(runner, h.right);
    assert.deepEqual([status.state, status.detail], ["succeeded", "returned a result (1 metric, 1 document)"]);
    const result = await runner.result(h.right)();
    assert.ok(E.isRight(result));
    assert.deepEqual(result.right.output, OUTPUT);
    assert.deepEqual(result.right.logTail, ["max_df=0.4"]);
    assert.deepEqual(seen, ["max_df=0.4"]);
  });

  it("an experiment error is `failed`, a throw is `errored`; neither has a result", async () => {
    const failing = createInProcessRunner(
      {},
      { run: () => TE.left(experimentFailed("corpus line 3: bad JSON", null)) },
    );
    const h1 = await failing.start(requestFor(SHA, {}))();
    assert.ok(E.isRight(h1));
    const s1 = await waitTerminal(failing, h1.right);
    assert.deepEqual([s1.state, s1.detail], ["failed", "experiment failed: corpus line 3: bad JSON"]);
    assert.ok(E.isLeft(await failing.result(h1.right)()));

    const throwing = createInProcessRunner({}, { run: () => () => Promise.reject(new Error("out of memory")) });
    const h2 = await throwing.start(requestFor(SHA, {}))();
    assert.ok(E.isRight(h2));
    const s2 = await waitTerminal(throwing, h2.right);
    assert.equal(s2.state, "errored");
    assert.match(s2.detail, /out of memory/);
  });

  it("an in-process result is decoded like any other: a non-finite metric fails the run, naming the path (check 81)", async () => {
    const runner = createInProcessRunner({}, { run: () => TE.right({ metrics: { loss: Number.POSITIVE_INFINITY } }) });
    const h = await runner.start(requestFor(SHA, {}))();
    assert.ok(E.isRight(h));
    const status = await waitTerminal(runner, h.right);
    assert.deepEqual(
      [status.state, status.detail],
      ["failed", "the experiment returned an invalid result: metrics.loss: expected a finite number, got Infinity"],
    );
    const result = await runner.result(h.right)();
    assertLeft(
      result,
      "ResultInvalid",
      /has no result: it is failed \(the experiment returned an invalid result: metrics\.loss: expected a finite number, got Infinity\)$/,
    );
  });

  it("cancel aborts the signal and ends the run once, as cancelled", async () => {
    let aborted = false;
    const runner = createInProcessRunner(
      {},
      {
        kind: "demo",
        run:
          (_req, { signal, log }) =>
          () =>
            new Promise((resolve) => {
              log("working");
              signal.addEventListener("abort", () => {
                aborted = true;
                resolve(E.right(OUTPUT)); // a late result must not turn the run into a success
              });
            }),
      },
    );
    const h = await runner.start(requestFor(SHA, {}))();
    assert.ok(E.isRight(h));
    assert.equal(h.right.runner, "demo");
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(E.isRight(await runner.cancel(h.right)()));
    const status = await waitTerminal(runner, h.right);
    assert.equal(status.state, "cancelled");
    assert.ok(aborted);
    assert.deepEqual(await allLogs(runner, h.right), ["working"]);
    assert.ok(E.isLeft(await runner.result(h.right)()));
  });

  it("a deadline ends a run that never finishes as errored", async () => {
    const runner = createInProcessRunner({}, { timeoutMs: 50, run: () => () => new Promise(() => undefined) });
    const h = await runner.start(requestFor(SHA, {}))();
    assert.ok(E.isRight(h));
    const status = await waitTerminal(runner, h.right);
    assert.deepEqual([status.state, status.detail], ["errored", "deadline exceeded after 50 ms"]);
  });

  it("rejects a bad config at construction", () => {
    assert.throws(
      () => createInProcessRunner({}, { run: () => TE.right(OUTPUT), timeoutMs: -1 }),
      /timeoutMs must be a positive integer/,
    );
  });
});
