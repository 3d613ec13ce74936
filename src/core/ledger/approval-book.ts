/**
 * The signed bookkeeping of one living comment: its pending approval and the handled edits,
 * in the head line `approvals:v3` (comment-head.ts). The signature binds it to the comment's
 * marker (the pull request × experiment), so a line copied into another comment is refused.
 *
 * Freshness (SECURITY-CHECKLIST 84): anyone who can edit the comment can copy an older, validly
 * signed revision back from its edit history (a consumed approval restored). So the signed state
 * carries the time the bot wrote it, every write of the comment by the bot signs it anew, and a
 * state whose comment was edited more than `maxClockSkewMs` after that time is refused as
 * corrupt. A restore inside that window can only bring back what the 👀/🚀 claims already guard.
 */
import * as t from "io-ts";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { pipe } from "fp-ts/function";
import { storeCorrupt, type StoreError } from "../errors.js";
import { Approval } from "../model.js";
import type { Clock, Seal } from "../ports.js";
import { decodeBase64Url, encodeBase64Url } from "../report/base64url.js";

/**
 * How the bot signs the bookkeeping in its living comments. Every writer of those comments gets
 * the same one: a write that kept the old signed line would make it look restored, and refused.
 *
 * @example
 * const bookkeeping: Bookkeeping = { seal, clock, maxClockSkewMs: 120_000 };
 */
export type Bookkeeping = {
  readonly seal: Seal;
  readonly clock?: Clock | undefined;
  /**
   * How much later than the bot's own clock at writing the comment may show as last edited before
   * the state counts as restored from its edit history. Default 2 min (clock skew and API latency).
   */
  readonly maxClockSkewMs?: number | undefined;
};

/** A comment's pending approval and the claim keys it recorded, newest last. @internal */
export type Book = {
  readonly pending: Approval | null;
  readonly keys: ReadonlyArray<string>;
  /** How many times the bot wrote it. */
  readonly version: number;
};

/** The bookkeeping of a comment that has none. @internal */
export const EMPTY_BOOK: Book = { pending: null, keys: [], version: 0 };

/** Claim keys kept per comment: the handled edits, oldest dropped first. @internal */
export const MAX_BOOK_KEYS = 50;

const Signed = t.type({
  pending: t.union([Approval, t.null]),
  keys: t.array(t.string),
  version: t.number,
  writtenAt: t.string,
});

const STORE = "comment approvals";
const signedText = (marker: string, data: string): string => `v3\n${marker}\n${data}`;
const nowOf = (b: Bookkeeping): Date => b.clock?.now() ?? new Date();
/** `octo/kw#7:tfidf-keywords` for its report marker, for messages. */
const nameOf = (marker: string): string => /^<!-- ml-chatops:report (\S+) -->$/.exec(marker)?.[1] ?? "a comment";

const parseJson = (text: string): O.Option<unknown> => {
  try {
    return O.some(JSON.parse(text) as unknown);
  } catch {
    return O.none;
  }
};

/**
 * The book in a comment's `approvals:v3` payload (EMPTY_BOOK when there is none), checked
 * against its signature and its comment's last edit time `updatedAt`.
 *
 * @example
 * readBook(bookkeeping, marker, head["approvals:v3"], comment.updatedAt); // Right({ pending, keys, version })
 * @internal */
export const readBook = (
  b: Bookkeeping,
  marker: string,
  payload: string | undefined,
  updatedAt: string,
): E.Either<StoreError, Book> => {
  if (payload === undefined) return E.right(EMPTY_BOOK);
  const [data = "", signature = ""] = payload.split(" ");
  if (!b.seal.verify(signedText(marker, data), signature))
    return E.left(
      storeCorrupt(STORE, `the bookkeeping in the living comment of ${nameOf(marker)} was altered (bad signature)`),
    );
  return pipe(
    decodeBase64Url(data),
    O.flatMap(parseJson),
    O.flatMap((json) => O.fromEither(Signed.decode(json))),
    E.fromOption(() =>
      storeCorrupt(STORE, `the bookkeeping in the living comment of ${nameOf(marker)} does not match its codec`),
    ),
    E.filterOrElse(
      (s) => Date.parse(updatedAt) - Date.parse(s.writtenAt) <= (b.maxClockSkewMs ?? 2 * 60 * 1000),
      (s) =>
        storeCorrupt(
          STORE,
          `the bookkeeping in the living comment of ${nameOf(marker)} holds version ${s.version} written at ${s.writtenAt} but the comment was edited at ${updatedAt} (an older revision restored)`,
        ),
    ),
    E.map((s) => ({ pending: s.pending, keys: s.keys, version: s.version })),
  );
};

/**
 * The `approvals:v3` payload of `book`, one version on and signed at the bot's time now.
 *
 * @example
 * writeHead(marker, { ...head, "approvals:v3": writeBook(bookkeeping, marker, book) });
 * @internal */
export const writeBook = (b: Bookkeeping, marker: string, book: Book): string => {
  const signed: t.TypeOf<typeof Signed> = {
    pending: book.pending,
    keys: book.keys.slice(-MAX_BOOK_KEYS),
    version: book.version + 1,
    writtenAt: nowOf(b).toISOString(),
  };
  const data = encodeBase64Url(JSON.stringify(Signed.encode(signed)));
  return `${data} ${b.seal.sign(signedText(marker, data))}`;
};

/**
 * The `approvals:v3` payload a new write of the comment carries: the book checked against the
 * comment's last edit and signed anew (after `change`), or dropped when it does not verify, since
 * signing an unverified book anew would launder a restored revision. Without `b` (no approvals
 * kept in comments) the payload is carried as found.
 *
 * @example
 * const approvals = resignBook(bookkeeping, marker, head["approvals:v3"], comment.updatedAt);
 * @internal */
export const resignBook = (
  b: Bookkeeping | undefined,
  marker: string,
  payload: string | undefined,
  updatedAt: string,
  change: (book: Book) => Book = (book) => book,
): string | undefined =>
  b === undefined || payload === undefined
    ? payload
    : pipe(
        readBook(b, marker, payload, updatedAt),
        E.match(
          () => undefined,
          (book) => writeBook(b, marker, change(book)),
        ),
      );
