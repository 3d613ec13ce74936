/**
 * Octokit failures → ForgeError, by HTTP `status` (never `instanceof` across packages). Causes
 * keep only status and a redacted message: a request error carries headers we must not log.
 */
import {
  forgeForbidden,
  forgeInvalidResponse,
  forgeNotFound,
  forgeUnavailable,
  type ForgeError,
} from "../../core/errors.js";

/** Masks GitHub tokens of any length (`ghs_…` installation tokens are no longer 40 characters). */
export const redactTokens = (s: string): string =>
  s
    .replace(/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]+/g, "$1[REDACTED]")
    .replace(/\b(bearer|token)\s+[A-Za-z0-9._-]{8,}/gi, "$1 [REDACTED]");

/** The `status` of an Octokit RequestError, if the value looks like one. @internal */
export const statusOf = (e: unknown): number | undefined =>
  typeof e === "object" && e !== null && typeof (e as { status?: unknown }).status === "number"
    ? (e as { status: number }).status
    : undefined;

/** GitHub's names of the permissions in `X-Accepted-GitHub-Permissions` (as the App settings page shows them). */
const PERMISSION_TITLES: Readonly<Record<string, string>> = {
  actions: "Actions",
  checks: "Checks",
  contents: "Contents",
  issues: "Issues",
  metadata: "Metadata",
  pull_requests: "Pull requests",
};

const headerOf = (e: unknown, name: string): string | undefined => {
  const headers = (e as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers;
  const v = headers?.[name];
  return typeof v === "string" ? v : undefined;
};

/**
 * What a 403 "Resource not accessible by integration" (or "… by personal access token") lacks,
 * from the `X-Accepted-GitHub-Permissions` header GitHub sends with it: `contents=write` →
 * "Contents: write"; alternatives (`;`) joined with "or".
 *
 * @example
 * missingPermission(err); // "Contents: write"
 * @internal */
export const missingPermission = (e: unknown): string | undefined => {
  const accepted = headerOf(e, "x-accepted-github-permissions");
  if (accepted === undefined || accepted.trim() === "") return undefined;
  const sets = accepted.split(";").map((set) =>
    set
      .split(",")
      .map((p) => p.trim().split("="))
      .filter(
        (kv): kv is [string, string] =>
          kv.length === 2 && /^[a-z_]{1,40}$/.test(kv[0] ?? "") && /^(read|write|admin)$/.test(kv[1] ?? ""),
      )
      .map(([k, v]) => `${PERMISSION_TITLES[k] ?? k}: ${v}`)
      .join(" and "),
  );
  const named = sets.filter((x) => x !== "");
  return named.length === 0 ? undefined : named.join(" or ");
};

const messageOf = (e: unknown): string =>
  redactTokens(e instanceof Error ? e.message : typeof e === "string" ? e : "unknown error").split("\n")[0] ?? "";

/**
 * Maps a thrown Octokit error for `operation` (what was being looked up: `what`).
 *
 * @example
 * TE.tryCatch(() => octokit.request("GET /user"), fromOctokitError("identity", "authenticated user"));
 * @internal */
export const fromOctokitError =
  (operation: string, what: string) =>
  (e: unknown): ForgeError => {
    const status = statusOf(e);
    const message = messageOf(e);
    switch (true) {
      case status === 404:
        return forgeNotFound(operation, what);
      case status === 401:
        return forgeForbidden(operation, `GitHub rejected the credentials (401): ${message}`);
      case (status === 403 || status === 429) && /rate limit/i.test(message):
        return forgeUnavailable(operation, { status, message });
      case status === 403: {
        const lacks = /not accessible by/i.test(message) ? missingPermission(e) : undefined;
        const said = message.replace(/ - https:\/\/docs\.github\.com\S*$/, "");
        return forgeForbidden(
          operation,
          lacks === undefined ? message : `${said}: the App or token lacks the permission ${lacks}`,
        );
      }
      case status === 409 || status === 410 || status === 422:
        return forgeInvalidResponse(operation, `GitHub refused the request (${status}): ${message}`);
      default:
        return forgeUnavailable(operation, { status: status ?? "network", message });
    }
  };
