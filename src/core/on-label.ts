/**
 * Handling the label event (start the approved run at the pinned commit) and pushes (revoke
 * approvals, supersede the active run).
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { describeError, type PipelineError } from "./errors.js";
import { messages, shortSha } from "./messages.js";
import { toRunKey } from "./model.js";
import type { Approval, Report, RunHandle, RunRequest, Sha } from "./model.js";
import { supersedeRun } from "./ledger/supersede.js";
import type { LabelEvent, LabelOutcome, PipelineContext, PushEvent } from "./pipeline-context.js";
import type { Experiment } from "./ports.js";
import { runReport, type FollowContext, type FollowOptions } from "./ledger/run-report.js";

/** @internal Builds `onLabel` and `onPush` around a run follower. */
export const createLabelHandler = (
  ctx: PipelineContext,
  follow: (h: RunHandle, c: FollowContext, o?: FollowOptions) => TE.TaskEither<PipelineError, Report>,
) => {
  const { config, bestEffort, refuse } = ctx;
  const { forge, runner, approvals, ledger } = ctx.ports;
  const supersede = supersedeRun({ forge, ledger, reporter: ctx.ports.reporter, bestEffort });

  const onLabel = (e: LabelEvent, opts?: { readonly detach?: boolean }): TE.TaskEither<PipelineError, LabelOutcome> => {
    if (e.label !== config.label) return TE.right({ _tag: "Ignored", reason: `label ${e.label} is not ours` });
    if (config.botActorId === undefined)
      return TE.right({ _tag: "Ignored", reason: "this pipeline handles comments only (commentsOnly)" });
    // Only the bot's own label is a signal; a human or another bot adding it starts nothing.
    if (e.sender.id !== config.botActorId) {
      return TE.right({ _tag: "Ignored", reason: "label not added by the bot" });
    }
    return pipe(
      approvals.take(e.pr),
      TE.flatMap((taken) =>
        O.isNone(taken)
          ? TE.right<PipelineError, LabelOutcome>({ _tag: "Ignored", reason: "no pending approval" })
          : startApproved(taken.value, opts),
      ),
    );
  };

  const refuseRun = (a: Approval, reason: string, reply: string): TE.TaskEither<PipelineError, LabelOutcome> =>
    pipe(
      bestEffort("label removal", forge.removeLabel(a.pr, config.label)),
      TE.flatMap(() => refuse(a.pr, a.commentId, reason, reply)),
    );

  const startApproved = (
    a: Approval,
    opts?: { readonly detach?: boolean },
  ): TE.TaskEither<PipelineError, LabelOutcome> =>
    pipe(
      forge.getPullRequest(a.pr),
      TE.flatMap((pr) => {
        if (pr.state !== "open")
          return refuseRun(a, "pull request not open", messages.prNotOpen(pr.merged ? "merged" : "closed"));
        if (pr.headSha !== a.pinnedSha) return refuseRun(a, "head moved", messages.headMoved(a.pinnedSha, pr.headSha));
        const request = {
          runKey: a.runKey,
          experimentId: a.experimentId,
          params: a.params,
          pinnedSha: a.pinnedSha,
          pr,
          approvalId: a.id,
        };
        const fc: FollowContext = { pr: a.pr, experimentId: a.experimentId, params: a.params };
        return pipe(
          forge.react(a.pr, a.commentId, "rocket"),
          TE.flatMap((mine) =>
            mine
              ? start(a, request, fc, opts)
              : TE.right<PipelineError, LabelOutcome>({
                  _tag: "Ignored",
                  reason: "approval already started (the bot's 🚀 is on its comment)",
                }),
          ),
        );
      }),
    );

  /**
   * Runs once the 🚀 claim is won. The forge adds the reaction atomically, so of several workers
   * that took the same approval (copies of one label event), one starts it (SECURITY-CHECKLIST 16, 39).
   */
  const start = (
    a: Approval,
    request: RunRequest,
    fc: FollowContext,
    opts: { readonly detach?: boolean } | undefined,
  ): TE.TaskEither<PipelineError, LabelOutcome> =>
    pipe(
      runner.start(request),
      TE.matchEW(
        (err) => reportStartFailure(a, describeError(err)),
        (h) =>
          pipe(
            afterStart(a, h),
            TE.flatMap(() => (opts?.detach === true ? detach(h, fc) : reported(h, fc))),
          ),
      ),
    );

  /** A run that never started still ends in one report, so the approver learns why. */
  const reportStartFailure = (a: Approval, detail: string): TE.TaskEither<PipelineError, LabelOutcome> => {
    const report = runReport(
      { runKey: a.runKey, pinnedSha: a.pinnedSha, runner: runner.kind },
      { pr: a.pr, experimentId: a.experimentId, params: a.params },
      { state: "errored", detail: `the runner could not start: ${detail}` },
    );
    return pipe(
      bestEffort("label removal", forge.removeLabel(a.pr, config.label)),
      TE.flatMap(() => ctx.ports.reporter.publish(report)),
      TE.map((): LabelOutcome => ({ _tag: "Reported", report })),
    );
  };

  /** Records the run as active, supersedes the previous one, consumes the label. */
  const afterStart = (a: Approval, h: RunHandle): TE.TaskEither<PipelineError, void> =>
    pipe(
      ledger.active(a.runKey),
      TE.tap(() => ledger.setActive(a.runKey, h)),
      TE.flatMap((previous) =>
        O.isNone(previous) || previous.value.id === h.id
          ? TE.right(undefined)
          : pipe(
              // Mark first: the old run's follower reads the mark when it sees the cancellation.
              // The living comment is the new run's now, so the old report is not rewritten.
              supersede(previous.value, `run ${h.id} at ${shortSha(h.pinnedSha)}`, { rewriteReport: false }),
              TE.flatMap(() => bestEffort("cancel of superseded run", runner.cancel(previous.value))),
            ),
      ),
      TE.flatMap(() => bestEffort("label removal", forge.removeLabel(a.pr, config.label))),
    );

  /**
   * The report of a started run, carrying its handle: it tells the approver where the run is,
   * and lets other processes find the active run (a push or `cancel` handled elsewhere).
   */
  const runningReport = (h: RunHandle, fc: FollowContext, detail: string): Report =>
    runReport(h, fc, { state: "running", detail });

  const detach = (h: RunHandle, fc: FollowContext): TE.TaskEither<PipelineError, LabelOutcome> =>
    pipe(
      ctx.ports.reporter.publish(runningReport(h, fc, "started; results are collected later")),
      TE.map((): LabelOutcome => ({ _tag: "Detached", handle: h })),
    );

  // A short run is reported once, at its end (the 🚀 says it started): one comment write instead
  // of two. A longer one gets its "running" report, with the runner's link, from the follower.
  const reported = (h: RunHandle, fc: FollowContext): TE.TaskEither<PipelineError, LabelOutcome> =>
    pipe(
      config.runningReportAfterMs === 0
        ? pipe(
            bestEffort("running report", ctx.ports.reporter.publish(runningReport(h, fc, "started"))),
            TE.flatMap(() => follow(h, fc)),
          )
        : follow(h, fc, { announce: runningReport(h, fc, "running") }),
      TE.map((report): LabelOutcome => ({ _tag: "Reported", report })),
    );

  // ---------------------------------------------------------------------------------------------
  // push

  const onPush = (e: PushEvent): TE.TaskEither<PipelineError, void> =>
    pipe(
      approvals.revoke(e.pr, { headSha: e.headSha, by: `new commits (head ${shortSha(e.headSha)})` }),
      TE.flatMap(() =>
        TE.traverseSeqArray((x: Experiment) => supersedeByPush(toRunKey(e.pr, x.id), e.headSha))(ctx.ports.experiments),
      ),
      TE.map(() => undefined),
    );

  const supersedeByPush = (key: Approval["runKey"], headSha: Sha): TE.TaskEither<PipelineError, void> => {
    const by = `new commits (head ${shortSha(headSha)})`;
    // A run this runner cannot reach (a local run in another job) ends on its own; its report
    // already says it was superseded.
    const cancel = (h: RunHandle) =>
      pipe(
        runner.cancel(h),
        TE.orElse((err) =>
          err._tag === "RunNotFound"
            ? TE.fromIO(() => ctx.logger.warn("superseded run not reachable from here; not cancelled", { run: h.id }))
            : TE.left(err),
        ),
      );
    return pipe(
      ledger.active(key),
      TE.flatMap((active) =>
        O.isNone(active) || active.value.pinnedSha === headSha
          ? TE.right(undefined)
          : pipe(
              // Marked (here and in the report) before the cancel: the run's follower, maybe in
              // another process, reads the mark when it sees the cancellation.
              supersede(active.value, by, { rewriteReport: true }),
              TE.flatMap(() => cancel(active.value)),
            ),
      ),
    );
  };

  return { onLabel, onPush };
};
