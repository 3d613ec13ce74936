/**
 * Conditional reads of GitHub listings (ETag / If-None-Match). A listing page read once is kept
 * with its validator; every later read of the same URL still asks GitHub, with If-None-Match, so
 * a change by any other process is seen at once, but an unchanged page comes back as a 304, which
 * GitHub does not count against the rate limit. Nothing is ever answered from memory without
 * GitHub saying it is current. A write through the owner of the cache forgets what it touched.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { statusOf } from "./errors.js";

/** One page as the caller needs it: its items, whether GitHub names a next page, and whether it was a 304. @internal */
export type ListingPage<A> = {
  readonly items: ReadonlyArray<A>;
  /** Items on the page as GitHub sent it (before the caller's decode), to tell a full page. */
  readonly size: number;
  readonly link: string | undefined;
  readonly notModified: boolean;
};

type Entry<A> = { readonly etag: string; readonly page: Omit<ListingPage<A>, "notModified"> };

/** Pages kept at most; the least recently read go first (a long-lived webhook process sees many PRs). @internal */
export const LISTING_CACHE_PAGES = 256;

/**
 * Creates the cache. `fetchPage(etag)` sends the request (with `If-None-Match: etag` when given);
 * `decode` turns the body into items.
 *
 * @example
 * const pages = createListingCache<Comment>();
 * const page = pages.read("octo/kw#7?page=1", (etag) => request({ headers: etag ? { "if-none-match": etag } : {} }), decode, onError);
 * @internal */
export const createListingCache = <A>(maxPages = LISTING_CACHE_PAGES) => {
  const entries = new Map<string, Entry<A>>();
  const keep = (key: string, e: Entry<A>) => {
    entries.delete(key);
    entries.set(key, e);
    for (const oldest of entries.keys()) {
      if (entries.size <= maxPages) break;
      entries.delete(oldest);
    }
  };
  return {
    /**
     * Reads `key`'s page: a full read the first time, a conditional one after. A 304 for a page
     * the cache does not hold (it was evicted or forgotten meanwhile) cannot happen: without an
     * entry no validator is sent.
     */
    read: <E>(
      key: string,
      fetchPage: (etag: string | undefined) => Promise<{
        readonly data: unknown;
        readonly headers: { readonly etag?: string | undefined; readonly link?: string | undefined };
      }>,
      decode: (data: unknown) => TE.TaskEither<E, { readonly items: ReadonlyArray<A>; readonly size: number }>,
      onError: (e: unknown) => E,
    ): TE.TaskEither<E, ListingPage<A>> => {
      type Answer = { readonly fresh: Awaited<ReturnType<typeof fetchPage>> } | { readonly same: Entry<A> };
      // The validator is looked up when the read runs, not when the task is built.
      const run = (known: Entry<A> | undefined): TE.TaskEither<E, ListingPage<A>> =>
        pipe(
          TE.tryCatch<E, Answer>(
            () =>
              fetchPage(known?.etag).then(
                (fresh) => ({ fresh }),
                (e: unknown) => {
                  if (statusOf(e) === 304 && known !== undefined) return { same: known };
                  throw e;
                },
              ),
            onError,
          ),
          TE.flatMap((a): TE.TaskEither<E, ListingPage<A>> => {
            if ("same" in a) {
              keep(key, a.same);
              return TE.right({ ...a.same.page, notModified: true });
            }
            return pipe(
              decode(a.fresh.data),
              TE.map((d) => {
                const page = { ...d, link: a.fresh.headers.link };
                const etag = a.fresh.headers.etag;
                if (etag === undefined) entries.delete(key);
                else keep(key, { etag, page });
                return { ...page, notModified: false };
              }),
            );
          }),
        );
      return () => run(entries.get(key))();
    },
    /** Forgets every page whose key starts with `prefix` (after a write to that listing). */
    forget: (prefix: string): void => {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    /** How many pages are held (for tests of the bound). */
    size: (): number => entries.size,
  };
};

/** @internal */
export type ListingCache<A> = ReturnType<typeof createListingCache<A>>;
