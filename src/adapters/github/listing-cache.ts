/**
 * Conditional reads of GitHub listings (ETag / If-None-Match), on conditional-cache.ts. A listing
 * page read once is kept with its validator; every later read of the same URL still asks GitHub,
 * with If-None-Match, so a change by any other process is seen at once, but an unchanged page
 * comes back as a 304, which GitHub does not count against the rate limit. Nothing is ever
 * answered from memory without GitHub saying it is current. A write through the owner of the
 * cache forgets what it touched.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { createConditionalCache, type ConditionalAnswer } from "./conditional-cache.js";

/** One page as the caller needs it: its items, whether GitHub names a next page, and whether it was a 304. @internal */
export type ListingPage<A> = {
  readonly items: ReadonlyArray<A>;
  /** Items on the page as GitHub sent it (before the caller's decode), to tell a full page. */
  readonly size: number;
  readonly link: string | undefined;
  readonly notModified: boolean;
};

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
  const pages = createConditionalCache<Omit<ListingPage<A>, "notModified">>(maxPages);
  return {
    /** Reads `key`'s page: a full read the first time, a conditional one after (see conditional-cache.ts). */
    read: <E>(
      key: string,
      fetchPage: (etag: string | undefined) => Promise<ConditionalAnswer>,
      decode: (data: unknown) => TE.TaskEither<E, { readonly items: ReadonlyArray<A>; readonly size: number }>,
      onError: (e: unknown) => E,
    ): TE.TaskEither<E, ListingPage<A>> =>
      pipe(
        pages.read(
          key,
          fetchPage,
          (data, headers) =>
            pipe(
              decode(data),
              TE.map((d) => ({ ...d, link: headers.link })),
            ),
          onError,
        ),
        TE.map(({ value, notModified }) => ({ ...value, notModified })),
      ),
    /** Forgets every page whose key starts with `prefix` (after a write to that listing). */
    forget: pages.forget,
    /** How many pages are held (for tests of the bound). */
    size: pages.size,
  };
};

/** @internal */
export type ListingCache<A> = ReturnType<typeof createListingCache<A>>;
