/**
 * Client configuration: how we authenticate and where GitHub is. Decoded once, merged over
 * defaults; an invalid or unsafe configuration throws here and nowhere else.
 */
import * as t from "io-ts";
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import { PathReporter } from "io-ts/PathReporter";

/** A GitHub App installation: app id + private key, exchanged for installation tokens (refreshed). */
export const GitHubAppAuth = t.type({
  kind: t.literal("app"),
  appId: t.union([t.number, t.string]),
  privateKey: t.string,
  installationId: t.number,
});
export type GitHubAppAuth = t.TypeOf<typeof GitHubAppAuth>;

/**
 * A ready token and where it came from. `actions-github-token` is refused: events made with the
 * Actions `GITHUB_TOKEN` never start workflows, so the label it adds would never start the run
 * (SECURITY-CHECKLIST 3).
 */
export const GitHubTokenAuth = t.type({
  kind: t.literal("token"),
  token: t.string,
  source: t.keyof({ pat: null, "app-installation": null, "actions-github-token": null }),
});
export type GitHubTokenAuth = t.TypeOf<typeof GitHubTokenAuth>;

export const GitHubAuth = t.union([GitHubAppAuth, GitHubTokenAuth]);
export type GitHubAuth = t.TypeOf<typeof GitHubAuth>;

/** Client settings; everything but `auth` has a default. */
export const GitHubClientConfig = t.intersection([
  t.type({ auth: GitHubAuth }),
  t.partial({
    /** REST root; GitHub Enterprise Server: `https://host/api/v3` (Actions: `GITHUB_API_URL`). */
    baseUrl: t.string,
    userAgent: t.string,
    /** Retries of 5xx/network errors by @octokit/plugin-retry. */
    retries: t.number,
    /** Unit of the retry back-off, (n+1)² × this many ms. */
    retryAfterBaseValueMs: t.number,
    /** Unit the rate-limit `retry-after` seconds are multiplied by (1000 = real seconds). */
    rateLimitBaseValueMs: t.number,
    /** How many times a rate-limited request is retried before the error surfaces. */
    maxRateLimitRetries: t.number,
    /** Retries of a 404 on a resource this client created within `replicationLagWindowMs` (0 = off). */
    replicationLagRetries: t.number,
    /** How long after creating a resource a 404 on it is taken for replication lag. */
    replicationLagWindowMs: t.number,
  }),
]);
export type GitHubClientConfig = t.TypeOf<typeof GitHubClientConfig>;

export type ResolvedGitHubClientConfig = Required<Omit<GitHubClientConfig, "auth">> & { readonly auth: GitHubAuth };

export const DEFAULT_GITHUB_CLIENT_CONFIG: Omit<ResolvedGitHubClientConfig, "auth"> = {
  baseUrl: "https://api.github.com",
  userAgent: "ml-chatops",
  retries: 3,
  retryAfterBaseValueMs: 1000,
  rateLimitBaseValueMs: 1000,
  maxRateLimitRetries: 2,
  replicationLagRetries: 3,
  replicationLagWindowMs: 60_000,
};

const ACTIONS_TOKEN_MESSAGE =
  "ml-chatops GitHub config: auth uses only the Actions GITHUB_TOKEN. Labels added with it never trigger " +
  "the `labeled` workflow (GitHub does not start workflows from GITHUB_TOKEN events), so no run would ever start. " +
  "Configure a GitHub App (app id + private key + installation id) or a personal access token instead.";

/**
 * Decodes and completes a client config. Throws a one-line error naming the bad field.
 *
 * @example
 * resolveGitHubClientConfig({ auth: { kind: "token", token: "ghp_…", source: "pat" } }).baseUrl; // "https://api.github.com"
 * @internal */
export const resolveGitHubClientConfig = (input: unknown): ResolvedGitHubClientConfig =>
  pipe(
    GitHubClientConfig.decode(input),
    E.match(
      (errs) => {
        throw new Error(`ml-chatops GitHub config is invalid: ${PathReporter.report(E.left(errs)).join("; ")}`);
      },
      (c) => {
        if (c.auth.kind === "token" && c.auth.source === "actions-github-token") throw new Error(ACTIONS_TOKEN_MESSAGE);
        if (c.auth.kind === "token" && c.auth.token.trim() === "")
          throw new Error("ml-chatops GitHub config: auth.token is empty");
        if (c.auth.kind === "app" && !c.auth.privateKey.includes("PRIVATE KEY"))
          throw new Error("ml-chatops GitHub config: auth.privateKey is not a PEM private key");
        return {
          ...DEFAULT_GITHUB_CLIENT_CONFIG,
          ...c,
          baseUrl: (c.baseUrl ?? DEFAULT_GITHUB_CLIENT_CONFIG.baseUrl).replace(/\/+$/, ""),
        };
      },
    ),
  );
