/**
 * Handling a comment: parse, authorize, then approve a run (pin the head, record, label) or
 * carry out help / cancel / promote. Comment handling only calls the forge API: it never checks
 * out or runs anything from the pull request (SECURITY-CHECKLIST 2).
 */
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { parseComment } from "./command.js";
import { describeError, type PipelineError } from "./errors.js";
import { messages } from "./messages.js";
import { hasRole, runKeyId, toRunKey } from "./model.js";
import type { Approval, Command, CommandName, PullRequest } from "./model.js";
import type { CommentEvent, CommentOutcome, PipelineContext } from "./pipeline-context.js";
import { createFailureAnswers } from "./comment-failure.js";
import { createRunCommands, handled, splitArgs } from "./on-promote.js";

/** @internal Builds `onComment`. */
export const createCommentHandler = (ctx: PipelineContext) => {
  const { config, logger, clock, help, bestEffort, refuse, findExperiment } = ctx;
  const { forge, approvals } = ctx.ports;
  const { answerFailure, afterLostClaim } = createFailureAnswers(ctx);
  const { cancel, promote } = createRunCommands(ctx);

  const onComment = (e: CommentEvent): TE.TaskEither<PipelineError, CommentOutcome> => {
    // Without botActorId (commentsOnly), the caller has dropped the bot's own comments already.
    if (config.botActorId !== undefined && e.comment.author.id === config.botActorId) {
      return TE.right({ _tag: "Ignored", reason: "comment by the bot itself" });
    }
    const parsed = parseComment(e.comment.body, config.trigger);
    const first = parsed.commands[0];
    if (first === undefined && parsed.errors.length === 0) return TE.right({ _tag: "Ignored", reason: "no command" });
    const cid = e.comment.id;
    const handleClaimed = (): TE.TaskEither<PipelineError, CommentOutcome> => {
      if (parsed.commands.length + parsed.errors.length > 1) {
        const lines = [...parsed.commands.map((c) => c.line), ...parsed.errors.map((x) => x.line)].sort(
          (a, b) => a - b,
        );
        return refuse(e.pr, cid, "several commands", messages.oneCommandOnly(lines));
      }
      if (first === undefined) {
        const problems = parsed.errors.map((x) => `line ${x.line}: ${x.message}`);
        return refuse(e.pr, cid, "bad command", messages.badCommand(problems, help));
      }
      return authorized(e, first.name, (role) => dispatch(e, first, role));
    };
    const command = first?.name ?? "command";
    return pipe(
      claim(e),
      TE.flatMap((mine) =>
        mine
          ? pipe(
              handleClaimed(),
              TE.orElse((err) => answerFailure(e, command, err)),
            )
          : afterLostClaim(e, command, handleClaimed),
      ),
    );
  };

  /**
   * The 👀 reaction is the receipt and the claim: the forge adds it atomically, so of several
   * workers handling copies of one comment (redeliveries, replays, parallel instances) exactly
   * one sees it as new (SECURITY-CHECKLIST 37–39). An edit re-uses the comment, whose 👀 is
   * already there, so edits are deduplicated by the caller instead. A failed claim is an error,
   * never a guess: the caller may retry it.
   */
  const claim = (e: CommentEvent): TE.TaskEither<PipelineError, boolean> =>
    e.edited === true
      ? pipe(
          bestEffort("reaction", forge.react(e.pr, e.comment.id, "eyes")),
          TE.map(() => true),
        )
      : forge.react(e.pr, e.comment.id, "eyes");

  /** Runs `then` with the commenter's role when it may run `name`; otherwise refuses. Any API error denies. */
  const authorized = (
    e: CommentEvent,
    name: CommandName,
    then: (role: Approval["role"]) => TE.TaskEither<PipelineError, CommentOutcome>,
  ): TE.TaskEither<PipelineError, CommentOutcome> =>
    pipe(
      forge.getPermission({ owner: e.pr.owner, repo: e.pr.repo }, e.comment.author),
      TE.matchE(
        (err) => {
          logger.warn("permission check failed; denying", { error: describeError(err) });
          return refuse(e.pr, e.comment.id, "permission unknown", messages.permissionUnknown(e.comment.author.login));
        },
        (role) => {
          const needed = config.requiredRole[name];
          if (hasRole(role, needed)) return then(role);
          return refuse(
            e.pr,
            e.comment.id,
            `role ${role} below ${needed}`,
            messages.denied(e.comment.author.login, needed, role),
          );
        },
      ),
    );

  const dispatch = (
    e: CommentEvent,
    cmd: Command,
    role: Approval["role"],
  ): TE.TaskEither<PipelineError, CommentOutcome> => {
    switch (cmd.name) {
      case "help":
        return pipe(
          forge.reply(e.pr, help),
          TE.map(() => handled("help")),
        );
      case "cancel":
        return cancel(e, cmd);
      case "promote":
        return promote(e, cmd);
      case "run":
        return approve(e, cmd, role);
    }
  };

  const approve = (
    e: CommentEvent,
    cmd: Command,
    role: Approval["role"],
  ): TE.TaskEither<PipelineError, CommentOutcome> => {
    const { experimentId, sha, params } = splitArgs(cmd, config.defaultExperiment);
    const experiment = findExperiment(experimentId);
    if (O.isNone(experiment)) {
      return refuse(
        e.pr,
        e.comment.id,
        "unknown experiment",
        messages.unknownExperiment(
          experimentId,
          ctx.ports.experiments.map((x) => x.id),
        ),
      );
    }
    const checked = experiment.value.parseParams(params);
    if (E.isLeft(checked)) {
      return refuse(e.pr, e.comment.id, "bad parameters", messages.badCommand([describeError(checked.left)], help));
    }
    return pipe(
      forge.getPullRequest(e.pr),
      TE.flatMap((pr): TE.TaskEither<PipelineError, CommentOutcome> => {
        if (pr.state !== "open")
          return refuse(
            e.pr,
            e.comment.id,
            "pull request not open",
            messages.prNotOpen(pr.merged ? "merged" : "closed"),
          );
        if (!pr.headRepoAvailable)
          return refuse(e.pr, e.comment.id, "head repository deleted", messages.headRepoGone());
        // An explicit sha= must equal the head exactly: no prefixes, no case folding (check 14).
        if (sha !== undefined && sha !== pr.headSha)
          return refuse(e.pr, e.comment.id, "sha mismatch", messages.shaMismatch(sha, pr.headSha));
        const go = () => record(e, cmd, role, pr, experimentId, checked.right);
        // Named by the approver, the commit is the reviewed one whenever it was pushed.
        return sha === undefined ? ifPushedBeforeComment(e, pr, go) : go();
      }),
    );
  };

  /**
   * Goes on only when the head was pushed before the comment was written; refuses otherwise.
   * Without this, commits pushed between the comment and its handling would run as approved.
   * Both times are the forge's, so no clock skew; equal times count as after.
   */
  const ifPushedBeforeComment = (
    e: CommentEvent,
    pr: PullRequest,
    proceed: () => TE.TaskEither<PipelineError, CommentOutcome>,
  ): TE.TaskEither<PipelineError, CommentOutcome> => {
    const unknown = (reason: string) => refuse(e.pr, e.comment.id, reason, messages.pushTimeUnknown(pr.headSha));
    return pipe(
      forge.headPushedAt(pr),
      TE.matchEW(
        (err) => {
          logger.warn("push time lookup failed; refusing", { error: describeError(err) });
          return unknown("push time unknown");
        },
        O.match(
          () => (config.unknownPushTime === "allow" ? proceed() : unknown("push time unknown")),
          (pushedAt) => {
            const pushed = Date.parse(pushedAt);
            const commented = Date.parse(e.comment.createdAt);
            if (Number.isNaN(pushed) || Number.isNaN(commented)) return unknown("push time unreadable");
            return pushed < commented
              ? proceed()
              : refuse(
                  e.pr,
                  e.comment.id,
                  "head pushed after the comment",
                  messages.pushedAfterComment(pr.headSha, pushedAt, e.comment.createdAt),
                );
          },
        ),
      ),
    );
  };

  const record = (
    e: CommentEvent,
    cmd: Command,
    role: Approval["role"],
    pr: PullRequest,
    experimentId: string,
    params: Readonly<Record<string, string>>,
  ): TE.TaskEither<PipelineError, CommentOutcome> => {
    const approval: Approval = {
      id: `${runKeyId(toRunKey(e.pr, experimentId))}@${e.comment.id}`,
      runKey: toRunKey(e.pr, experimentId),
      experimentId,
      pr: e.pr,
      pinnedSha: pr.headSha,
      approver: e.comment.author,
      role,
      commentId: e.comment.id,
      commentCreatedAt: e.comment.createdAt,
      approvedAt: clock.now().toISOString(),
      command: cmd,
      params,
    };
    // The record is written before the label exists, so a label event never finds a gap (check 19).
    // No reply: the 👀 says it was received, the living comment (opened by the first approval)
    // says what was approved, and the 🚀 says it started.
    return pipe(
      approvals.save(approval),
      TE.flatMap(() => forge.addLabel(e.pr, config.label)),
      TE.map((): CommentOutcome => ({ _tag: "Approved", approval })),
    );
  };

  return onComment;
};
