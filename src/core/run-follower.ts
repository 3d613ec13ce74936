/**
 * Follows a started run to its end under a deadline and turns whatever happened into exactly
 * one final report: success, experiment failure, infrastructure error, cancellation, timeout.
 */
import * as O from "fp-ts/Option";
import * as T from "fp-ts/Task";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { diffResults } from "./diff-result.js";
import { describeError, type ForgeError, type PipelineError, type RunnerError } from "./errors.js";
import { isTerminal, toRunKey } from "./model.js";
import type { Report, RunHandle, RunResult, RunStatus } from "./model.js";
import type { BaselineStore, Clock, Experiment, Logger, Reporter, Runner, RunLedger } from "./ports.js";
import { sandboxNoteFor } from "./sandbox-note.js";
import { runReport, type FollowContext, type FollowOptions } from "./ledger/run-report.js";
import { newerRunThan } from "./ledger/current-run.js";

const withSandboxNote = (note: string | undefined): { readonly sandboxNote?: string } =>
  note === undefined ? {} : { sandboxNote: note };

/** Ports and settings the follower uses. @internal */
export type FollowerDeps = {
  readonly runner: Runner;
  /** Declared experiments: their metric goals and primary metric decide the verdicts. */
  readonly experiments?: ReadonlyArray<Experiment> | undefined;
  readonly baseline: BaselineStore;
  readonly ledger: RunLedger;
  readonly reporter: Reporter;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly deadlineMs: number;
  readonly pollIntervalMs: number;
  readonly logTailLines: number;
  /** When a still-going run gets its `announce` report (see `PipelineConfig`). Default 0. */
  readonly runningReportAfterMs?: number | undefined;
};

// A status call may fail transiently (network, throttling); this many failures in a row end the run.
const MAX_STATUS_FAILURES = 5;

type Outcome = { readonly status: RunStatus; readonly tail: ReadonlyArray<string> };

/** Builds the `follow` function of a pipeline. @internal */
export const createRunFollower = (d: FollowerDeps) => {
  const keepTail = (tail: ReadonlyArray<string>, lines: ReadonlyArray<string>): ReadonlyArray<string> =>
    [...tail, ...lines].slice(-d.logTailLines);

  /** Reads new log lines; log trouble never fails the run, it is only logged. */
  const pullLogs = (h: RunHandle, cursor: string | undefined, tail: ReadonlyArray<string>) =>
    pipe(
      d.runner.logs(h, cursor),
      TE.match(
        (e) => {
          d.logger.debug("log read failed", { run: h.id, error: describeError(e) });
          return { cursor, tail };
        },
        (page) => {
          for (const line of page.lines) d.logger.info(line, { run: h.id });
          return { cursor: page.next ?? cursor, tail: keepTail(tail, page.lines) };
        },
      ),
    );

  /** Publishes the "running" report; a failure only costs the early view, so it is logged. */
  const announceRun = (h: RunHandle, report: Report): T.Task<void> =>
    TE.getOrElse((e: ForgeError) =>
      T.fromIO(() => d.logger.warn("running report not published", { run: h.id, error: describeError(e) })),
    )(
      pipe(
        d.reporter.publish(report),
        TE.map(() => undefined),
      ),
    );

  const poll = (h: RunHandle, startedMs: number, announce: Report | undefined) => {
    let announced = announce === undefined;
    const loop = (cursor: string | undefined, tail: ReadonlyArray<string>, failures: number): T.Task<Outcome> =>
      pipe(
        pullLogs(h, cursor, tail),
        T.flatMap((logs) =>
          pipe(
            d.runner.status(h),
            T.flatMap((r): T.Task<Outcome> => {
              if (r._tag === "Right" && isTerminal(r.right.state)) {
                // One last read so the tail holds the final lines.
                return pipe(
                  pullLogs(h, logs.cursor, logs.tail),
                  T.map((last) => ({ status: r.right, tail: last.tail })),
                );
              }
              const nextFailures = r._tag === "Left" ? failures + 1 : 0;
              if (r._tag === "Left" && nextFailures >= MAX_STATUS_FAILURES) {
                return T.of({ status: errored(`lost track of the run: ${describeError(r.left)}`), tail: logs.tail });
              }
              const elapsed = d.clock.now().getTime() - startedMs;
              if (elapsed >= d.deadlineMs) return timeOut(h, logs.tail);
              // Inside the loop, so it always lands before the final report.
              const early =
                !announced && announce !== undefined && elapsed >= (d.runningReportAfterMs ?? 0)
                  ? ((announced = true), announceRun(h, announce))
                  : T.of(undefined);
              return pipe(
                early,
                T.flatMap(() => d.clock.sleep(d.pollIntervalMs)),
                T.flatMap(() => loop(logs.cursor, logs.tail, nextFailures)),
              );
            }),
          ),
        ),
      );
    return loop(undefined, [], 0);
  };

  const timeOut = (h: RunHandle, tail: ReadonlyArray<string>): T.Task<Outcome> =>
    pipe(
      d.runner.cancel(h),
      T.map(() => ({
        status: errored(`deadline exceeded after ${Math.round(d.deadlineMs / 1000)} s; run cancelled`),
        tail,
      })),
    );

  const baseReport = (h: RunHandle, ctx: FollowContext, status: RunStatus, tail: ReadonlyArray<string>): Report => ({
    ...runReport(h, ctx, status, tail),
    ...withSandboxNote(
      sandboxNoteFor(
        (d.experiments ?? []).find((x) => x.id === ctx.experimentId),
        h.runner,
      ),
    ),
  });

  /** Adds the result and the diff against the baseline to a succeeded run's report. */
  const withResult = (report: Report, h: RunHandle, result: RunResult): T.Task<Report> => {
    const experiment = (d.experiments ?? []).find((x) => x.id === report.experimentId);
    const compare = { goals: experiment?.metrics ?? {}, primary: experiment?.primary, params: report.params };
    return pipe(
      d.baseline.load(report.experimentId, report.pr),
      T.map((loaded): Report => {
        const withOutput: Report = {
          ...report,
          result: result.output,
          logTail: result.logTail.length > 0 ? result.logTail.slice(-d.logTailLines) : report.logTail,
          durationMs: result.timings.durationMs,
          ...(result.artifacts === undefined ? {} : { artifacts: result.artifacts }),
        };
        const alone = { ...withOutput, diff: diffResults(result.output, undefined, compare) };
        if (loaded._tag === "Left")
          return { ...alone, baselineNote: `baseline unavailable: ${describeError(loaded.left)}` };
        if (O.isNone(loaded.right)) return { ...alone, baselineNote: "no baseline yet: promote a result to set one" };
        const best = loaded.right.value;
        return {
          ...withOutput,
          diff: diffResults(result.output, best.result, compare),
          baselineResult: best.result,
          ...(best.meta === undefined ? {} : { baselineMeta: best.meta }),
        };
      }),
      T.tap(() =>
        pipe(
          supersession(h),
          T.flatMap(
            O.match(
              () =>
                pipe(
                  d.ledger.saveLatest(toRunKey(report.pr, report.experimentId), {
                    result: result.output,
                    sha: h.pinnedSha,
                    handle: h,
                    params: report.params,
                  }),
                  TE.orElse((e) =>
                    TE.fromIO<void, never>(() =>
                      d.logger.warn("latest result not kept; promote will not find it", { error: describeError(e) }),
                    ),
                  ),
                ),
              (by) =>
                TE.fromIO<void, never>(() =>
                  d.logger.info("superseded run: its result is not kept for promote", { run: h.id, by }),
                ),
            ),
          ),
        ),
      ),
    );
  };

  /**
   * Whether `h` was marked superseded, read afresh (SECURITY-CHECKLIST 85): a push handled in
   * another process marks the run's report but may not reach the run to cancel it, so the run
   * can still finish "succeeded" at the old head. Read right before keeping or publishing.
   */
  const supersession = (h: RunHandle): T.Task<O.Option<string>> =>
    pipe(
      d.ledger.supersededBy(h),
      T.map((r) => {
        if (r._tag === "Right") return r.right;
        d.logger.warn("could not read whether the run was superseded", { run: h.id, error: describeError(r.left) });
        return O.none;
      }),
    );

  /** Completes a terminal outcome into the final report. */
  const finalize = (h: RunHandle, ctx: FollowContext, outcome: Outcome): T.Task<Report> => {
    const report = baseReport(h, ctx, outcome.status, outcome.tail);
    switch (outcome.status.state) {
      case "succeeded":
        return pipe(
          d.runner.result(h),
          T.flatMap((r) =>
            r._tag === "Right" ? withResult(report, h, r.right) : T.of({ ...report, status: resultFailure(r.left) }),
          ),
        );
      case "cancelled":
        return pipe(
          d.ledger.supersededBy(h),
          T.map((by) =>
            by._tag === "Right" && O.isSome(by.right) ? { ...report, supersededBy: by.right.value } : report,
          ),
        );
      default:
        return T.of(report);
    }
  };

  const newerRun = newerRunThan(d.ledger);

  /**
   * Follows `h` to the end and publishes its one final report.
   *
   * @example
   * const report = await follow(handle, { pr, experimentId: "tfidf-keywords", params: {} })();
   */
  return (h: RunHandle, ctx: FollowContext, opts?: FollowOptions): TE.TaskEither<PipelineError, Report> =>
    pipe(
      poll(h, d.clock.now().getTime(), opts?.announce),
      T.flatMap((outcome) => finalize(h, ctx, outcome)),
      T.tap(() =>
        pipe(
          d.ledger.clearActive(h.runKey, h.id),
          // The run is over either way; a stale active entry only costs a later push a cancel of a finished run.
          TE.tapError((e) =>
            TE.fromIO(() => d.logger.warn("active run not cleared", { run: h.id, error: describeError(e) })),
          ),
        ),
      ),
      T.flatMap((finished) =>
        pipe(
          supersession(h),
          // Superseded: the report says so, whatever the run did at the old head (no result, no diff).
          T.map((by): Report =>
            O.isNone(by)
              ? finished
              : {
                  ...baseReport(
                    h,
                    ctx,
                    { state: "cancelled", detail: `cancelled: superseded by ${by.value}` },
                    finished.logTail,
                  ),
                  supersededBy: by.value,
                },
          ),
        ),
      ),
      T.flatMap((report) =>
        pipe(
          newerRun(h),
          T.flatMap(
            O.match(
              () =>
                pipe(
                  d.reporter.publish(report),
                  TE.map(() => report),
                  TE.tapError((e) =>
                    TE.fromIO(() => d.logger.error("report not published", { run: h.id, error: describeError(e) })),
                  ),
                ),
              (newer) =>
                TE.fromIO(() => {
                  d.logger.info("a newer run owns the report; this run's final report is not published", {
                    run: h.id,
                    newer: newer.id,
                  });
                  return report;
                }),
            ),
          ),
        ),
      ),
    );
};

const errored = (detail: string): RunStatus => ({ state: "errored", detail });

const resultFailure = (e: RunnerError): RunStatus => ({
  state: "failed",
  detail: `no usable result: ${describeError(e)}`,
});
