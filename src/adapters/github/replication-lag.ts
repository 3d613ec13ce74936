/**
 * Rides out GitHub's replication lag: right after the bot creates a resource (a comment, a check
 * run, …) a read or write of it can hit a replica that has not seen it yet and answer 404. Such a
 * 404 is retried a bounded number of times; a 404 on anything else is final, as plugin-retry has it.
 */
import type { Clock, Logger } from "../../core/ports.js";
import { statusOf } from "./errors.js";

/** What the wrap reads of a request's options (Octokit passes its merged endpoint options). @internal */
export type LagRequestOptions = { readonly method: string; readonly request?: object | undefined };
/** What the wrap reads of a response. @internal */
export type LagResponse = {
  readonly status: number;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly data: unknown;
};

/** @internal */
export type ReplicationLagDeps<O extends LagRequestOptions> = {
  /** The absolute URL a request goes to, e.g. `octokit.request.endpoint.parse(o).url`. */
  readonly urlOf: (options: O) => string;
  readonly clock: Clock;
  readonly logger?: Logger | undefined;
};

/** @internal */
export type ReplicationLagConfig = {
  /** REST root; its path (GHES: `/api/v3`) is not part of a resource's identity. */
  readonly baseUrl: string;
  /** Retries of a 404 on a recently created resource; 0 turns the wrap off. */
  readonly retries: number;
  /** How long after its creation a resource counts as recent. */
  readonly windowMs: number;
  /** Back-off unit: retry n waits n² × this many ms (as plugin-retry does). */
  readonly retryAfterBaseValueMs: number;
  /** How many created resources are remembered at most; the oldest is forgotten first. */
  readonly maxEntries?: number | undefined;
};

/** The Octokit `hook.wrap("request", …)` function, plus a view of what it remembers (for tests). @internal */
export type ReplicationLagWrap<O extends LagRequestOptions> = (<R extends LagResponse>(
  request: (o: O) => R | Promise<R>,
  options: O,
) => Promise<R>) & {
  readonly remembered: () => ReadonlyArray<string>;
};

const DEFAULT_MAX_ENTRIES = 256;

const decodeSegment = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * The resource path of `url` relative to the REST root: query dropped, the root's own path
 * (GHES `/api/v3`) stripped, segments decoded, lower-cased (owner and repo names are not
 * case-sensitive), no trailing slash. `undefined` when `url` is not a URL.
 *
 * @example
 * resourcePath("https://ghe.example/api/v3", "https://ghe.example/api/v3/repos/Octo/kw/issues/comments/5?x=1");
 * // "/repos/octo/kw/issues/comments/5"
 * @internal */
export const resourcePath = (baseUrl: string, url: string): string | undefined => {
  let u: URL;
  try {
    u = new URL(url, baseUrl);
  } catch {
    return undefined;
  }
  const root = new URL(baseUrl).pathname.replace(/\/+$/, "");
  const p =
    root !== "" && (u.pathname === root || u.pathname.startsWith(`${root}/`))
      ? u.pathname.slice(root.length)
      : u.pathname;
  const path = p.split("/").map(decodeSegment).join("/").toLowerCase().replace(/\/+$/, "");
  return path === "" ? "/" : path;
};

const isUnder = (path: string, ancestor: string): boolean => path === ancestor || path.startsWith(`${ancestor}/`);

const createdUrls = (response: LagResponse): ReadonlyArray<string> => {
  const data = response.data;
  const bodyUrl =
    typeof data === "object" && data !== null && !Array.isArray(data) ? (data as { url?: unknown }).url : undefined;
  const location = response.headers["location"];
  return [bodyUrl, location].filter((x): x is string => typeof x === "string" && x !== "");
};

/**
 * Creates the wrap. Register it last (outermost), so each retry passes throttling, plugin-retry
 * and auth again. Options are copied per attempt: the inner plugins count retries in
 * `options.request`, and a stale count would stretch their back-off.
 *
 * @example
 * octokit.hook.wrap("request", createReplicationLagWrap(
 *   { urlOf: (o) => octokit.request.endpoint.parse(o).url, clock, logger },
 *   { baseUrl: "https://api.github.com", retries: 3, windowMs: 60_000, retryAfterBaseValueMs: 1000 },
 * ));
 * @internal */
export const createReplicationLagWrap = <O extends LagRequestOptions>(
  deps: ReplicationLagDeps<O>,
  config: ReplicationLagConfig,
): ReplicationLagWrap<O> => {
  const maxEntries = config.maxEntries ?? DEFAULT_MAX_ENTRIES;
  /** resource path → when it was created (ms); Map order = insertion order = oldest first. */
  const created = new Map<string, number>();
  const nowMs = () => deps.clock.now().getTime();
  const pathOf = (url: string) => resourcePath(config.baseUrl, url);

  const prune = (now: number) => {
    for (const [p, at] of created) if (now - at > config.windowMs) created.delete(p);
    while (created.size > maxEntries) {
      const oldest = created.keys().next();
      if (oldest.done === true) break;
      created.delete(oldest.value);
    }
  };

  const remember = (requestPath: string, response: LagResponse) => {
    const now = nowMs();
    for (const url of createdUrls(response)) {
      const p = pathOf(url);
      // A new resource cannot be an ancestor of the collection it was posted to; such a `url`
      // would make every 404 below it look "recent".
      if (p === undefined || p === "/" || (isUnder(requestPath, p) && requestPath !== p)) continue;
      created.delete(p);
      created.set(p, now);
    }
    prune(now);
  };

  const forget = (requestPath: string) => {
    for (const p of [...created.keys()]) if (isUnder(p, requestPath)) created.delete(p);
  };

  /** When the resource at `path` (or one it lies under) was created, if within the window. */
  const createdAt = (path: string): number | undefined => {
    const now = nowMs();
    let found: number | undefined;
    for (const [p, at] of created)
      if (now - at <= config.windowMs && isUnder(path, p)) found = Math.max(found ?? at, at);
    return found;
  };

  const copy = (options: O): O => ({ ...options, request: { ...(options.request ?? {}) } });

  const wrap = async <R extends LagResponse>(request: (o: O) => R | Promise<R>, options: O): Promise<R> => {
    const method = options.method.toUpperCase();
    const url = deps.urlOf(options);
    const path = pathOf(url) ?? url;
    const snapshot = copy(options);
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await request(attempt === 1 ? options : copy(snapshot));
        if ((method === "POST" || method === "PUT") && response.status === 201) remember(path, response);
        if (method === "DELETE") forget(path);
        return response;
      } catch (e) {
        if (statusOf(e) !== 404 || attempt > config.retries) throw e;
        const at = createdAt(path);
        if (at === undefined) throw e;
        const delayMs = attempt * attempt * config.retryAfterBaseValueMs;
        deps.logger?.warn(
          `GitHub answered 404 on ${method} ${url}, created ${nowMs() - at} ms ago by this client (replication lag?); ` +
            `retry ${attempt} of ${config.retries} in ${delayMs} ms`,
          { attempt: attempt + 1 },
        );
        await deps.clock.sleep(delayMs)();
      }
    }
  };
  return Object.assign(wrap, { remembered: () => [...created.keys()] });
};
