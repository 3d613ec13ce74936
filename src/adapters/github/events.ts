/**
 * Webhook payloads → pipeline events. Codecs cover only the fields we use (`t.type` tolerates the
 * rest); a malformed payload is an error naming the path. Events the pipeline must not act on
 * (plain issues, closed PRs, bots, ourselves, edits, stale or ghost-authored comments) become
 * `Ignored` with a reason for the log line.
 */
import * as t from "io-ts";
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import { reportErrors } from "./decode.js";
import { Sha, type Actor, type RepoPullNumber } from "../../core/model.js";
import type { CommentEvent, LabelEvent, PushEvent } from "../../core/pipeline.js";

const Account = t.type({ login: t.string, id: t.number, type: t.string });
const Repository = t.type({ name: t.string, owner: t.type({ login: t.string }) });

/** The parts of an `issue_comment` payload we read. @internal */
export const IssueCommentPayload = t.intersection([
  t.type({
    action: t.string,
    issue: t.intersection([
      t.type({ number: t.number, state: t.string }),
      t.partial({ pull_request: t.union([t.UnknownRecord, t.null]) }),
    ]),
    comment: t.type({
      id: t.number,
      body: t.union([t.string, t.null]),
      user: t.union([Account, t.null]),
      created_at: t.string,
      updated_at: t.string,
    }),
    repository: Repository,
    sender: t.union([Account, t.null]),
  }),
  t.partial({ installation: t.union([t.type({ id: t.number }), t.null]) }),
]);
export type IssueCommentPayload = t.TypeOf<typeof IssueCommentPayload>;

/** The parts of a `pull_request` payload we read. @internal */
export const PullRequestPayload = t.intersection([
  t.type({
    action: t.string,
    number: t.number,
    pull_request: t.type({ state: t.string, head: t.type({ sha: t.string }) }),
    repository: Repository,
    sender: t.union([Account, t.null]),
  }),
  t.partial({ label: t.type({ name: t.string }), installation: t.union([t.type({ id: t.number }), t.null]) }),
]);
export type PullRequestPayload = t.TypeOf<typeof PullRequestPayload>;

/** A decoded delivery, routed to the pipeline entry point that handles it. */
export type GitHubEvent =
  | { readonly _tag: "Comment"; readonly event: CommentEvent }
  | { readonly _tag: "Label"; readonly event: LabelEvent }
  | { readonly _tag: "Push"; readonly event: PushEvent }
  /** The PR was closed: pending approvals are dropped like on a push. */
  | { readonly _tag: "Closed"; readonly event: PushEvent }
  | { readonly _tag: "Ignored"; readonly reason: string };

export type EventOptions = {
  /** Our bot's user id: its own comments are ignored (no reply loops). */
  readonly botId?: number | undefined;
  /** Handle `edited` comments; the editor (sender) is the one authorised. Default false. */
  readonly allowEdits?: boolean | undefined;
  /** Ids of other Apps' bot users whose comments may trigger. Default none. */
  readonly allowedBotIds?: ReadonlyArray<number> | undefined;
  /** Comments older than this are dropped (replays of old captured deliveries). Default 24 h. */
  readonly maxCommentAgeMs?: number | undefined;
  /** Webhook/App mode: a delivery without `installation` is ignored. */
  readonly requireInstallation?: boolean | undefined;
  readonly now: Date;
};

const DAY_MS = 24 * 60 * 60 * 1000;
// GitHub's placeholder for deleted accounts.
const GHOST = { login: "ghost", id: 10137 };

const ignored = (reason: string): GitHubEvent => ({ _tag: "Ignored", reason });

const decode = <A>(codec: t.Decoder<unknown, A>, name: string, payload: unknown): E.Either<string, A> =>
  pipe(
    codec.decode(payload),
    E.mapLeft((errs) => `malformed ${name} payload: ${reportErrors(errs)}`),
  );

/**
 * The content identity of a comment event, for deduplication: the comment id, plus the edit
 * time for an edit (each edit is a new command; a replay of one edit is not).
 *
 * @example
 * commentKey(event); // "comment:42", or "comment:42:edited:2026-01-01T00:00:00Z"
 * @internal */
export const commentKey = (e: CommentEvent): string =>
  `comment:${e.comment.id}${e.edited === true ? `:edited:${e.comment.createdAt}` : ""}`;

const isGhost = (a: Actor): boolean => a.id === GHOST.id && a.login === GHOST.login;

const fromComment = (p: IssueCommentPayload, o: EventOptions): GitHubEvent => {
  const pr: RepoPullNumber = { owner: p.repository.owner.login, repo: p.repository.name, number: p.issue.number };
  if (o.requireInstallation === true && (p.installation === undefined || p.installation === null))
    return ignored("no installation in payload");
  if (p.action !== "created" && !(p.action === "edited" && o.allowEdits === true))
    return ignored(`comment ${p.action}`);
  if (p.issue.pull_request === undefined || p.issue.pull_request === null)
    return ignored("comment on an issue, not a pull request");
  if (p.issue.state !== "open") return ignored("pull request is closed");
  // For `edited` the sender is the editor, who may differ from the author: the editor is checked.
  const actor = p.action === "edited" ? p.sender : p.comment.user;
  if (actor === null || p.sender === null || isGhost(actor)) return ignored("no usable sender (deleted user)");
  if (o.botId !== undefined && (actor.id === o.botId || p.sender.id === o.botId)) return ignored("comment by this bot");
  const bot = [actor, p.sender].find((a) => a.type === "Bot" && !(o.allowedBotIds ?? []).includes(a.id));
  if (bot !== undefined) return ignored(`comment by bot ${bot.login}`);
  const created = Date.parse(p.comment.created_at);
  if (Number.isNaN(created)) return ignored("comment created_at is not a date");
  if (o.now.getTime() - created > (o.maxCommentAgeMs ?? DAY_MS))
    return ignored("comment is too old (stale or replayed delivery)");
  // An edit approves at the moment of the edit, so that is the time the head must predate.
  const edited = p.action === "edited";
  const at = edited ? p.comment.updated_at : p.comment.created_at;
  return {
    _tag: "Comment",
    event: {
      pr,
      comment: {
        id: p.comment.id,
        body: p.comment.body ?? "",
        author: { login: actor.login, id: actor.id },
        createdAt: at,
      },
      ...(edited ? { edited } : {}),
    },
  };
};

const fromPull = (p: PullRequestPayload, o: EventOptions): E.Either<string, GitHubEvent> => {
  const pr: RepoPullNumber = { owner: p.repository.owner.login, repo: p.repository.name, number: p.number };
  if (o.requireInstallation === true && (p.installation === undefined || p.installation === null))
    return E.right(ignored("no installation in payload"));
  if (p.sender === null) return E.right(ignored("no sender"));
  const head = (): E.Either<string, Sha> =>
    Sha.is(p.pull_request.head.sha)
      ? E.right(p.pull_request.head.sha)
      : E.left(`malformed pull_request payload: pull_request.head.sha is not a 40-hex SHA`);
  switch (p.action) {
    case "labeled":
      return p.label === undefined
        ? E.left("malformed pull_request payload: label is missing on a labeled event")
        : E.right({
            _tag: "Label",
            event: { pr, label: p.label.name, sender: { login: p.sender.login, id: p.sender.id } },
          });
    case "synchronize":
      return pipe(
        head(),
        E.map((headSha): GitHubEvent => ({ _tag: "Push", event: { pr, headSha } })),
      );
    case "closed":
      return pipe(
        head(),
        E.map((headSha): GitHubEvent => ({ _tag: "Closed", event: { pr, headSha } })),
      );
    default:
      return E.right(ignored(`pull_request ${p.action}`));
  }
};

/**
 * Decodes one delivery (`X-GitHub-Event` name + parsed JSON body).
 *
 * @example
 * decodeGitHubEvent("issue_comment", payload, { botId: 4242, now: new Date() });
 * // Right({ _tag: "Comment", event }) | Right({ _tag: "Ignored", reason }) | Left("malformed … payload: …")
 */
export const decodeGitHubEvent = (name: string, payload: unknown, o: EventOptions): E.Either<string, GitHubEvent> => {
  switch (name) {
    case "issue_comment":
      return pipe(
        decode(IssueCommentPayload, name, payload),
        E.map((p) => fromComment(p, o)),
      );
    case "pull_request":
    case "pull_request_target":
      return pipe(
        decode(PullRequestPayload, name, payload),
        E.flatMap((p) => fromPull(p, o)),
      );
    default:
      return E.right(ignored(`event ${name} is not handled`));
  }
};
