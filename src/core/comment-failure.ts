/**
 * Every claimed command gets an answer: a failure after the 👀 (a refused write, an API error)
 * gets one reply naming what failed, upserted under a marker so retries keep it one comment, and
 * a later attempt that succeeds says so in the same comment.
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { describeError, type PipelineError } from "./errors.js";
import { failureMarker, messages } from "./messages.js";
import type { CommentEvent, CommentOutcome, PipelineContext } from "./pipeline-context.js";

// Line 2 of the failure reply while the command stays failed (a retry then handles it again).
const FAILED = "<!-- ml-chatops:command-state:failed -->";

/** @internal Builds the failure reply and the retry after a lost 👀 claim. */
export const createFailureAnswers = (ctx: PipelineContext) => {
  const { bestEffort } = ctx;
  const { forge } = ctx.ports;

  /** Replies naming what failed; the failure stays an error for the caller (a job exits non-zero). */
  const answerFailure = (
    e: CommentEvent,
    command: string,
    err: PipelineError,
  ): TE.TaskEither<PipelineError, CommentOutcome> =>
    pipe(
      bestEffort(
        "failure reply",
        forge.upsertComment(
          e.pr,
          failureMarker(e.comment.id),
          `${failureMarker(e.comment.id)}\n${FAILED}\n${messages.commandFailed(command, describeError(err))}`,
        ),
      ),
      TE.flatMap(() => TE.left(err)),
    );

  /**
   * The 👀 is already there. If the bot's failure reply for this comment exists, the earlier
   * attempt failed: the claim must not hide that, so this attempt handles the command again
   * (its reply, if it fails again, is the same comment updated). Otherwise it was handled.
   */
  const afterLostClaim = (
    e: CommentEvent,
    command: string,
    handleClaimed: () => TE.TaskEither<PipelineError, CommentOutcome>,
  ): TE.TaskEither<PipelineError, CommentOutcome> =>
    pipe(
      forge.findComment(e.pr, failureMarker(e.comment.id)),
      TE.flatMap(
        O.match(
          (): TE.TaskEither<PipelineError, CommentOutcome> =>
            TE.right({
              _tag: "Ignored",
              reason: `comment ${e.comment.id} was already handled (the bot's 👀 is on it)`,
            }),
          (body): TE.TaskEither<PipelineError, CommentOutcome> =>
            body.split("\n")[1] !== FAILED
              ? TE.right({
                  _tag: "Ignored",
                  reason: `comment ${e.comment.id} was already handled (it failed once and succeeded when retried)`,
                })
              : pipe(
                  handleClaimed(),
                  TE.orElse((err) => answerFailure(e, command, err)),
                  TE.tap(() =>
                    bestEffort(
                      "failure reply",
                      forge.upsertComment(
                        e.pr,
                        failureMarker(e.comment.id),
                        `${failureMarker(e.comment.id)}\n${messages.commandRecovered(command)}`,
                      ),
                    ),
                  ),
                ),
        ),
      ),
    );

  return { answerFailure, afterLostClaim };
};
