/**
 * The part of CodeBuild's `Build` we read, as a codec over the SDK's output, and the mapping of
 * its status to RunStatus (SECURITY-CHECKLIST 55).
 */
import * as t from "io-ts";
import type { RunStatus } from "../../core/model.js";

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
 */
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
 */
export const isBuildComplete = (b: CodeBuildBuild): boolean =>
  b.buildComplete === true || TERMINAL.has(b.buildStatus ?? "");

/** The first phase that did not succeed, and why. */
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
 */
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
