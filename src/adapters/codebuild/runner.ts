/**
 * The CodeBuild runner: StartBuild at the pinned commit, BatchGetBuilds on a jittered backoff
 * schedule, CloudWatch logs from the head, the result from marker lines (or from an S3 artifact
 * when `resultArtifact` is configured), StopBuild to cancel.
 */
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { CodeBuildClient } from "@aws-sdk/client-codebuild";
import type { S3Client } from "@aws-sdk/client-s3";
import { BatchGetBuildsCommand, StartBuildCommand, StopBuildCommand } from "@aws-sdk/client-codebuild";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { PathReporter } from "io-ts/PathReporter";
import { createHash } from "node:crypto";
import type { RunnerError } from "../../core/errors.js";
import { resultInvalid, runNotFound, runRejected, runnerInvalidResponse } from "../../core/errors.js";
import { Sha, runKeyId } from "../../core/model.js";
import type { LogPage, Logger, Clock, Runner } from "../../core/ports.js";
import type { RunHandle, RunRequest, RunResult, RunStatus } from "../../core/model.js";
import { fromAwsError } from "./aws-errors.js";
import { backoffDelay } from "./backoff.js";
import { CodeBuildBuild, isBuildComplete, toRunStatus } from "./build-status.js";
import type { ResolvedCodeBuildConfig } from "./config.js";
import { deadlineMsOf, resolveCodeBuildConfig } from "./config.js";
import { toEnvironmentOverrides } from "./env-vars.js";
import { encodeJobSpec, type JobFor } from "../../core/job-spec.js";
import { decodeCursor, drainLog, START_CURSOR } from "./log-reader.js";
import type { LogCursor } from "./log-reader.js";
import { toRunResult, withRunDetails } from "./run-result.js";
import { readArtifactResult } from "./s3-result.js";

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

/** Per-build polling state, kept while this process follows the build. */
type Tracked = {
  nextPollAt: number;
  nextLogAt: number;
  polls: number;
  throttled: number;
  misses: number;
  last: CodeBuildBuild | undefined;
};

/**
 * Log lines CodeBuild prints as a build nears its end (and our result markers): seeing one, the
 * runner polls BatchGetBuilds again soon, so a long poll interval does not delay noticing the end.
 */
const NEAR_END_PHASES = new Set(["FINALIZING"]);

export const NEAR_END = /Phase complete: (BUILD|POST_BUILD|UPLOAD_ARTIFACTS) State:|^ML_CHATOPS_RESULT /;

const MAX_THROTTLED_WAITS = 50;
const MAX_LOG_PAGES = 10_000;

/**
 * The idempotency token of a run: stable for one approval, so a retried StartBuild cannot start
 * a second build (check 51).
 *
 * @example
 * idempotencyTokenOf(req); // 64 hex characters, the same for the same run key and approval
 */
export const idempotencyTokenOf = (req: RunRequest): string =>
  createHash("sha256")
    .update(`ml-chatops\n${runKeyId(req.runKey)}\n${req.approvalId}`)
    .digest("hex");

/** A console link for a build, from its ARN. */
const consoleUrl = (b: CodeBuildBuild, project: string): string | undefined => {
  const m = /^arn:aws[a-z-]*:codebuild:([a-z0-9-]+):(\d{12}):build\//.exec(b.arn ?? "");
  if (!m) return b.logs?.deepLink;
  return `https://${m[1]}.console.aws.amazon.com/codesuite/codebuild/${m[2]}/projects/${encodeURIComponent(project)}/build/${encodeURIComponent(b.id)}/?region=${m[1]}`;
};

const decodeBuild = (u: unknown): E.Either<RunnerError, CodeBuildBuild> =>
  pipe(
    CodeBuildBuild.decode(u),
    E.mapLeft((errs) =>
      runnerInvalidResponse(
        "codebuild",
        "BatchGetBuilds",
        `unreadable build: ${PathReporter.report(E.left(errs)).join("; ")}`,
      ),
    ),
  );

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
  const tracked = new Map<string, Tracked>();
  const deadlineMs = deadlineMsOf(config);

  const trackedOf = (id: string): Tracked => {
    const t = tracked.get(id) ?? { nextPollAt: 0, nextLogAt: 0, polls: 0, throttled: 0, misses: 0, last: undefined };
    tracked.set(id, t);
    return t;
  };
  const pollDelay = (t: Tracked): number => backoffDelay(t.polls, config.poll, random);
  const throttleDelay = (t: Tracked): number =>
    Math.min(config.poll.throttleMaxMs, config.poll.maxMs + t.throttled * config.poll.throttleStepMs) *
    (1 - config.poll.jitter * random());

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
    if (!Sha.is(req.pinnedSha))
      return TE.left(runRejected("the pinned commit must be a full 40-hex SHA (never a branch or pr/N)"));
    const job = deps.job?.(req);
    if (job !== undefined && E.isLeft(job)) return TE.left(runRejected(`the job of ${req.experimentId}: ${job.left}`));
    const env = toEnvironmentOverrides(
      req,
      config.paramEnvPrefix,
      config.projectEnvNames,
      job === undefined ? undefined : encodeJobSpec(job.right),
    );
    if (E.isLeft(env)) return TE.left(env.left);
    const input = {
      projectName: config.projectName,
      sourceVersion: req.pinnedSha,
      environmentVariablesOverride: [...env.right],
      idempotencyToken: idempotencyTokenOf(req),
      timeoutInMinutesOverride: config.timeoutInMinutes,
      queuedTimeoutInMinutesOverride: config.queuedTimeoutInMinutes,
      ...(config.imageOverride === undefined ? {} : { imageOverride: config.imageOverride }),
      ...(config.computeTypeOverride === undefined ? {} : { computeTypeOverride: config.computeTypeOverride as never }),
      ...(config.buildspecOverride === undefined ? {} : { buildspecOverride: config.buildspecOverride }),
    };
    const attempt = (n: number): TE.TaskEither<RunnerError, CodeBuildBuild> =>
      pipe(
        send("StartBuild", () => deps.codebuild.send(new StartBuildCommand(input))),
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
        const url = consoleUrl(b, config.projectName);
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

  /** Checks what CodeBuild built against the approved commit (check 13); a mismatch stops the build. */
  const checkCommit = (h: RunHandle, b: CodeBuildBuild, status: RunStatus): TE.TaskEither<RunnerError, RunStatus> => {
    const built = b.resolvedSourceVersion;
    if (built === undefined || built === h.pinnedSha) return TE.right(status);
    const mismatch: RunStatus = {
      state: "errored",
      detail: `commit mismatch: CodeBuild checked out ${built.slice(0, 12)}, approved ${h.pinnedSha.slice(0, 12)}`,
      ...(b.currentPhase === undefined ? {} : { phase: b.currentPhase }),
    };
    if (isBuildComplete(b)) return TE.right(mismatch);
    return pipe(
      cancel(h),
      TE.orElse(() => TE.right<RunnerError, void>(undefined)),
      TE.map(() => mismatch),
    );
  };

  /** The status of a build as seen at `now`: past the deadline, a running build is reported as such (check 56). */
  const statusAt = (h: RunHandle, b: CodeBuildBuild, now: number): RunStatus => {
    const mapped = toRunStatus(b);
    const startedMs = Date.parse(h.startedAt);
    if (isBuildComplete(b) || !Number.isFinite(startedMs) || now - startedMs <= deadlineMs) return mapped;
    const link = h.url === undefined ? "" : `; see ${h.url}`;
    return {
      ...mapped,
      state: "errored",
      detail: `deadline passed: the build is still running after ${Math.round((now - startedMs) / 60_000)} min${link}`,
    };
  };

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
            return pipe(
              TE.fromTask(
                clock.sleep(backoffDelay(t.misses - 1, { ...config.poll, maxMs: config.poll.initialMs * 4 }, random)),
              ),
              TE.flatMap(loop),
            );
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

  const drain = (
    group: string,
    stream: string,
    from: LogCursor,
    maxPages: number,
  ): TE.TaskEither<RunnerError, LogPage> =>
    drainLog(
      { client: deps.logs, clock, logger, random, poll: config.poll, logsMissingRetries: config.logsMissingRetries },
      group,
      stream,
      from,
      maxPages,
    );

  const result = (h: RunHandle): TE.TaskEither<RunnerError, RunResult> =>
    pipe(
      getBuild(h.id),
      TE.flatMap((b) => (b === undefined ? TE.left(runNotFound(h.id)) : TE.right(b))),
      TE.flatMap((b) => {
        if (!isBuildComplete(b) || b.buildStatus !== "SUCCEEDED")
          return TE.left(resultInvalid(`the build has not succeeded (${b.buildStatus ?? "unknown"})`));
        if (b.resolvedSourceVersion !== undefined && b.resolvedSourceVersion !== h.pinnedSha)
          return TE.left(resultInvalid("the build ran another commit than the approved one"));
        const group = b.logs?.groupName;
        const stream = b.logs?.streamName;
        const artifact = config.resultArtifact;
        if (artifact !== undefined && s3 !== undefined) {
          // The result comes from S3; the log, when there is one, only gives the tail.
          const lines: TE.TaskEither<RunnerError, ReadonlyArray<string>> = group === undefined ||
          stream === undefined ||
          group === "null" ||
          stream === "null"
            ? TE.right([])
            : pipe(
                drain(group, stream, START_CURSOR, MAX_LOG_PAGES),
                TE.map((page): ReadonlyArray<string> => page.lines),
                // The log is only the tail here: without it the result still stands.
                TE.orElse((e) => {
                  logger.warn("CodeBuild log unreadable; reporting the S3 result without a log tail", {
                    build: h.id,
                    error: e._tag,
                  });
                  return TE.right<RunnerError, ReadonlyArray<string>>([]);
                }),
              );
          return pipe(
            readArtifactResult(s3, b.artifacts?.location, artifact),
            TE.flatMap((output) =>
              pipe(
                lines,
                TE.map((ls) =>
                  withRunDetails(b, output, ls, {
                    logTailLines: config.logTailLines,
                    now: clock.now(),
                    resultPath: artifact.path,
                  }),
                ),
              ),
            ),
          );
        }
        if (group === undefined || stream === undefined)
          return TE.left(
            resultInvalid(
              `build log unavailable, so no result; see ${b.logs?.deepLink ?? h.url ?? "the CodeBuild console"}`,
            ),
          );
        return pipe(
          drain(group, stream, START_CURSOR, MAX_LOG_PAGES),
          TE.flatMap((page) =>
            TE.fromEither(
              toRunResult(b, page.lines, {
                maxResultChars: config.maxResultChars,
                logTailLines: config.logTailLines,
                now: clock.now(),
              }),
            ),
          ),
        );
      }),
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
