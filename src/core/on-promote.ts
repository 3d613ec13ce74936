/**
 * The `cancel` and `promote` commands, after the comment handler has claimed and authorized the
 * comment. Both only call the forge, the run ledger, the runner's cancel and the baseline store
 * (SECURITY-CHECKLIST 2).
 */
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { PipelineError } from "./errors.js";
import { inlineCode, messages } from "./messages.js";
import { checkPromotion } from "./promote-guard.js";
import { toRunKey } from "./model.js";
import type { Command, CommandName, RunKey } from "./model.js";
import type { CommentEvent, CommentOutcome, PipelineContext } from "./pipeline-context.js";
import type { StoredResult } from "./ports.js";

/**
 * @internal `experiment=` picks the experiment; it and `sha=` are the pipeline's, the rest are the
 * experiment's.
 *
 * @example
 * splitArgs(cmd, "tfidf-keywords"); // { experimentId: "tfidf-keywords", sha: undefined, params: { top: "5" } }
 */
export const splitArgs = (cmd: Command, defaultExperiment: string) => {
  const { experiment = defaultExperiment, sha, ...rest } = cmd.args;
  return { experimentId: experiment, sha, params: rest };
};

/** @internal The outcome of a command that was carried out. */
export const handled = (command: CommandName): CommentOutcome => ({ _tag: "Handled", command });

/** @internal Builds the `cancel` and `promote` commands. */
export const createRunCommands = (ctx: PipelineContext) => {
  const { config, clock, help, refuse, findExperiment } = ctx;
  const { forge, runner, approvals, ledger } = ctx.ports;

  /** Says what was done in the living comment of `key`, or in a reply when there is none. */
  const answer = (key: RunKey, text: string): TE.TaskEither<PipelineError, unknown> =>
    pipe(
      ledger.note(key, text),
      TE.flatMap((shown): TE.TaskEither<PipelineError, unknown> =>
        shown ? TE.right(undefined) : forge.reply(key.pr, text),
      ),
    );

  const cancel = (e: CommentEvent, cmd: Command): TE.TaskEither<PipelineError, CommentOutcome> => {
    const key = toRunKey(e.pr, splitArgs(cmd, config.defaultExperiment).experimentId);
    return pipe(
      approvals.revoke(e.pr),
      TE.flatMap(() => ledger.active(key)),
      TE.flatMap((active) =>
        O.isNone(active)
          ? forge.reply(e.pr, messages.nothingToCancel())
          : pipe(
              runner.cancel(active.value),
              TE.flatMap(() => answer(key, messages.cancelled(active.value.id))),
            ),
      ),
      TE.map(() => handled("cancel")),
    );
  };

  const promote = (e: CommentEvent, cmd: Command): TE.TaskEither<PipelineError, CommentOutcome> => {
    const { experimentId, params } = splitArgs(cmd, config.defaultExperiment);
    const { force = "false", ...others } = params;
    const extra = Object.keys(others)[0];
    if (extra !== undefined || (force !== "true" && force !== "false")) {
      const why =
        extra !== undefined
          ? `promote takes only experiment= and force=, not ${inlineCode(extra)}`
          : `force: expected true or false, got ${inlineCode(force)}`;
      return refuse(e.pr, e.comment.id, "bad promote arguments", messages.badCommand([why], help));
    }
    return pipe(
      ledger.latest(toRunKey(e.pr, experimentId)),
      TE.flatMap((latest) =>
        O.isNone(latest)
          ? pipe(
              forge.reply(e.pr, messages.nothingToPromote()),
              TE.map(() => handled("promote")),
            )
          : guardedPromote(e, experimentId, latest.value, force === "true"),
      ),
    );
  };

  /** Promotes unless the primary metric is worse than the current best's (check: promote guard). */
  const guardedPromote = (
    e: CommentEvent,
    experimentId: string,
    latest: StoredResult,
    force: boolean,
  ): TE.TaskEither<PipelineError, CommentOutcome> => {
    const experiment = O.toUndefined(findExperiment(experimentId));
    return pipe(
      ctx.ports.baseline.load(experimentId, e.pr),
      TE.flatMap((current) => {
        const verdict = checkPromotion(
          latest.result,
          O.toUndefined(current)?.result,
          experiment?.primary,
          experiment?.metrics ?? {},
          force,
        );
        if (E.isLeft(verdict))
          return refuse(
            e.pr,
            e.comment.id,
            "promote refused: worse than the current best",
            messages.promoteRefused(experimentId, verdict.left, config.trigger),
          );
        return pipe(
          ctx.ports.baseline.save(experimentId, latest.result, {
            pr: e.pr,
            sha: latest.sha,
            promotedBy: e.comment.author,
            promotedAt: clock.now().toISOString(),
            ...(latest.params === undefined ? {} : { params: latest.params }),
            forced: verdict.right.forced,
            runId: latest.handle.id,
          }),
          TE.flatMap(() =>
            answer(toRunKey(e.pr, experimentId), messages.promoted(latest.sha, experimentId, verdict.right.overridden)),
          ),
          TE.map(() => handled("promote")),
        );
      }),
    );
  };

  return { cancel, promote };
};
