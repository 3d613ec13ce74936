/**
 * Conditional requests and the primary rate limit, as GitHub documents them ("Best practices for
 * using the REST API" → conditional requests; "Rate limits for the REST API"):
 * - every GET answer carries a weak `ETag` (`W/"…"`) that changes when the representation does,
 *   and differs from token to token; a GET whose `If-None-Match` matches it gets
 *   `304 Not Modified`, no body;
 * - an authorized request counts against its caller's hourly limit, a 304 does not; every
 *   answer to an authorized caller carries the `x-ratelimit-*` headers; past the limit GitHub
 *   answers 403 "API rate limit exceeded" with `x-ratelimit-remaining: 0` until the reset.
 */
import { createHash } from "node:crypto";
import type { FakeToken } from "./state.js";

/** One caller's hourly window: who shares it, how much of it is used, when it resets. */
export type RateLimitWindow = {
  readonly limit: number;
  used: number;
  /** epoch seconds */
  resetAt: number;
};

const HOUR_S = 3600;

/**
 * The weak validator of a representation, as seen by one credential. It covers the body only, as
 * a cache of GitHub answers must assume: a 304 says nothing about the `Link` header, so a full
 * page answered 304 may have gained a next page since. And it is specific to the token that
 * asked: GitHub support confirms that an ETag read with one token gets no 304 with another
 * (github/docs#34689), so an App's fresh installation token starts with a cold cache.
 */
export const etagOf = (bodyText: string, credential: string): string =>
  `W/"${createHash("sha256").update(credential).update("\u0000").update(bodyText).digest("hex").slice(0, 32)}"`;

/** RFC 9110 §13.1.2: `*`, or a list of entity tags compared weakly (the `W/` prefix ignored). */
export const ifNoneMatchHits = (header: string | undefined, etag: string): boolean => {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, "");
  return header.split(",").some((t) => opaque(t) === opaque(etag));
};

/**
 * Whose window a token spends: a user's tokens share the user's (5,000/h), an installation has
 * its own (5,000/h), the Actions `GITHUB_TOKEN` its repository's (1,000/h), an App JWT the App's.
 */
export const rateLimitKey = (t: FakeToken): { readonly key: string; readonly limit: number } => {
  switch (t.kind) {
    case "user":
      return { key: `user:${t.user.id}`, limit: 5000 };
    case "installation":
      return { key: `installation:${t.installationId ?? 0}`, limit: 5000 };
    case "actions":
      return { key: `actions:${t.user.id}`, limit: 1000 };
    case "jwt":
      return { key: `app:${t.app?.id ?? 0}`, limit: 5000 };
  }
};

/** The hourly windows of every caller, started by each caller's first request. */
export const createRateLimits = () => {
  const windows = new Map<string, RateLimitWindow>();
  const windowOf = (t: FakeToken, nowMs: number): RateLimitWindow => {
    const { key, limit } = rateLimitKey(t);
    const now = Math.floor(nowMs / 1000);
    const w = windows.get(key);
    if (w !== undefined && now < w.resetAt) return w;
    const fresh = { limit, used: 0, resetAt: now + HOUR_S };
    windows.set(key, fresh);
    return fresh;
  };
  const headers = (w: RateLimitWindow): Record<string, string> => ({
    "x-ratelimit-limit": String(w.limit),
    "x-ratelimit-remaining": String(Math.max(0, w.limit - w.used)),
    "x-ratelimit-used": String(w.used),
    "x-ratelimit-reset": String(w.resetAt),
    "x-ratelimit-resource": "core",
  });
  return {
    windows,
    /** Whether the caller has any request left in its window (checked before the request runs). */
    exhausted: (t: FakeToken, nowMs: number): boolean => {
      const w = windowOf(t, nowMs);
      return w.used >= w.limit;
    },
    /** Spends one request unless the answer was a 304; returns the headers the answer carries. */
    settle: (t: FakeToken, nowMs: number, status: number): Record<string, string> => {
      const w = windowOf(t, nowMs);
      if (status !== 304 && w.used < w.limit) w.used += 1;
      return headers(w);
    },
  };
};

export type RateLimits = ReturnType<typeof createRateLimits>;
