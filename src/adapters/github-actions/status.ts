/**
 * Maps a workflow run's `status` and `conclusion` to a RunStatus (SECURITY-CHECKLIST 60). Pure.
 * Anything unrecognised is never success: an unknown status is still running, and a completed
 * run with an unknown conclusion is an infrastructure error.
 */
import type { RunStatus } from "../../core/model.js";

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
