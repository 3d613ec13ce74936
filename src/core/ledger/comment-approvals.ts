/**
 * An ApprovalStore with no database: a pending approval is kept, signed, in the head of the
 * living comment of its pull request × experiment (approval-book.ts), the comment that will carry
 * the run's report; a first approval creates that comment, saying what was approved. Only the
 * bot's own comments are read (the Forge guarantees that). The same books record handled edits
 * (`claim`), in the pull request's oldest living comment.
 *
 * `take` writes nothing: what makes an approval single-use is the bot's 🚀 on its command, which
 * the host adds atomically when the run starts; the run's first report then clears it from the
 * book (report-comment.ts). So starting a run costs no comment write of its own.
 *
 * Concurrency: operations on one pull request are serialised within the process. Comments have
 * no conditional update, so two processes can lose each other's writes here. That cannot start a
 * run twice: the pipeline claims each comment (👀) and each start (🚀) through reactions, which
 * the host adds atomically. A lost write can only drop a pending approval (nothing runs; comment
 * again), so one worker per repository (an Actions concurrency group) is still the smooth setup.
 */
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { storeUnavailable, type StoreError } from "../errors.js";
import { messages } from "../messages.js";
import type { Approval, RepoPullNumber } from "../model.js";
import type { ApprovalStore, BotComment, Forge, StalePush } from "../ports.js";
import { stalePayload, type StaleMark } from "./stale-mark.js";
import { EMPTY_BOOK, readBook, writeBook, type Book, type Bookkeeping } from "./approval-book.js";
import { readHead, renderedPart, writeHead } from "./comment-head.js";
import { reportMarker } from "./markers.js";
import { withNotice } from "./notice.js";

/**
 * Options of {@link createCommentApprovalStore}.
 *
 * @example
 * const config: CommentApprovalConfig = { maxAgeMs: 30 * 60 * 1000 };
 * @internal */
export type CommentApprovalConfig = {
  /** An approval older than this is not used (a revoked maintainer's approval cannot run hours later). Default 1 h. */
  readonly maxAgeMs?: number | undefined;
};

/** An ApprovalStore that also remembers handled edits, so a replayed edit is not handled twice. @internal */
export type CommentApprovalStore = ApprovalStore & {
  /**
   * Records `key` (e.g. `comment:<id>:edited:<time>`) for the pull request; true when it was
   * new, false when it was seen before (a redelivery or replay to drop). With no living comment
   * on the pull request yet there is nowhere to record it: true, unrecorded.
   */
  readonly claim: (pr: RepoPullNumber, key: string) => TE.TaskEither<StoreError, boolean>;
};

type Living = { readonly marker: string; readonly comment: BotComment; readonly book: E.Either<StoreError, Book> };

const REPORT_LINE = /^<!-- ml-chatops:report \S+ -->$/;
/** What the approval pinned, shown until the run's first report replaces the rendered part. */
const approvedText = (a: Approval): string => messages.approved(a.pinnedSha, a.experimentId);

const prId = (pr: RepoPullNumber): string => `${pr.owner}/${pr.repo}#${pr.number}`.toLowerCase();

/**
 * Creates the store over the bot's Forge.
 *
 * @example
 * const approvals = createCommentApprovalStore(forge, { seal, clock });
 * await approvals.take(pr)(); // Right(Some(approval)) once, then Right(None)
 * @internal */
export const createCommentApprovalStore = (
  forge: Pick<Forge, "listComments" | "upsertComment">,
  bookkeeping: Bookkeeping,
  config: CommentApprovalConfig = {},
): CommentApprovalStore => {
  const maxAgeMs = config.maxAgeMs ?? 60 * 60 * 1000;
  const now = () => (bookkeeping.clock?.now() ?? new Date()).getTime();
  const fromForge = (e: unknown): StoreError => storeUnavailable("comment approvals", e);

  const living = (pr: RepoPullNumber): TE.TaskEither<StoreError, ReadonlyArray<Living>> =>
    pipe(
      forge.listComments(pr),
      TE.mapError(fromForge),
      TE.map((cs) =>
        cs.flatMap((comment) => {
          const marker = comment.body.split(/\r?\n/, 1)[0] ?? "";
          if (!REPORT_LINE.test(marker)) return [];
          const signed = readHead(comment.body, marker)?.["approvals:v3"];
          return [{ marker, comment, book: readBook(bookkeeping, marker, signed, comment.updatedAt) }];
        }),
      ),
    );

  /**
   * Rewrites the book of an existing living comment, keeping the rest of its body; a new pending
   * approval is announced above the last report, so the approver sees the commit it pinned (check 10).
   */
  const rewrite = (
    pr: RepoPullNumber,
    l: Living,
    book: Book,
    opts: { readonly announce?: Approval; readonly stale?: StaleMark | undefined } = {},
  ): TE.TaskEither<StoreError, void> => {
    const found = readHead(l.comment.body, l.marker) ?? {};
    // A new approval replaces a push's mark: its run, at whatever commit, is not stale.
    const head = opts.announce === undefined ? found : { ...found, stale: undefined };
    const text =
      opts.announce !== undefined
        ? approvedText(opts.announce)
        : opts.stale !== undefined
          ? messages.approvalStale(opts.stale.pinnedSha, opts.stale.by)
          : undefined;
    const rendered = text === undefined ? renderedPart(l.comment.body) : withNotice(renderedPart(l.comment.body), text);
    const signed = writeBook(bookkeeping, l.marker, book);
    const marked = opts.stale === undefined ? {} : { stale: stalePayload(opts.stale) };
    const body = `${writeHead(l.marker, { ...head, ...marked, "approvals:v3": signed })}\n${rendered}`;
    return pipe(
      forge.upsertComment(pr, l.marker, body),
      TE.mapError(fromForge),
      TE.map(() => undefined),
    );
  };

  /** The first approval of a pull request × experiment opens its living comment, saying so. */
  const open = (a: Approval): TE.TaskEither<StoreError, void> => {
    const marker = reportMarker(a.runKey);
    const book = writeBook(bookkeeping, marker, { ...EMPTY_BOOK, pending: a });
    const body = `${writeHead(marker, { "approvals:v3": book })}\n${withNotice("", approvedText(a)).trimEnd()}`;
    return pipe(
      forge.upsertComment(a.pr, marker, body),
      TE.mapError(fromForge),
      TE.map(() => undefined),
    );
  };

  // Any book that does not verify starts over empty when written, so a corrupt comment cannot wedge a PR.
  const bookOf = (l: Living): Book => (E.isRight(l.book) ? l.book.right : EMPTY_BOOK);
  const cleared = (ls: ReadonlyArray<Living>, except?: string) =>
    ls.filter((l) => l.marker !== except && (E.isLeft(l.book) || l.book.right.pending !== null));
  const clearAll = (pr: RepoPullNumber, ls: ReadonlyArray<Living>, push?: StalePush): TE.TaskEither<StoreError, void> =>
    pipe(
      TE.traverseSeqArray((l: Living) => {
        const dropped = bookOf(l).pending;
        // Its run may be going without a report yet: mark it, so it keeps and publishes nothing.
        const stale =
          push !== undefined && dropped !== null && dropped.pinnedSha !== push.headSha
            ? { pinnedSha: dropped.pinnedSha, by: push.by }
            : undefined;
        return rewrite(pr, l, { ...bookOf(l), pending: null }, { stale });
      })(ls),
      TE.map(() => undefined),
    );

  // One read-modify-write at a time per pull request.
  const tails = new Map<string, Promise<unknown>>();
  const serial =
    <A>(pr: RepoPullNumber, task: TE.TaskEither<StoreError, A>): TE.TaskEither<StoreError, A> =>
    () => {
      const key = prId(pr);
      const run = (tails.get(key) ?? Promise.resolve()).then(() => task());
      tails.set(
        key,
        run.catch(() => undefined),
      );
      return run;
    };

  const fresh = (a: Approval): boolean => now() - Date.parse(a.approvedAt) <= maxAgeMs;

  const take = (pr: RepoPullNumber): TE.TaskEither<StoreError, O.Option<Approval>> =>
    pipe(
      living(pr),
      TE.flatMap((ls) => {
        // Refused, not guessed: a book that does not verify may have held the pending approval.
        const corrupt = ls.find((l) => E.isLeft(l.book));
        if (corrupt !== undefined && E.isLeft(corrupt.book)) return TE.left(corrupt.book.left);
        const pending = ls
          .flatMap((l) => {
            const p = bookOf(l).pending;
            return p === null ? [] : [{ l, p }];
          })
          .sort((x, y) => Date.parse(y.p.approvedAt) - Date.parse(x.p.approvedAt));
        const [chosen] = pending;
        return TE.right(chosen !== undefined && fresh(chosen.p) ? O.some(chosen.p) : O.none);
      }),
    );

  return {
    // Replaces any pending approval of the pull request, in whichever comment it is.
    save: (approval) =>
      serial(
        approval.pr,
        pipe(
          living(approval.pr),
          TE.flatMap((ls) => {
            const marker = reportMarker(approval.runKey);
            const target = ls.find((l) => l.marker === marker);
            return pipe(
              clearAll(approval.pr, cleared(ls, marker)),
              TE.flatMap(() =>
                target === undefined
                  ? open(approval)
                  : rewrite(approval.pr, target, { ...bookOf(target), pending: approval }, { announce: approval }),
              ),
            );
          }),
        ),
      ),
    take: (pr) => serial(pr, take(pr)),
    revoke: (pr, push) =>
      serial(
        pr,
        pipe(
          living(pr),
          TE.flatMap((ls) => clearAll(pr, cleared(ls), push)),
        ),
      ),
    claim: (pr, key) =>
      serial(
        pr,
        pipe(
          living(pr),
          TE.flatMap((ls) => {
            if (ls.some((l) => bookOf(l).keys.includes(key))) return TE.right(false);
            const [oldest] = ls;
            if (oldest === undefined) return TE.right(true);
            const book = bookOf(oldest);
            return pipe(
              rewrite(pr, oldest, { ...book, keys: [...book.keys, key] }),
              TE.map(() => true),
            );
          }),
        ),
      ),
  };
};
