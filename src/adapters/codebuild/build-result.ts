/**
 * The result of a finished build: from the S3 artifact when `resultArtifact` is configured (the
 * log then only gives the tail), otherwise from the result marker lines in the build log.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { RunnerError } from "../../core/errors.js";
import { resultInvalid } from "../../core/errors.js";
import type { RunHandle, RunResult } from "../../core/model.js";
import type { Clock, LogPage, Logger } from "../../core/ports.js";
import type { CodeBuildBuild } from "./build-status.js";
import { isBuildComplete } from "./build-status.js";
import type { ResolvedCodeBuildConfig } from "./config.js";
import type { LogCursor } from "./log-reader.js";
import { MAX_LOG_PAGES, START_CURSOR } from "./log-reader.js";
import { toRunResult, withRunDetails } from "./run-result.js";
import { readArtifactResult } from "./s3-result.js";

/** Reads a log stream from `from`, at most `maxPages` pages. @internal */
export type DrainStream = (
  group: string,
  stream: string,
  from: LogCursor,
  maxPages: number,
) => TE.TaskEither<RunnerError, LogPage>;

/**
 * What reading a result needs; `s3` only with `config.resultArtifact`.
 *
 * @example
 * const deps: BuildResultDeps = { config, s3, logger, clock, drain };
 * @internal */
export type BuildResultDeps = {
  readonly config: ResolvedCodeBuildConfig;
  readonly s3: S3Client | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly drain: DrainStream;
};

/** The log stream of a build, when CodeBuild names one ("null" is how it says there is none). */
const streamOf = (b: CodeBuildBuild): { readonly group: string; readonly stream: string } | undefined => {
  const group = b.logs?.groupName;
  const stream = b.logs?.streamName;
  return group === undefined || stream === undefined || group === "null" || stream === "null"
    ? undefined
    : { group, stream };
};

/**
 * The result of build `b` of run `h`. Only a succeeded build of the approved commit has one.
 *
 * @example
 * pipe(getBuild(h.id), TE.flatMap((b) => readBuildResult(deps)(h, b)));
 * @internal */
export const readBuildResult =
  (deps: BuildResultDeps) =>
  (h: RunHandle, b: CodeBuildBuild): TE.TaskEither<RunnerError, RunResult> => {
    const { config, s3, logger, clock, drain } = deps;
    if (!isBuildComplete(b) || b.buildStatus !== "SUCCEEDED")
      return TE.left(resultInvalid(`the build has not succeeded (${b.buildStatus ?? "unknown"})`));
    if (b.resolvedSourceVersion !== undefined && b.resolvedSourceVersion !== h.pinnedSha)
      return TE.left(resultInvalid("the build ran another commit than the approved one"));
    const artifact = config.resultArtifact;
    if (artifact !== undefined && s3 !== undefined) {
      const log = streamOf(b);
      const lines: TE.TaskEither<RunnerError, ReadonlyArray<string>> = log === undefined
        ? TE.right([])
        : pipe(
            drain(log.group, log.stream, START_CURSOR, MAX_LOG_PAGES),
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
    const group = b.logs?.groupName;
    const stream = b.logs?.streamName;
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
  };
