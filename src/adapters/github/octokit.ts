/**
 * Builds the Octokit the adapter talks through: @octokit/core + retry + throttling, with App or
 * token auth. App installation tokens are refreshed by @octokit/auth-app; a 401 on an App client
 * (token expired during a long run) triggers one forced refresh and one retry.
 */
import { Octokit } from "@octokit/core";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { createAppAuth } from "@octokit/auth-app";
import type { Clock, Logger } from "../../core/ports.js";
import { resolveGitHubClientConfig } from "./config.js";
import { createReplicationLagWrap } from "./replication-lag.js";

/** What the adapter needs of an Octokit: the generic `request`. */
export type GitHubClient = Pick<Octokit, "request">;

export type GitHubClientDeps = {
  readonly logger?: Logger | undefined;
  /** Transport, e.g. a test double; defaults to the global fetch. */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Per-client Bottleneck groups for @octokit/plugin-throttling (`global`, `auth`, `search`,
   * `write`, `notifications`). Defaults to the plugin's shared groups: writes ≥1 s apart,
   * comment creations ≥3 s apart, at most 10 requests in flight.
   */
  readonly throttleGroups?: Readonly<Record<string, unknown>> | undefined;
  /** Time and sleep for the replication-lag retries (SECURITY-CHECKLIST 47); defaults to the real clock. */
  readonly clock?: Clock | undefined;
};

const REAL_CLOCK: Clock = {
  now: () => new Date(),
  sleep: (ms) => () => new Promise((resolve) => setTimeout(resolve, ms)),
};

const ThrottledOctokit = Octokit.plugin(retry, throttling);

const statusOf = (e: unknown): number | undefined =>
  typeof e === "object" && e !== null && typeof (e as { status?: unknown }).status === "number"
    ? (e as { status: number }).status
    : undefined;

/**
 * Creates a configured client. Throws on an invalid config (see `resolveGitHubClientConfig`).
 *
 * @example
 * const octokit = createGitHubOctokit({}, { auth: { kind: "app", appId: 1, privateKey: pem, installationId: 2 } });
 */
export const createGitHubOctokit = (deps: GitHubClientDeps, configInput: unknown): Octokit => {
  const config = resolveGitHubClientConfig(configInput);
  const log = deps.logger;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
      const again = retryCount < config.maxRateLimitRetries;
      log?.warn(
        `GitHub ${kind} rate limit on ${options.method ?? "?"} ${options.url ?? "?"}; ${again ? `retrying after ${retryAfter} s` : "giving up"}`,
        { retryCount },
      );
      return again;
    };
  const common = {
    baseUrl: config.baseUrl,
    userAgent: config.userAgent,
    request: deps.fetch === undefined ? {} : { fetch: deps.fetch },
    retry: {
      retries: config.retries,
      retryAfterBaseValue: config.retryAfterBaseValueMs,
      // The plugin's list plus 409: a conflict (a stale blob sha on a contents write, a finished
      // run on cancel) is GitHub's decision, the same on every attempt; retrying it spent three
      // requests and 14 s of back-off before the caller could re-read.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451],
    },
    throttle: {
      onRateLimit: onLimit("primary"),
      onSecondaryRateLimit: onLimit("secondary"),
      retryAfterBaseValue: config.rateLimitBaseValueMs,
      ...(deps.throttleGroups ?? {}),
    },
    log: {
      debug: (m: string) => log?.debug(m),
      info: (m: string) => log?.info(m),
      warn: (m: string) => log?.warn(m),
      error: (m: string) => log?.error(m),
    },
  };
  // Wraps registered later run outside earlier ones: auth, retry and throttling are inside both
  // of ours, so every attempt of ours is throttled, 5xx-retried and authenticated afresh.
  const withReplicationLagRetry = (octokit: Octokit): Octokit => {
    octokit.hook.wrap(
      "request",
      createReplicationLagWrap(
        { urlOf: (o) => octokit.request.endpoint.parse(o).url, clock: deps.clock ?? REAL_CLOCK, logger: log },
        {
          baseUrl: config.baseUrl,
          retries: config.replicationLagRetries,
          windowMs: config.replicationLagWindowMs,
          retryAfterBaseValueMs: config.retryAfterBaseValueMs,
        },
      ),
    );
    return octokit;
  };
  if (config.auth.kind === "token")
    return withReplicationLagRetry(new ThrottledOctokit({ ...common, auth: config.auth.token }));
  const octokit = new ThrottledOctokit({
    ...common,
    authStrategy: createAppAuth,
    auth: { appId: config.auth.appId, privateKey: config.auth.privateKey, installationId: config.auth.installationId },
  });
  octokit.hook.wrap("request", async (request, options) => {
    try {
      return await request(options);
    } catch (e) {
      if (statusOf(e) !== 401 || String(options.url).startsWith("/app")) throw e;
      log?.warn("GitHub answered 401 with an installation token; refreshing it once");
      await octokit.auth({ type: "installation", refresh: true });
      return request(options);
    }
  });
  return withReplicationLagRetry(octokit);
};
