/**
 * The CodeBuild runner: StartBuild at the pinned commit, BatchGetBuilds on a jittered backoff
 * schedule, CloudWatch logs from the head, the result from marker lines (or from an S3 artifact
 * when `resultArtifact` is configured), StopBuild to cancel. The request, the schedule, the status
 * checks and the result reading live in their own modules; this one wires them to the SDK clients.
 */
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { CodeBuildClient } from "@aws-sdk/client-codebuild";
import type { S3Client } from "@aws-sdk/client-s3";
import { BatchGetBuildsCommand, StartBuildCommand, StopBuildCommand } from "@aws-sdk/client-codebuild";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { RunnerError } from "../../core/errors.js";
import { runNotFound } from "../../core/errors.js";
import type { JobFor } from "../../core/job-spec.js";
import type { LogPage, Logger, Clock, Runner } from "../../core/ports.js";
import type { RunHandle, RunRequest, RunResult, RunStatus } from "../../core/model.js";
import { fromAwsError } from "./aws-errors.js";
import { backoffDelay } from "./backoff.js";
import { readBuildResult } from "./build-result.js";
import type { DrainStream } from "./build-result.js";
import type { CodeBuildBuild } from "./build-status.js";
import { commitMismatchOf, decodeBuild, isBuildComplete, statusAtDeadline } from "./build-status.js";
import type { ResolvedCodeBuildConfig } from "./config.js";
import { deadlineMsOf, resolveCodeBuildConfig } from "./config.js";
import { decodeCursor, drainLog, MAX_LOG_PAGES } from "./log-reader.js";
import { createPollSchedule, MAX_THROTTLED_WAITS, NEAR_END, NEAR_END_PHASES } from "./poll-schedule.js";
import { consoleUrlOf, toStartBuildInput } from "./start-request.js";

export { idempotencyTokenOf } from "./start-request.js";

/**
 * What the runner needs: the caller's SDK clients (one per region and credentials set).
 *
 * @example
 * const deps: CodeBuildRunnerDeps = { codebuild: new CodeBuildClient({}), logs: new CloudWatchLogsClient({}) };
 */
export type CodeBuildRunnerDeps = {
  readonly codebuild: CodeBuildClient;
  readonly logs: CloudWatchLogsClient;
  /** Needed only with `resultArtifact` in the config: reads the result object. */
  readonly s3?: S3Client | undefined;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
  /** Source of jitter, [0, 1). */
  readonly random?: (() => number) | undefined;
  /** The job `ml-chatops exec` runs in the build, sent as ML_CHATOPS_JOB; without it none is sent. */
  readonly job?: JobFor | undefined;
};

/**
 * A Runner plus what only CodeBuild knows.
 *
 * @example
 * createPipeline({ runner, … }, { deadlineMs: runner.deadlineMs });
 */
export type CodeBuildRunner = Runner & {
  /** Queue timeout + build timeout + margin: how long following a build may take (check 56). */
  readonly deadlineMs: number;
};

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const realClock: Clock = { now: () => new Date(), sleep: (ms) => () => new Promise((r) => setTimeout(r, ms)) };

/**
 * Creates the runner. Throws only on an invalid `config`.
 *
 * @example
 * const runner = createCodeBuildRunner({ codebuild: new CodeBuildClient({}), logs: new CloudWatchLogsClient({}) }, { projectName: "ml-chatops" });
 */
export const createCodeBuildRunner = (deps: CodeBuildRunnerDeps, configInput: unknown): CodeBuildRunner => {
  const config: ResolvedCodeBuildConfig = resolveCodeBuildConfig(configInput);
  const s3 = deps.s3;
  if (config.resultArtifact !== undefined && s3 === undefined) {
    throw new Error(
      "createCodeBuildRunner: config.resultArtifact is set but deps.s3 is missing: pass an S3Client to read the result artifact, " +
        'e.g. createCodeBuildRunner({ codebuild, logs, s3: new S3Client({ region }) }, { projectName: "ml-chatops", resultArtifact: { path: "ml-chatops-result.json" } })',
    );
  }
  const logger = deps.logger ?? silent;
  const clock = deps.clock ?? realClock;
  const random = deps.random ?? Math.random;
  const deadlineMs = deadlineMsOf(config);
  const { trackedOf, pollDelay, throttleDelay, notFoundDelay } = createPollSchedule(config.poll, random);

  const send = <A>(operation: string, f: () => Promise<A>): TE.TaskEither<RunnerError, A> =>
    TE.tryCatch(f, fromAwsError(operation));

  /** One BatchGetBuilds for one id: the build, or undefined when listed in `buildsNotFound`. */
  const getBuild = (id: string): TE.TaskEither<RunnerError, CodeBuildBuild | undefined> =>
    pipe(
      send("BatchGetBuilds", () => deps.codebuild.send(new BatchGetBuildsCommand({ ids: [id] }))),
      TE.flatMap((out) => {
        const found = (out.builds ?? []).find((b) => b.id === id);
        return found === undefined ? TE.right(undefined) : TE.fromEither(decodeBuild(found));
      }),
    );

  const start = (req: RunRequest): TE.TaskEither<RunnerError, RunHandle> => {
    const input = toStartBuildInput(req, config, deps.job);
    if (input._tag === "Left") return TE.left(input.left);
    const attempt = (n: number): TE.TaskEither<RunnerError, CodeBuildBuild> =>
      pipe(
        send("StartBuild", () => deps.codebuild.send(new StartBuildCommand(input.right))),
        TE.flatMap((out) => TE.fromEither(decodeBuild(out.build))),
        TE.orElse((e) => {
          if (e._tag !== "RateLimited" || n + 1 >= config.startAttempts) return TE.left(e);
          logger.warn("StartBuild throttled; retrying with the same idempotency token", { attempt: n + 1 });
          return pipe(
            TE.fromTask(clock.sleep(backoffDelay(n, config.poll, random))),
            TE.flatMap(() => attempt(n + 1)),
          );
        }),
      );
    return pipe(
      attempt(0),
      TE.map((b): RunHandle => {
        const t = trackedOf(b.id);
        t.last = b;
        t.nextPollAt = clock.now().getTime() + pollDelay(t);
        const url = consoleUrlOf(b, config.projectName);
        logger.info("CodeBuild build started", {
          build: b.id,
          project: config.projectName,
          sourceVersion: req.pinnedSha,
        });
        return {
          runner: "codebuild",
          id: b.id,
          runKey: req.runKey,
          pinnedSha: req.pinnedSha,
          startedAt: clock.now().toISOString(),
          ...(url === undefined ? {} : { url }),
        };
      }),
    );
  };

  /** A build of another commit than the approved one is stopped while it still runs (check 13). */
  const checkCommit = (h: RunHandle, b: CodeBuildBuild, status: RunStatus): TE.TaskEither<RunnerError, RunStatus> => {
    const mismatch = commitMismatchOf(h, b);
    if (mismatch === undefined || isBuildComplete(b)) return TE.right(mismatch ?? status);
    return pipe(
      cancel(h),
      TE.orElse(() => TE.right<RunnerError, void>(undefined)),
      TE.map(() => mismatch),
    );
  };

  const statusAt = (h: RunHandle, b: CodeBuildBuild, now: number): RunStatus => statusAtDeadline(h, b, now, deadlineMs);

  /**
   * Between scheduled polls the last status is answered from memory, so a caller polling every
   * few seconds costs no BatchGetBuilds calls; the schedule (jittered backoff, capped) decides.
   */
  const status = (h: RunHandle): TE.TaskEither<RunnerError, RunStatus> => {
    const t = trackedOf(h.id);
    const cached = t.last;
    if (cached !== undefined && !isBuildComplete(cached) && clock.now().getTime() < t.nextPollAt) {
      return TE.right(statusAt(h, cached, clock.now().getTime()));
    }
    const loop = (): TE.TaskEither<RunnerError, RunStatus> =>
      pipe(
        getBuild(h.id),
        TE.flatMap((b) => {
          const now = clock.now().getTime();
          if (b === undefined) {
            // Right after StartBuild the id may not be visible yet (check 54).
            t.misses += 1;
            if (t.misses > config.notFoundRetries) return TE.left(runNotFound(h.id));
            return pipe(TE.fromTask(clock.sleep(notFoundDelay(t))), TE.flatMap(loop));
          }
          t.last = b;
          t.misses = 0;
          t.throttled = 0;
          // FINALIZING is short and always last: poll at the initial rate again.
          t.polls = NEAR_END_PHASES.has(b.currentPhase ?? "") ? 0 : t.polls + 1;
          t.nextPollAt = now + pollDelay(t);
          return checkCommit(h, b, statusAt(h, b, now));
        }),
        TE.orElse((e) => {
          if (e._tag !== "RateLimited" || t.throttled >= MAX_THROTTLED_WAITS) return TE.left(e);
          // Throttled polling backs off and carries on (check 53).
          t.throttled += 1;
          const wait = throttleDelay(t);
          t.nextPollAt = clock.now().getTime() + wait;
          logger.warn("BatchGetBuilds throttled; backing off", {
            build: h.id,
            times: t.throttled,
            waitMs: Math.round(wait),
          });
          const last = t.last;
          if (last !== undefined && !isBuildComplete(last)) return TE.right(statusAt(h, last, clock.now().getTime()));
          return pipe(TE.fromTask(clock.sleep(wait)), TE.flatMap(loop));
        }),
      );
    return loop();
  };

  /** The build as last seen, fetched once when this process has not seen it yet. */
  const knownBuild = (id: string): TE.TaskEither<RunnerError, CodeBuildBuild> => {
    const last = trackedOf(id).last;
    if (last !== undefined) return TE.right(last);
    return pipe(
      getBuild(id),
      TE.flatMap((b) => (b === undefined ? TE.left(runNotFound(id)) : TE.right(b))),
      TE.tap((b) => TE.fromIO(() => void (trackedOf(id).last = b))),
    );
  };

  const drain: DrainStream = (group, stream, from, maxPages) =>
    drainLog(
      { client: deps.logs, clock, logger, random, poll: config.poll, logsMissingRetries: config.logsMissingRetries },
      group,
      stream,
      from,
      maxPages,
    );

  const logs = (h: RunHandle, cursor: string | undefined): TE.TaskEither<RunnerError, LogPage> =>
    pipe(
      knownBuild(h.id),
      TE.flatMap((b) => {
        const group = b.logs?.groupName;
        const stream = b.logs?.streamName;
        if (group === undefined || stream === undefined || group === "null" || stream === "null") {
          logger.warn("CodeBuild logs unavailable for this build", { build: h.id, link: b.logs?.deepLink ?? h.url });
          return TE.right<RunnerError, LogPage>({ lines: [], next: undefined });
        }
        const t = trackedOf(h.id);
        const now = clock.now().getTime();
        // While the build runs: one page at most every logIntervalMs. Once it is done: read to the end.
        const done = isBuildComplete(b);
        if (!done && now < t.nextLogAt) return TE.right<RunnerError, LogPage>({ lines: [], next: cursor });
        t.nextLogAt = now + config.poll.logIntervalMs;
        return pipe(
          drain(group, stream, decodeCursor(cursor), done ? MAX_LOG_PAGES : 1),
          TE.tap((page) =>
            TE.fromIO(() => {
              if (done || !page.lines.some((l) => NEAR_END.test(l))) return;
              t.polls = 0;
              t.nextPollAt = Math.min(t.nextPollAt, now + config.poll.initialMs);
            }),
          ),
        );
      }),
    );

  const resultOf = readBuildResult({ config, s3, logger, clock, drain });
  const result = (h: RunHandle): TE.TaskEither<RunnerError, RunResult> =>
    pipe(
      getBuild(h.id),
      TE.flatMap((b) => (b === undefined ? TE.left(runNotFound(h.id)) : TE.right(b))),
      TE.flatMap((b) => resultOf(h, b)),
    );

  const cancel = (h: RunHandle): TE.TaskEither<RunnerError, void> =>
    pipe(
      send("StopBuild", () => deps.codebuild.send(new StopBuildCommand({ id: h.id }))),
      TE.map((out) => {
        logger.info("CodeBuild build stopped", { build: h.id, status: out.build?.buildStatus });
      }),
    );

  return { kind: "codebuild", deadlineMs, start, status, logs, result, cancel };
};
