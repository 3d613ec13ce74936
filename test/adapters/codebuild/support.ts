/**
 * Shared setup for the CodeBuild runner tests: the emulator, the real SDK clients, a virtual
 * clock (no real sleeps), and the core's own run follower to drive runs end to end.
 */
import * as TE from "fp-ts/TaskEither";
import { createCodeBuildRunner } from "../../../src/adapters/codebuild/index.js";
import type { CodeBuildRunner } from "../../../src/adapters/codebuild/index.js";
import { createMemoryBaselineStore, createMemoryRunLedger } from "../../../src/adapters/memory/index.js";
import type * as E from "fp-ts/Either";
import type { RunnerError } from "../../../src/core/errors.js";
import {
  toRunKey,
  type Report,
  type RunHandle,
  type RunRequest,
  type RunStatus,
  type Sha,
} from "../../../src/core/model.js";
import type { Clock, Logger } from "../../../src/core/ports.js";
import { createRunFollower } from "../../../src/core/run-follower.js";
import { encodeResultMarkers } from "../../../src/adapters/codebuild/result-marker.js";
import type { AwsEmulator, SdkClients } from "../../support/aws-emulator/index.js";
import {
  createEmulatorClients,
  createEmulatorS3Client,
  destroyClients,
  startAwsEmulator,
} from "../../support/aws-emulator/index.js";
import type { S3Client } from "@aws-sdk/client-s3";

export const SHA = "0123456789abcdef0123456789abcdef01234567" as Sha;
export const PR = { owner: "octo", repo: "kw", number: 7 };

let approvals = 0;
/** A run request; each call gets a fresh approval id (so a fresh idempotency token) unless given one. */
export const request = (over: Partial<RunRequest> = {}): RunRequest => ({
  runKey: toRunKey(PR, "tfidf-keywords"),
  experimentId: "tfidf-keywords",
  params: { max_df: "0.4", top: "5" },
  pinnedSha: SHA,
  pr: { ...PR, headRef: "feature", headSha: SHA },
  approvalId: `approval-${++approvals}`,
  ...over,
});

export const RESULT = {
  metrics: { accuracy: 0.95 },
  rankings: {
    keywords: {
      "talk-1": [
        { term: "tfidf", score: 0.5 },
        { term: "keyword", score: 0.25 },
      ],
    },
  },
};

/** A plausible CodeBuild log that ends with the result markers. */
export const logWithResult = (result: unknown = RESULT, extra: ReadonlyArray<string> = []): ReadonlyArray<string> => [
  "[Container] 2026/11/27 12:00:00 Entering phase INSTALL",
  "[Container] 2026/11/27 12:00:01 Running command npm ci",
  "added 120 packages in 3s",
  "[Container] 2026/11/27 12:00:05 Entering phase BUILD",
  ...extra,
  ...encodeResultMarkers(JSON.stringify(result), 40),
  "[Container] 2026/11/27 12:00:09 Phase complete: BUILD State: SUCCEEDED",
];

/** A virtual clock: `sleep` advances time at once and records the delay. */
export const fakeClock = (startMs = Date.parse("2026-11-27T12:00:00Z")) => {
  let now = startMs;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => new Date(now),
    sleep: (ms) => async () => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps, elapsed: () => now - startMs };
};

/** A logger that keeps what it got. */
export const memoryLogger = () => {
  const entries: Array<{ level: string; message: string; fields: Readonly<Record<string, unknown>> | undefined }> = [];
  const at =
    (level: string) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void =>
      void entries.push({ level, message, fields });
  const logger: Logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { logger, entries };
};

export type Harness = {
  readonly aws: AwsEmulator;
  readonly clients: SdkClients;
  /** The S3 client given to the runner, when the harness was asked for one. */
  readonly s3: S3Client | undefined;
  readonly runner: CodeBuildRunner;
  readonly clock: ReturnType<typeof fakeClock>;
  readonly log: ReturnType<typeof memoryLogger>;
  /** Starts a run and follows it to its final report with the core's follower. */
  readonly run: (req?: RunRequest) => Promise<Report>;
  readonly published: Report[];
  /** Like the follower: waits `everyMs` of virtual time, then asks for the status. */
  readonly poll: (handle: RunHandle, everyMs?: number) => Promise<E.Either<RunnerError, RunStatus>>;
  /** Polls until `stop` holds for a status (or a Left), at most `max` times. */
  readonly pollUntil: (
    handle: RunHandle,
    stop: (s: RunStatus) => boolean,
    max?: number,
  ) => Promise<E.Either<RunnerError, RunStatus>>;
  /** SDK commands as sent (once per command, retries not counted), with the virtual time. */
  readonly calls: ReadonlyArray<{ readonly command: string; readonly atMs: number }>;
  readonly close: () => Promise<void>;
};

/**
 * Emulator + clients + runner. `sdkAttempts` is the SDK's own retry budget; its backoff is 0 ms.
 */
export const harness = async (
  config: Record<string, unknown> = {},
  sdkAttempts = 3,
  opts: { readonly s3?: boolean } = {},
): Promise<Harness> => {
  const aws = await startAwsEmulator({ projects: ["ml-chatops"] });
  const clients = createEmulatorClients(aws.endpoint, sdkAttempts);
  const s3 = opts.s3 === true ? createEmulatorS3Client(aws.endpoint, sdkAttempts) : undefined;
  const clock = fakeClock();
  const log = memoryLogger();
  const runner = createCodeBuildRunner(
    { ...clients, s3, logger: log.logger, clock: clock.clock, random: () => 0.5 },
    { projectName: "ml-chatops", ...config },
  );
  const published: Report[] = [];
  const calls: Array<{ command: string; atMs: number }> = [];
  for (const client of [clients.codebuild, clients.logs] as const) {
    (client.middlewareStack as { add: (m: unknown, o: unknown) => void }).add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        calls.push({ command: context.commandName ?? "?", atMs: clock.elapsed() });
        return next(args);
      },
      { step: "initialize", name: "recordVirtualTime" },
    );
  }
  const poll = async (handle: RunHandle, everyMs = 2_000) => {
    await clock.clock.sleep(everyMs)();
    return runner.status(handle)();
  };
  const pollUntil = async (handle: RunHandle, stop: (s: RunStatus) => boolean, max = 2_000) => {
    let s = await runner.status(handle)();
    for (let i = 0; i < max && s._tag === "Right" && !stop(s.right); i++) s = await poll(handle);
    return s;
  };
  const follow = createRunFollower({
    runner,
    baseline: createMemoryBaselineStore(),
    ledger: createMemoryRunLedger(),
    reporter: { publish: (r) => TE.fromIO(() => (published.push(r), { id: published.length })) },
    logger: log.logger,
    clock: clock.clock,
    deadlineMs: runner.deadlineMs,
    pollIntervalMs: 2_000,
    logTailLines: 20,
  });
  const run = async (req: RunRequest = request()): Promise<Report> => {
    const h = await runner.start(req)();
    if (h._tag === "Left") throw new Error(`start failed: ${JSON.stringify(h.left)}`);
    const r = await follow(h.right, { pr: PR, experimentId: req.experimentId, params: req.params })();
    if (r._tag === "Left") throw new Error(`follow failed: ${JSON.stringify(r.left)}`);
    return r.right;
  };
  return {
    aws,
    clients,
    s3,
    runner,
    clock,
    log,
    run,
    published,
    poll,
    pollUntil,
    calls,
    close: async () => {
      destroyClients(clients);
      s3?.destroy();
      await aws.close();
    },
  };
};
