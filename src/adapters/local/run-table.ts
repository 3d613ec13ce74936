/**
 * The bookkeeping both local runners share: run records, status transitions (each run ends
 * exactly once), logs, results and the read side of the Runner port.
 */
import { randomUUID } from "node:crypto";
import * as TE from "fp-ts/TaskEither";
import { resultInvalid, runNotFound } from "../../core/errors.js";
import type { RunnerError } from "../../core/errors.js";
import { isTerminal } from "../../core/model.js";
import type { Artifacts, RunHandle, RunRequest, RunResult, RunState, RunStatus } from "../../core/model.js";
import type { ExperimentResult } from "../../core/result.js";
import type { Clock, LogPage } from "../../core/ports.js";
import { createLogBuffer } from "./log-buffer.js";
import type { LogBuffer, LogLimits } from "./log-buffer.js";

/** @internal */
export type RunRecord = {
  readonly handle: RunHandle;
  readonly log: LogBuffer;
  readonly startedAt: Date;
  state: RunState;
  detail: string;
  phase: string | undefined;
  output: ExperimentResult | undefined;
  finishedAt: Date | undefined;
  /** Where the run's files were kept (`keepArtifactsIn`); absent when nothing is kept. */
  kept?: Artifacts | undefined;
  /** Asks the run to stop; resolves once it has stopped. */
  stop: (why: "cancelled" | "deadline") => Promise<void>;
  /** Resolves when the run reached a terminal state. */
  readonly done: Promise<void>;
};

/** @internal */
export type RunTable = {
  readonly create: (req: RunRequest) => RunRecord;
  /** Moves a run to a terminal state; later calls are ignored (exactly one ending per run). */
  readonly finish: (r: RunRecord, state: RunState, detail: string, output?: ExperimentResult) => void;
  readonly setState: (r: RunRecord, state: "queued" | "running", detail: string, phase?: string) => void;
  readonly status: (h: RunHandle) => TE.TaskEither<RunnerError, RunStatus>;
  readonly logs: (h: RunHandle, cursor: string | undefined) => TE.TaskEither<RunnerError, LogPage>;
  readonly result: (h: RunHandle) => TE.TaskEither<RunnerError, RunResult>;
  readonly cancel: (h: RunHandle) => TE.TaskEither<RunnerError, void>;
  readonly get: (h: RunHandle) => RunRecord | undefined;
};

/**
 * The real clock, used when none is injected.
 *
 * @internal
 * @example
 * systemClock.now().toISOString();
 */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => () => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Creates an empty run table for runner `kind`.
 *
 * @internal
 * @example
 * const table = createRunTable("local", systemClock, { maxLines: 200, maxBytes: 65536, maxLineChars: 4096 });
 */
export const createRunTable = (kind: string, clock: Clock, limits: LogLimits): RunTable => {
  const runs = new Map<string, RunRecord>();
  const ended = new Map<string, () => void>();

  const create = (req: RunRequest): RunRecord => {
    const startedAt = clock.now();
    const id = `${kind}-${randomUUID()}`;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const record: RunRecord = {
      handle: { runner: kind, id, runKey: req.runKey, pinnedSha: req.pinnedSha, startedAt: startedAt.toISOString() },
      log: createLogBuffer(limits),
      startedAt,
      state: "queued",
      detail: "queued",
      phase: undefined,
      output: undefined,
      finishedAt: undefined,
      stop: () => done,
      done,
    };
    runs.set(id, record);
    ended.set(id, resolveDone);
    return record;
  };

  const finish = (r: RunRecord, state: RunState, detail: string, output?: ExperimentResult): void => {
    if (isTerminal(r.state)) return;
    r.state = state;
    r.detail = detail;
    r.phase = undefined;
    r.output = output;
    r.finishedAt = clock.now();
    ended.get(r.handle.id)?.();
  };

  const setState = (r: RunRecord, state: "queued" | "running", detail: string, phase?: string): void => {
    if (isTerminal(r.state)) return;
    r.state = state;
    r.detail = detail;
    r.phase = phase;
  };

  const get = (h: RunHandle): RunRecord | undefined => {
    const r = runs.get(h.id);
    return r !== undefined && r.handle.runner === h.runner ? r : undefined;
  };
  const withRun = <A>(
    h: RunHandle,
    f: (r: RunRecord) => TE.TaskEither<RunnerError, A>,
  ): TE.TaskEither<RunnerError, A> => {
    const r = get(h);
    return r === undefined ? TE.left(runNotFound(h.id)) : f(r);
  };

  const toStatus = (r: RunRecord): RunStatus =>
    r.phase === undefined ? { state: r.state, detail: r.detail } : { state: r.state, detail: r.detail, phase: r.phase };

  const toResult = (r: RunRecord): TE.TaskEither<RunnerError, RunResult> => {
    if (r.state !== "succeeded" || r.output === undefined) {
      return TE.left(resultInvalid(`run ${r.handle.id} has no result: it is ${r.state} (${r.detail})`));
    }
    const finishedAt = r.finishedAt ?? r.startedAt;
    return TE.right({
      output: r.output,
      logTail: r.log.tail(),
      timings: {
        startedAt: r.startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - r.startedAt.getTime(),
      },
      // The checkout (and any image the experiment wrote) is removed when the run ends.
      artifacts: r.kept ?? {
        note: "the local runner removes the checkout after the run and keeps no artifacts (set keepArtifactsIn to keep them)",
      },
    });
  };

  return {
    create,
    finish,
    setState,
    get,
    status: (h) => withRun(h, (r) => TE.right(toStatus(r))),
    logs: (h, cursor) => withRun(h, (r) => TE.right(r.log.page(cursor))),
    result: (h) => withRun(h, toResult),
    cancel: (h) =>
      withRun(h, (r) => (isTerminal(r.state) ? TE.right(undefined) : TE.fromTask(() => r.stop("cancelled")))),
  };
};
