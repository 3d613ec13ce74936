/**
 * The GitHub Actions runner: dispatches a workflow that runs the experiment at the pinned SHA,
 * finds and polls its run, reads the result from the run's artifact, and cancels it on request.
 * The dispatch's inputs and limits are dispatch-request.ts; the RunResult is built in run-result.ts.
 */
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { Octokit } from "@octokit/core";
import { resultInvalid, runnerUnavailable } from "../../core/errors.js";
import type { RunnerError } from "../../core/errors.js";
import { parseExperimentResult } from "../../core/result.js";
import type { RunHandle, RunRequest, RunResult, RunStatus } from "../../core/model.js";
import type { Clock, LogPage, Logger, Runner } from "../../core/ports.js";
import type { JobFor } from "../../core/job-spec.js";
import { createArtifactReader } from "./artifacts.js";
import { DispatchDetails, JobList, WorkflowRun, WorkflowRunList } from "./codecs.js";
import { RUNNER, decode, statusOf, toRunnerError } from "./shared.js";
import { resolveActionsConfig } from "./config.js";
import { toDispatchBody } from "./dispatch-request.js";
import { toActionsRunResult } from "./run-result.js";
import { toActionsRunStatus, withInfraFailure } from "./status.js";

export { correlationIdFor, dispatchInputs, MAX_DISPATCH_BYTES, MAX_INPUTS } from "./dispatch-request.js";

/** What the runner needs of an Octokit: the generic `request` (compose retry/throttling outside). */
export type ActionsClient = Pick<Octokit, "request">;

/** Dependencies of the GitHub Actions runner. */
export type GitHubActionsRunnerDeps = {
  readonly octokit: ActionsClient;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
  /** The job `ml-chatops exec` runs in the workflow, sent as input `job`; without it none is sent. */
  readonly job?: JobFor | undefined;
};

const NOOP = (): void => undefined;
const SILENT: Logger = { debug: NOOP, info: NOOP, warn: NOOP, error: NOOP };
const REAL_CLOCK: Clock = { now: () => new Date(), sleep: (ms) => () => new Promise((r) => setTimeout(r, ms)) };
/**
 * Creates a Runner that runs experiments as GitHub Actions workflow runs.
 *
 * @example
 * const runner = createGitHubActionsRunner({ octokit }, { workflowId: "ml-chatops-experiment.yml", ref: "main" });
 */
export const createGitHubActionsRunner = (deps: GitHubActionsRunnerDeps, config: unknown): Runner => {
  const c = resolveActionsConfig(config);
  const logger = deps.logger ?? SILENT;
  const clock = deps.clock ?? REAL_CLOCK;
  const repoOf = (runKey: string): { owner: string; repo: string } => {
    if (c.owner !== undefined && c.repo !== undefined) return { owner: c.owner, repo: c.repo };
    const m = /^([^/]+)\/([^#]+)#/.exec(runKey);
    return { owner: m?.[1] ?? "", repo: m?.[2] ?? "" };
  };

  const getRun = (h: RunHandle): TE.TaskEither<RunnerError, WorkflowRun> =>
    pipe(
      TE.tryCatch(
        () =>
          deps.octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}", {
            ...repoOf(h.runKey),
            run_id: Number(h.id),
          }),
        toRunnerError("get workflow run", h.id),
      ),
      TE.flatMap((r) => TE.fromEither(decode(WorkflowRun, `workflow run ${h.id}`, r.data))),
    );

  const findRun = (
    repo: { owner: string; repo: string },
    correlationId: string,
    attempt: number,
  ): TE.TaskEither<RunnerError, WorkflowRun> =>
    pipe(
      TE.tryCatch(
        () =>
          deps.octokit.request("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", {
            ...repo,
            workflow_id: c.workflowId,
            event: "workflow_dispatch",
            branch: c.ref,
            per_page: 50,
          }),
        toRunnerError("list workflow runs", undefined),
      ),
      TE.flatMap((r) => TE.fromEither(decode(WorkflowRunList, "workflow runs", r.data))),
      TE.flatMap((list) => {
        const run = list.workflow_runs.find((w) => w.display_title.includes(correlationId));
        if (run !== undefined) return TE.right(run);
        if (attempt + 1 >= c.findAttempts)
          return TE.left(
            runnerUnavailable(
              RUNNER,
              `dispatched, but no run named with ${correlationId} appeared after ${c.findAttempts} looks`,
            ),
          );
        return pipe(
          TE.fromTask(clock.sleep(c.findDelayMs)),
          TE.flatMap(() => findRun(repo, correlationId, attempt + 1)),
        );
      }),
    );

  const start = (req: RunRequest): TE.TaskEither<RunnerError, RunHandle> => {
    const repo = repoOf(req.runKey);
    const dispatch = toDispatchBody(req, c, deps.job);
    if (E.isLeft(dispatch)) return TE.left(dispatch.left);
    const body = dispatch.right;
    const handle = (id: number, url: string): RunHandle => ({
      runner: RUNNER,
      id: String(id),
      runKey: req.runKey,
      pinnedSha: req.pinnedSha,
      startedAt: clock.now().toISOString(),
      url,
    });
    const correlationId = body.inputs["correlation_id"] ?? "";
    return pipe(
      TE.tryCatch(
        () =>
          deps.octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
            ...repo,
            workflow_id: c.workflowId,
            ...body,
            // Never re-sent by a retry plugin: a resent dispatch is a second run. A lost answer is
            // resolved below by looking the run up.
            request: { retries: 0 },
          }),
        (e) => e,
      ),
      // A 5xx or a lost answer may hide a dispatch that happened: look for its run before failing,
      // so a retry never needs to dispatch twice.
      TE.orElseW((e) => {
        const status = statusOf(e);
        const err = toRunnerError("dispatch", undefined)(e);
        if (status !== undefined && status < 500) return TE.left(err);
        return pipe(
          findRun(repo, correlationId, 0),
          TE.map((run) => ({ status: 200, data: { workflow_run_id: run.id, html_url: run.html_url } as unknown })),
          TE.mapError(() => err),
        );
      }),
      TE.flatMap((r) => {
        const details = r.status === 200 ? DispatchDetails.decode(r.data) : undefined;
        if (details !== undefined && E.isRight(details))
          return TE.right(handle(details.right.workflow_run_id, details.right.html_url));
        // 204: this server gives no run details (older GHES); find the run by its correlation id.
        return pipe(
          findRun(repo, correlationId, 0),
          TE.map((run) => handle(run.id, run.html_url)),
        );
      }),
      TE.tap((h) =>
        TE.fromIO(() => logger.info("workflow dispatched", { run: h.id, runKey: h.runKey, sha: h.pinnedSha })),
      ),
    );
  };

  // A failed run's jobs are read only when it failed: they decide whose fault it was.
  const refineFailure = (h: RunHandle, s: RunStatus): TE.TaskEither<RunnerError, RunStatus> =>
    s.state !== "failed"
      ? TE.right(s)
      : pipe(
          TE.tryCatch(
            () =>
              deps.octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs", {
                ...repoOf(h.runKey),
                run_id: Number(h.id),
                filter: "latest",
              }),
            toRunnerError("list jobs", h.id),
          ),
          TE.flatMap((r) => TE.fromEither(decode(JobList, `jobs of run ${h.id}`, r.data))),
          TE.map((list) => withInfraFailure(s, list, c.infraStepNames)),
        );

  const status = (h: RunHandle): TE.TaskEither<RunnerError, RunStatus> =>
    pipe(
      getRun(h),
      TE.map(toActionsRunStatus),
      TE.flatMap((s) => refineFailure(h, s)),
    );

  const fetchArtifacts = createArtifactReader(deps.octokit, c, repoOf);

  const logs = (h: RunHandle, cursor: string | undefined): TE.TaskEither<RunnerError, LogPage> =>
    pipe(
      getRun(h),
      TE.flatMap((run) =>
        toActionsRunStatus(run).state === "succeeded"
          ? pipe(
              fetchArtifacts(h),
              TE.map((a) => a.log),
              TE.orElse(() => TE.right<RunnerError, ReadonlyArray<string>>([])),
            )
          : TE.right<RunnerError, ReadonlyArray<string>>([]),
      ),
      TE.map((all) => {
        const from = Math.min(Number(cursor ?? "0") || 0, all.length);
        const fresh = all.slice(from);
        for (const line of fresh) logger.info(line, { runner: RUNNER, run: h.id });
        return { lines: fresh, next: String(Math.max(from, all.length)) };
      }),
    );

  const result = (h: RunHandle): TE.TaskEither<RunnerError, RunResult> =>
    pipe(
      getRun(h),
      TE.flatMap((run) =>
        toActionsRunStatus(run).state === "succeeded"
          ? TE.right(run)
          : TE.left(resultInvalid(`run ${h.id} has not succeeded (${run.status}/${run.conclusion})`)),
      ),
      TE.bindTo("run"),
      TE.bind("artifacts", () => fetchArtifacts(h)),
      TE.bind("output", ({ artifacts }) =>
        TE.fromEither(
          pipe(
            parseExperimentResult(artifacts.result.toString("utf8")),
            E.mapLeft((why) => resultInvalid(`${c.resultFile} of run ${h.id}: ${why}`)),
          ),
        ),
      ),
      TE.map(({ run, artifacts, output }) => toActionsRunResult(run, artifacts, output, c.logTailLines)),
    );

  const cancel = (h: RunHandle): TE.TaskEither<RunnerError, void> =>
    pipe(
      TE.tryCatch(
        () =>
          deps.octokit.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel", {
            ...repoOf(h.runKey),
            run_id: Number(h.id),
          }),
        (e) => e,
      ),
      TE.map(() => undefined),
      // 409: the run already completed; cancelling a finished run succeeds.
      TE.orElse((e) => (statusOf(e) === 409 ? TE.right(undefined) : TE.left(toRunnerError("cancel", h.id)(e)))),
      TE.tap(() => TE.fromIO(() => logger.info("workflow run cancelled", { run: h.id }))),
    );

  return { kind: RUNNER, start, status, logs, result, cancel };
};
