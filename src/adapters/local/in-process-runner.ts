/**
 * A Runner that calls a function in this process instead of spawning one: for tests, the demo
 * and library users who embed the experiment. Same states, logs, cancel and deadline as the
 * process runner; it does not check out code, so it runs whatever is already loaded.
 */
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { describeCause } from "../../core/errors.js";
import type { ExperimentError } from "../../core/errors.js";
import type { RunRequest } from "../../core/model.js";
import { decodeExperimentResult, type ExperimentResult } from "../../core/result.js";
import { summarizeResult } from "./experiment-invocation.js";
import type { Clock, Logger, Runner } from "../../core/ports.js";
import { createRunTable, systemClock } from "./run-table.js";
import type { RunRecord } from "./run-table.js";

/**
 * What the in-process experiment function gets besides the request.
 *
 * @example
 * const run = (req: RunRequest, { signal, log }: InProcessRunContext) => { log("start"); return TE.right(result); };
 */
export type InProcessRunContext = {
  /** Aborted when the run is cancelled or its deadline passes. */
  readonly signal: AbortSignal;
  /** Appends a line to the run's log. */
  readonly log: (line: string) => void;
};

/**
 * Settings of {@link createInProcessRunner}.
 *
 * @example
 * const config: InProcessRunnerConfig = { run: () => TE.right({ metrics: { accuracy: 0.95 } }), timeoutMs: 60_000 };
 */
export type InProcessRunnerConfig = {
  readonly run: (req: RunRequest, ctx: InProcessRunContext) => TE.TaskEither<ExperimentError, ExperimentResult>;
  /** The runner kind reported in handles and reports. Default `local`. */
  readonly kind?: string | undefined;
  /** Per-run deadline in milliseconds. Default: none. */
  readonly timeoutMs?: number | undefined;
  /** Log tail kept per run. Default 200 lines. */
  readonly logTailLines?: number | undefined;
};

/**
 * What {@link createInProcessRunner} is given.
 *
 * @example
 * const deps: InProcessRunnerDeps = { onLog: (line) => process.stderr.write(`${line}\n`) };
 */
export type InProcessRunnerDeps = {
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** Also receives every log line (e.g. to echo progress on a terminal). */
  readonly onLog?: ((line: string) => void) | undefined;
};

/**
 * Creates a Runner around an in-process experiment function.
 *
 * @example
 * const runner = createInProcessRunner({}, {
 *   run: (req, { log }) => { log(`params ${JSON.stringify(req.params)}`); return TE.right({ metrics: { accuracy: 0.95 } }); },
 * });
 */
export const createInProcessRunner = (deps: InProcessRunnerDeps, config: InProcessRunnerConfig): Runner => {
  if (typeof config.run !== "function") throw new Error("createInProcessRunner: config.run must be a function");
  if (config.timeoutMs !== undefined && !(Number.isInteger(config.timeoutMs) && config.timeoutMs > 0)) {
    throw new Error(`createInProcessRunner: timeoutMs must be a positive integer, got ${String(config.timeoutMs)}`);
  }
  const kind = config.kind ?? "local";
  const table = createRunTable(kind, deps.clock ?? systemClock, {
    maxLines: config.logTailLines ?? 200,
    maxBytes: 64 * 1024,
    maxLineChars: 4096,
  });

  const execute = async (record: RunRecord, req: RunRequest): Promise<void> => {
    const controller = new AbortController();
    const log = (line: string): void => {
      for (const l of line.split("\n")) {
        record.log.push(l);
        deps.onLog?.(l);
      }
    };
    record.stop = async (why) => {
      controller.abort(why);
      table.finish(
        record,
        why === "cancelled" ? "cancelled" : "errored",
        why === "cancelled" ? "cancelled" : `deadline exceeded after ${String(config.timeoutMs)} ms`,
      );
      await record.done;
    };
    const deadline =
      config.timeoutMs === undefined ? undefined : setTimeout(() => void record.stop("deadline"), config.timeoutMs);
    deadline?.unref();
    // Let start() return the handle before the experiment's synchronous part runs.
    await Promise.resolve();
    if (controller.signal.aborted) return;
    table.setState(record, "running", `running ${req.experimentId}`, "experiment");
    const outcome = await TE.tryCatch(
      () => config.run(req, { signal: controller.signal, log })(),
      (cause) => cause,
    )();
    if (deadline !== undefined) clearTimeout(deadline);
    if (E.isLeft(outcome)) {
      table.finish(record, "errored", `infrastructure: the experiment threw: ${describeCause(outcome.left)}`);
    } else if (E.isLeft(outcome.right)) {
      const e = outcome.right.left;
      table.finish(
        record,
        "failed",
        e._tag === "InvalidParams" ? `invalid parameters: ${e.detail}` : `experiment failed: ${e.detail}`,
      );
    } else {
      // The same contract as every runner: even an in-process function's output is decoded.
      const decoded = decodeExperimentResult(outcome.right.right);
      if (E.isLeft(decoded))
        table.finish(record, "failed", `the experiment returned an invalid result: ${decoded.left}`);
      else table.finish(record, "succeeded", `returned a result (${summarizeResult(decoded.right)})`, decoded.right);
    }
  };

  return {
    kind,
    start: (req) => {
      const record = table.create(req);
      void execute(record, req);
      return TE.right(record.handle);
    },
    status: table.status,
    logs: table.logs,
    result: table.result,
    cancel: table.cancel,
  };
};
