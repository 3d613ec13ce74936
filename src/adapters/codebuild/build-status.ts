/**
 * The part of CodeBuild's `Build` we read, as a codec over the SDK's output, and the mapping of
 * its status to RunStatus (SECURITY-CHECKLIST 55), including the deadline and approved-commit checks
 * that can turn a running build into an errored one.
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as t from "io-ts";
import type { RunnerError } from "../../core/errors.js";
import { runnerInvalidResponse } from "../../core/errors.js";
import type { RunHandle, RunStatus } from "../../core/model.js";
import { describeDecodeErrors } from "../../core/baseline-entry.js";

/** A `Date` the SDK already parsed from epoch seconds. */
const SdkDate = new t.Type<Date, Date, unknown>(
  "Date",
  (u): u is Date => u instanceof Date,
  (u, c) => (u instanceof Date && !Number.isNaN(u.getTime()) ? t.success(u) : t.failure(u, c)),
  (d) => d,
);

const BuildPhase = t.partial({
  phaseType: t.string,
  phaseStatus: t.string,
  contexts: t.readonlyArray(t.partial({ statusCode: t.string, message: t.string })),
});

/**
 * What the runner reads of a build. Extra fields are tolerated; every field but `id` may be
 * missing, as in the SDK's types.
 *
 * @example
 * CodeBuildBuild.decode(output.builds?.[0]);
 * @internal */
export const CodeBuildBuild = t.intersection([
  t.type({ id: t.string }),
  t.partial({
    arn: t.string,
    buildStatus: t.string,
    currentPhase: t.string,
    buildComplete: t.boolean,
    sourceVersion: t.string,
    resolvedSourceVersion: t.string,
    startTime: SdkDate,
    endTime: SdkDate,
    phases: t.readonlyArray(BuildPhase),
    logs: t.partial({ groupName: t.string, streamName: t.string, deepLink: t.string }),
    /** For an S3 artifact: `arn:aws:s3:::<bucket>/<key prefix>`. */
    artifacts: t.partial({ location: t.string }),
  }),
]);
export type CodeBuildBuild = t.TypeOf<typeof CodeBuildBuild>;

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "FAULT", "TIMED_OUT", "STOPPED"]);

/**
 * Completion comes from `buildComplete` or a terminal status, never from the phase alone.
 *
 * @example
 * isBuildComplete({ id: "p:1", currentPhase: "COMPLETED", buildStatus: "IN_PROGRESS" }); // false
 * @internal */
export const isBuildComplete = (b: CodeBuildBuild): boolean =>
  b.buildComplete === true || TERMINAL.has(b.buildStatus ?? "");

/** The first phase that did not succeed, and why. @internal */
export const failingPhase = (b: CodeBuildBuild): { readonly phase: string; readonly reason: string } | undefined => {
  const p = (b.phases ?? []).find(
    (x) => x.phaseStatus !== undefined && x.phaseStatus !== "SUCCEEDED" && x.phaseStatus !== "IN_PROGRESS",
  );
  if (p === undefined) return undefined;
  const why = (p.contexts ?? []).map((c) => c.message ?? c.statusCode ?? "").find((m) => m.length > 0);
  return { phase: p.phaseType ?? "UNKNOWN", reason: why ?? "" };
};

const at = (
  f: { readonly phase: string; readonly reason: string } | undefined,
  fallback: string | undefined,
): string => (f ? ` in phase ${f.phase}${f.reason ? `: ${f.reason}` : ""}` : fallback ? ` in phase ${fallback}` : "");

const phaseOf = (f: { readonly phase: string } | undefined, b: CodeBuildBuild): { phase?: string } => {
  const phase = f?.phase ?? b.currentPhase;
  return phase === undefined ? {} : { phase };
};

/**
 * Maps a build to a RunStatus. A status this code does not know never counts as success.
 *
 * @example
 * toRunStatus({ id: "p:1", buildStatus: "FAULT", buildComplete: true }).state; // "errored"
 * @internal */
export const toRunStatus = (b: CodeBuildBuild): RunStatus => {
  const f = failingPhase(b);
  const status = b.buildStatus ?? "IN_PROGRESS";
  if (!isBuildComplete(b)) {
    if (status !== "IN_PROGRESS")
      return {
        state: "running",
        detail: `CodeBuild reports an unknown status ${status}; still waiting`,
        ...phaseOf(undefined, b),
      };
    const queued = b.currentPhase === undefined || b.currentPhase === "SUBMITTED" || b.currentPhase === "QUEUED";
    return {
      state: queued ? "queued" : "running",
      detail: `CodeBuild phase ${b.currentPhase ?? "SUBMITTED"}`,
      ...phaseOf(undefined, b),
    };
  }
  switch (status) {
    case "SUCCEEDED":
      return { state: "succeeded", detail: "CodeBuild build succeeded", ...phaseOf(undefined, b) };
    case "FAILED":
      return { state: "failed", detail: `experiment failed${at(f, b.currentPhase)}`, ...phaseOf(f, b) };
    case "FAULT":
      return {
        state: "errored",
        detail: `CodeBuild infrastructure fault${at(f, b.currentPhase)} (not an experiment failure)`,
        ...phaseOf(f, b),
      };
    case "TIMED_OUT":
      if (f?.phase === "QUEUED" || f?.phase === "SUBMITTED") {
        return {
          state: "errored",
          detail: "never started: the build timed out in the CodeBuild queue",
          phase: f.phase,
        };
      }
      return { state: "errored", detail: `timed out${at(f, b.currentPhase)}`, ...phaseOf(f, b) };
    case "STOPPED":
      return { state: "cancelled", detail: `build stopped${at(f, b.currentPhase)}`, ...phaseOf(f, b) };
    default:
      return { state: "errored", detail: `CodeBuild reports an unknown final status ${status}`, ...phaseOf(f, b) };
  }
};

/**
 * Decodes one build of a BatchGetBuilds or StartBuild answer; an unreadable one is an invalid
 * response, never a missing build.
 *
 * @example
 * decodeBuild(out.build); // Right(build) or Left(RunnerInvalidResponse)
 * @internal */
export const decodeBuild = (u: unknown): E.Either<RunnerError, CodeBuildBuild> =>
  pipe(
    CodeBuildBuild.decode(u),
    E.mapLeft((errs) =>
      runnerInvalidResponse(
        "codebuild",
        "BatchGetBuilds",
        // Not PathReporter: it serialises the whole answer, and a deeply nested one overflows it.
        `unreadable build: ${describeDecodeErrors(errs)}`,
      ),
    ),
  );

/**
 * The status of a build as seen at `now`: past the deadline, a running build is reported as
 * errored, so a stuck build ends the wait with a reason (check 56).
 *
 * @example
 * statusAtDeadline(handle, build, Date.now(), deadlineMsOf(config)).state; // "running", or "errored" once late
 * @internal */
export const statusAtDeadline = (h: RunHandle, b: CodeBuildBuild, now: number, deadlineMs: number): RunStatus => {
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
 * The errored status of a build that checked out another commit than the approved one (check 13),
 * or undefined when CodeBuild built the approved commit (or has not said yet).
 *
 * @example
 * commitMismatchOf(handle, { id: "p:1", resolvedSourceVersion: otherSha })?.state; // "errored"
 * @internal */
export const commitMismatchOf = (h: RunHandle, b: CodeBuildBuild): RunStatus | undefined => {
  const built = b.resolvedSourceVersion;
  if (built === undefined || built === h.pinnedSha) return undefined;
  return {
    state: "errored",
    detail: `commit mismatch: CodeBuild checked out ${built.slice(0, 12)}, approved ${h.pinnedSha.slice(0, 12)}`,
    ...(b.currentPhase === undefined ? {} : { phase: b.currentPhase }),
  };
};
