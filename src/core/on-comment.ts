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
import { failureMarker, inlineCode, messages } from "./messages.js";
import { checkPromotion } from "./promote-guard.js";
import { hasRole, runKeyId, toRunKey } from "./model.js";
import type { Approval, Command, CommandName, PullRequest } from "./model.js";
import type { CommentEvent, CommentOutcome, PipelineContext } from "./pipeline-context.js";
import type { StoredResult } from "./ports.js";

/** @internal Builds `onComment`. */
export const createCommentHandler = (ctx: PipelineContext) => {
  const { config, logger, clock, help, bestEffort, refuse, findExperiment } = ctx;
  const { forge, runner, approvals, ledger } = ctx.ports;

  const onComment = (e: CommentEvent): TE.TaskEither<PipelineError, CommentOutcome> => {
    if (e.comment.author.id === config.botActorId) {
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

  // Line 2 of the failure reply while the command stays failed (a retry then handles it again).
  const FAILED = "<!-- ml-chatops:command-state:failed -->";

  /**
   * Every claimed command gets an answer: a failure after the 👀 (a refused write, an API
   * error) gets one reply naming what failed, upserted under a marker so retries keep it one.
   * The failure stays an error for the caller (a job exits non-zero).
   */
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

  const handled = (command: CommandName): CommentOutcome => ({ _tag: "Handled", command });

  /** `experiment=` picks the experiment; it and `sha=` are the pipeline's, the rest are the experiment's. */
  const splitArgs = (cmd: Command) => {
    const { experiment = config.defaultExperiment, sha, ...rest } = cmd.args;
    return { experimentId: experiment, sha, params: rest };
  };

  const approve = (
    e: CommentEvent,
    cmd: Command,
    role: Approval["role"],
  ): TE.TaskEither<PipelineError, CommentOutcome> => {
    const { experimentId, sha, params } = splitArgs(cmd);
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
    return pipe(
      approvals.save(approval),
      TE.flatMap(() => forge.addLabel(e.pr, config.label)),
      TE.flatMap(() =>
        bestEffort("reply", forge.reply(e.pr, messages.approved(pr.headSha, experimentId, config.label))),
      ),
      TE.map((): CommentOutcome => ({ _tag: "Approved", approval })),
    );
  };

  const cancel = (e: CommentEvent, cmd: Command): TE.TaskEither<PipelineError, CommentOutcome> => {
    const key = toRunKey(e.pr, splitArgs(cmd).experimentId);
    return pipe(
      approvals.revoke(e.pr),
      TE.flatMap(() => ledger.active(key)),
      TE.flatMap((active) =>
        O.isNone(active)
          ? forge.reply(e.pr, messages.nothingToCancel())
          : pipe(
              runner.cancel(active.value),
              TE.flatMap(() => forge.reply(e.pr, messages.cancelled(active.value.id))),
            ),
      ),
      TE.map(() => handled("cancel")),
    );
  };

  const promote = (e: CommentEvent, cmd: Command): TE.TaskEither<PipelineError, CommentOutcome> => {
    const { experimentId, params } = splitArgs(cmd);
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
          TE.flatMap(() => forge.reply(e.pr, messages.promoted(latest.sha, experimentId, verdict.right.overridden))),
          TE.map(() => handled("promote")),
        );
      }),
    );
  };

  return onComment;
};
