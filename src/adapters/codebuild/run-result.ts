/**
 * Turns a finished build and its log lines into a RunResult: the result from the marker lines
 * (checksum-verified, then decoded as the result contract), the log tail without the markers, timings.
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import type { RunnerError } from "../../core/errors.js";
import { resultInvalid } from "../../core/errors.js";
import { parseExperimentResult, type ExperimentResult } from "../../core/result.js";
import type { RunResult } from "../../core/model.js";
import type { CodeBuildBuild } from "./build-status.js";
import { buildArtifacts } from "./artifact-links.js";
import { decodeResultMarkers, isMarkerLine } from "./result-marker.js";

/**
 * The result of a succeeded build, or why there is none (a clear failure, never a crash).
 *
 * @example
 * toRunResult(build, lines, { maxResultChars: 4_000_000, logTailLines: 50, now: new Date() });
 * @internal */
export const toRunResult = (
  b: CodeBuildBuild,
  lines: ReadonlyArray<string>,
  opts: {
    readonly maxResultChars: number;
    readonly logTailLines: number;
    readonly now: Date;
    readonly resultPath?: string | undefined;
  },
): E.Either<RunnerError, RunResult> =>
  pipe(
    decodeResultMarkers(lines, opts.maxResultChars),
    E.flatMap(parseExperimentResult),
    E.mapLeft((detail) => resultInvalid(detail)),
    E.map((output) => withRunDetails(b, output, lines, opts)),
  );

/**
 * A RunResult around an already decoded result: the log tail without marker lines, timings, and
 * where the build keeps its artifacts (`resultPath`: the result object's path in the S3 folder).
 *
 * @example
 * withRunDetails(build, output, lines, { logTailLines: 50, now: new Date() });
 * @internal */
export const withRunDetails = (
  b: CodeBuildBuild,
  output: ExperimentResult,
  lines: ReadonlyArray<string>,
  opts: { readonly logTailLines: number; readonly now: Date; readonly resultPath?: string | undefined },
): RunResult => {
  const startedAt = b.startTime ?? opts.now;
  const finishedAt = b.endTime ?? opts.now;
  return {
    output,
    logTail: lines.filter((l) => !isMarkerLine(l)).slice(-opts.logTailLines),
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
    },
    artifacts: buildArtifacts(b, opts.resultPath),
  };
};
