/**
 * Conditional reads of GitHub resources (ETag / If-None-Match), shared by the comment listing
 * (listing-cache.ts) and the contents API (contents-cache.ts). An answer read once is kept,
 * decoded, with its validator; every later read of the same key still asks GitHub, with
 * If-None-Match, so a change by any other process is seen at once, but an unchanged resource comes
 * back as a 304, which GitHub does not count against the rate limit. Nothing is ever answered from
 * memory without GitHub saying it is current. A write through the owner of the cache forgets what
 * it touched.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { statusOf } from "./errors.js";

/** What a read needs of GitHub's answer. @internal */
export type ConditionalAnswer = {
  readonly data: unknown;
  readonly headers: { readonly etag?: string | undefined; readonly link?: string | undefined };
};

/** A decoded answer, and whether GitHub confirmed the kept one (304). @internal */
export type ConditionalRead<A> = { readonly value: A; readonly notModified: boolean };

type Entry<A> = { readonly etag: string; readonly value: A };

/**
 * Creates a cache of at most `maxEntries` answers; the least recently read go first.
 *
 * @example
 * const cache = createConditionalCache<string>(64);
 * const r = cache.read("octo/kw:README.md", (etag) => request(etag), (data) => TE.right(String(data)), onError);
 * @internal */
export const createConditionalCache = <A>(maxEntries: number) => {
  const entries = new Map<string, Entry<A>>();
  const keep = (key: string, e: Entry<A>) => {
    entries.delete(key);
    entries.set(key, e);
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
  };
  return {
    /**
     * Reads `key`: a full read the first time, a conditional one after. `fetch(etag)` sends the
     * request (with `If-None-Match: etag` when given); an answer without an ETag is not kept. A
     * 304 for a key the cache does not hold (evicted or forgotten meanwhile) cannot happen:
     * without an entry no validator is sent.
     */
    read: <E>(
      key: string,
      fetch: (etag: string | undefined) => Promise<ConditionalAnswer>,
      decode: (data: unknown, headers: ConditionalAnswer["headers"]) => TE.TaskEither<E, A>,
      onError: (e: unknown) => E,
    ): TE.TaskEither<E, ConditionalRead<A>> => {
      type Answer = { readonly fresh: ConditionalAnswer } | { readonly same: Entry<A> };
      // The validator is looked up when the read runs, not when the task is built.
      const run = (known: Entry<A> | undefined): TE.TaskEither<E, ConditionalRead<A>> =>
        pipe(
          TE.tryCatch<E, Answer>(
            () =>
              fetch(known?.etag).then(
                (fresh) => ({ fresh }),
                (e: unknown) => {
                  if (statusOf(e) === 304 && known !== undefined) return { same: known };
                  throw e;
                },
              ),
            onError,
          ),
          TE.flatMap((a): TE.TaskEither<E, ConditionalRead<A>> => {
            if ("same" in a) {
              keep(key, a.same);
              return TE.right({ value: a.same.value, notModified: true });
            }
            return pipe(
              decode(a.fresh.data, a.fresh.headers),
              TE.map((value) => {
                const etag = a.fresh.headers.etag;
                if (etag === undefined) entries.delete(key);
                else keep(key, { etag, value });
                return { value, notModified: false };
              }),
            );
          }),
        );
      return () => run(entries.get(key))();
    },
    /** Forgets every answer whose key starts with `prefix` (after a write to that resource). */
    forget: (prefix: string): void => {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    /** How many answers are held (for tests of the bound). */
    size: (): number => entries.size,
  };
};
