/**
 * The one place a {@link Report} is made from a run: its handle (or, for a run that never
 * started, what it would have run), the pull request × experiment it belongs to, and a status.
 * Everything a report says about its run comes from here, so a report of a running, finished,
 * superseded or unstartable run always carries the same facts.
 */
import type { RepoPullNumber, Report, RunHandle, RunStatus } from "../model.js";

/**
 * What a run's report needs besides the handle.
 *
 * @example
 * const fc: FollowContext = { pr, experimentId: "tfidf-keywords", params: { top: "5" } };
 * @internal */
export type FollowContext = {
  readonly pr: RepoPullNumber;
  readonly experimentId: string;
  readonly params: Readonly<Record<string, string>>;
};

/**
 * Options of one `follow`. `announce`: the "running" report, published once, the first time
 * the run is seen still going `runningReportAfterMs` after the follow began.
 *
 * @example
 * follow(handle, fc, { announce: runReport(handle, fc, { state: "running", detail: "running" }) });
 * @internal */
export type FollowOptions = { readonly announce?: Report | undefined };

/** A run that never started: no handle, only what it was going to run. @internal */
export type UnstartedRun = Pick<RunHandle, "runKey" | "pinnedSha" | "runner">;

const isHandle = (run: RunHandle | UnstartedRun): run is RunHandle => "id" in run;

/**
 * The report of a run in `status`. A started run's report links to the run and carries its
 * handle, so a detached run can be found and followed again from the report alone.
 *
 * @example
 * const report = runReport(handle, fc, { state: "running", detail: "started" });
 * report.links; // [{ label: "run", url: handle.url }] when the runner gave a url
 * @internal */
export const runReport = (
  run: RunHandle | UnstartedRun,
  fc: FollowContext,
  status: RunStatus,
  logTail: ReadonlyArray<string> = [],
): Report => ({
  runKey: run.runKey,
  experimentId: fc.experimentId,
  pr: fc.pr,
  pinnedSha: run.pinnedSha,
  runner: run.runner,
  status,
  params: fc.params,
  logTail,
  links: isHandle(run) && run.url !== undefined ? [{ label: "run", url: run.url }] : [],
  ...(isHandle(run) ? { handle: run } : {}),
});
