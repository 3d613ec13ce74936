/**
 * Maps a workflow run's `status` and `conclusion` to a RunStatus (SECURITY-CHECKLIST 60). Pure.
 * Anything unrecognised is never success: an unknown status is still running, and a completed
 * run with an unknown conclusion is an infrastructure error.
 */
import type { RunStatus } from "../../core/model.js";
import type { JobList } from "./codecs.js";

/** The fields of a workflow run that decide its state. @internal */
export type RunFields = { readonly status: string | null; readonly conclusion: string | null };

/**
 * The RunStatus of a workflow run.
 *
 * @example
 * toActionsRunStatus({ status: "completed", conclusion: "success" }); // { state: "succeeded", … }
 * @internal */
export const toActionsRunStatus = (r: RunFields): RunStatus => {
  const status = r.status ?? "";
  const phase = r.conclusion === null ? status : `${status}/${r.conclusion}`;
  switch (status) {
    case "requested":
    case "queued":
    case "waiting":
    case "pending":
      return { state: "queued", detail: `workflow run ${status}`, phase };
    case "in_progress":
      return { state: "running", detail: "workflow run in progress", phase };
    case "completed":
      switch (r.conclusion) {
        case "success":
          return { state: "succeeded", detail: "workflow run succeeded", phase };
        case "failure":
          return { state: "failed", detail: "experiment failed: the workflow run failed", phase };
        case "cancelled":
          return { state: "cancelled", detail: "workflow run cancelled", phase };
        case "timed_out":
          return { state: "errored", detail: "workflow run timed out", phase };
        case "startup_failure":
          return { state: "errored", detail: "workflow run failed to start (startup_failure)", phase };
        default:
          return {
            state: "errored",
            detail: `workflow run completed with conclusion ${JSON.stringify(r.conclusion)}; not a success`,
            phase,
          };
      }
    default:
      return {
        state: "running",
        detail: `unknown workflow run status ${JSON.stringify(status)}; not treated as done`,
        phase: phase || "unknown",
      };
  }
};

/**
 * A failed run is the experiment's fault unless one of the infrastructure steps (checkout,
 * commit check, upload) failed: then it is an infrastructure error (SECURITY-CHECKLIST 13: a
 * commit mismatch is one). Any other status is returned as it is.
 *
 * @example
 * withInfraFailure(failed, jobs, ["Check out the approved commit"]).state; // "errored" when that step failed
 * @internal */
export const withInfraFailure = (s: RunStatus, jobs: JobList, infraStepNames: ReadonlyArray<string>): RunStatus => {
  if (s.state !== "failed") return s;
  const step = jobs.jobs
    .flatMap((j) => (j.steps ?? []).map((st) => ({ job: j.name, ...st })))
    .find((st) => st.conclusion === "failure" && infraStepNames.includes(st.name));
  return step === undefined
    ? s
    : { ...s, state: "errored", detail: `infrastructure step failed: ${step.job} › ${step.name}` };
};
