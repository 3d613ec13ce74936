/**
 * The GitHub Actions side of the CLI: reads the standard Actions environment and our
 * credential variables, and builds the authenticated client, bot identity and stores.
 *
 * Credentials (see README "GitHub setup"):
 * - `ML_CHATOPS_APP_ID`, `ML_CHATOPS_APP_PRIVATE_KEY` (PEM), `ML_CHATOPS_APP_INSTALLATION_ID`: a GitHub App; or
 * - `ML_CHATOPS_TOKEN`: a personal access token.
 * - `ML_CHATOPS_STATE_SECRET` (32 random bytes, `openssl rand -hex 32`): signs the approval kept in the living comment.
 * `GITHUB_TOKEN` alone is refused: labels made with it never start the `labeled` workflow.
 */
import { credentialNames } from "../adapters/local/index.js";
import { readFile } from "node:fs/promises";
import * as E from "fp-ts/Either";
import {
  createSecretMasker,
  redactTokens,
  stateSecretProblem,
  type GitHubAuth,
  type GitHubIdentityHint,
} from "../adapters/github/index.js";
import type { Logger } from "../index.js";
import type { CliIo } from "./io.js";

/** The Actions variables we read. */
export type ActionsEnv = {
  readonly eventName: string;
  readonly eventPath: string;
  readonly repository: string;
  readonly apiUrl: string;
  readonly serverUrl: string;
  readonly runId: string | undefined;
  readonly workspace: string | undefined;
  readonly stepSummary: string | undefined;
  readonly output: string | undefined;
};

/**
 * Reads the Actions environment; Left names the missing variable.
 *
 * @example
 * readActionsEnv(io.env); // Right({ eventName: "issue_comment", … })
 */
export const readActionsEnv = (env: CliIo["env"]): E.Either<string, ActionsEnv> => {
  const need = (k: string): string | undefined => {
    const v = env[k];
    return v === undefined || v === "" ? undefined : v;
  };
  for (const k of ["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY"]) {
    if (need(k) === undefined) return E.left(`${k} is not set; run this inside a GitHub Actions job (or set it)`);
  }
  return E.right({
    eventName: need("GITHUB_EVENT_NAME") ?? "",
    eventPath: need("GITHUB_EVENT_PATH") ?? "",
    repository: need("GITHUB_REPOSITORY") ?? "",
    apiUrl: need("GITHUB_API_URL") ?? "https://api.github.com",
    serverUrl: need("GITHUB_SERVER_URL") ?? "https://github.com",
    runId: need("GITHUB_RUN_ID"),
    workspace: need("GITHUB_WORKSPACE"),
    stepSummary: need("GITHUB_STEP_SUMMARY"),
    output: need("GITHUB_OUTPUT"),
  });
};

/**
 * The credentials from the environment, App first, then a PAT, then (refused later) GITHUB_TOKEN.
 *
 * @example
 * readAuth(io.env); // Right({ kind: "app", appId: "123", privateKey: "-----BEGIN…", installationId: 4 })
 */
export const readAuth = (env: CliIo["env"]): E.Either<string, GitHubAuth> => {
  const appId = env["ML_CHATOPS_APP_ID"];
  const key = env["ML_CHATOPS_APP_PRIVATE_KEY"];
  if (appId !== undefined && appId !== "") {
    const installationId = Number(env["ML_CHATOPS_APP_INSTALLATION_ID"]);
    if (key === undefined || key === "")
      return E.left("ML_CHATOPS_APP_ID is set but ML_CHATOPS_APP_PRIVATE_KEY is empty");
    if (!Number.isInteger(installationId) || installationId <= 0)
      return E.left("ML_CHATOPS_APP_INSTALLATION_ID must be the App installation's numeric id");
    // Secrets pasted into a single line keep their newlines as "\n".
    return E.right({ kind: "app", appId, privateKey: key.replace(/\\n/g, "\n"), installationId });
  }
  const pat = env["ML_CHATOPS_TOKEN"];
  if (pat !== undefined && pat !== "") return E.right({ kind: "token", token: pat, source: "pat" });
  const actions = env["GITHUB_TOKEN"];
  if (actions !== undefined && actions !== "")
    return E.right({ kind: "token", token: actions, source: "actions-github-token" });
  return E.left(
    "no credentials: set ML_CHATOPS_APP_ID + ML_CHATOPS_APP_PRIVATE_KEY + ML_CHATOPS_APP_INSTALLATION_ID, or ML_CHATOPS_TOKEN",
  );
};

/**
 * The state secret; Left is one line saying what is wrong and how to make a good one.
 *
 * @example
 * readStateSecret({ ML_CHATOPS_STATE_SECRET: "a".repeat(32) }); // Left("ML_CHATOPS_STATE_SECRET holds about 4 bits …")
 */
export const readStateSecret = (env: CliIo["env"]): E.Either<string, string> => {
  const secret = env["ML_CHATOPS_STATE_SECRET"] ?? "";
  const weak = stateSecretProblem(secret, "ML_CHATOPS_STATE_SECRET");
  return weak === undefined ? E.right(secret) : E.left(weak);
};

/** Reads and parses the event payload file. */
export const readEventFile = async (path: string): Promise<E.Either<string, unknown>> => {
  try {
    return E.right(JSON.parse(await readFile(path, "utf8")) as unknown);
  } catch (e) {
    return E.left(
      `cannot read the event payload ${path}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}`,
    );
  }
};

/** The App's id when the credentials are an App's and name a positive integer id. */
const appIdOf = (auth: GitHubAuth): number | undefined => {
  const id = auth.kind === "app" ? Number(auth.appId) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

/**
 * For an App, where its bot user can be read without asking: the pull request of a
 * `pull_request` event (a label, a push), whose comment listing the event reads first anyway.
 * A comment event is not hinted: its first write is the 👀 on the command, which changes the
 * listing, so reading it before would cost a second full read, not save one.
 *
 * @example
 * identityHint({ kind: "app", appId: "77", privateKey, installationId: 1 }, { owner: "o", repo: "r" }, payload); // { appId: 77, pr: { owner: "o", repo: "r", number: 7 } }
 */
export const identityHint = (
  auth: GitHubAuth,
  repo: { readonly owner: string; readonly repo: string },
  payload: unknown,
): GitHubIdentityHint | undefined => {
  const appId = appIdOf(auth);
  if (appId === undefined) return undefined;
  const number = (payload as { readonly pull_request?: { readonly number?: unknown } } | null)?.pull_request?.number;
  return typeof number === "number" && Number.isSafeInteger(number) && number > 0
    ? { appId, pr: { ...repo, number } }
    : undefined;
};

/**
 * For an App's comment job, who the bot is without asking: the App's id. GitHub stamps what
 * the App writes with it, which tells the bot's comments apart, and a comment job starts no run
 * from a label, so its pipeline handles comments only and never needs the bot's user.
 *
 * @example
 * commentJobIdentity({ kind: "app", appId: "77", privateKey, installationId: 1 }, { issue: { number: 7 }, comment: { id: 1 } }); // { appId: 77 }
 */
export const commentJobIdentity = (auth: GitHubAuth, payload: unknown): { readonly appId: number } | undefined => {
  const appId = appIdOf(auth);
  if (appId === undefined) return undefined;
  const p = payload as { readonly issue?: unknown; readonly comment?: unknown } | null;
  return typeof p?.issue === "object" && p.issue !== null && typeof p.comment === "object" && p.comment !== null
    ? { appId }
    : undefined;
};

/**
 * Whether the event is a comment this App wrote (GitHub stamps it `performed_via_github_app`):
 * the job ends there, before a token is minted or anything is read. Each comment the bot
 * writes that names the trigger starts the comment workflow again.
 *
 * @example
 * isOwnAppComment({ kind: "app", appId: 77, privateKey, installationId: 1 }, { comment: { performed_via_github_app: { id: 77 } } }); // true
 */
export const isOwnAppComment = (auth: GitHubAuth, payload: unknown): boolean => {
  const via = (
    payload as { readonly comment?: { readonly performed_via_github_app?: { readonly id?: unknown } | null } }
  )?.comment?.performed_via_github_app?.id;
  return via !== undefined && via === appIdOf(auth);
};

/**
 * The values of every credential in the environment (App key, tokens, state secret, cloud
 * keys): what the bot masks out of all text it publishes (SECURITY-CHECKLIST 82).
 *
 * @example
 * secretValues({ ML_CHATOPS_STATE_SECRET: "s3cr3t-s3cr3t", PATH: "/bin" }); // ["s3cr3t-s3cr3t"]
 */
export const secretValues = (env: CliIo["env"]): ReadonlyArray<string> =>
  credentialNames(env).flatMap((name) => {
    const value = env[name];
    return value === undefined ? [] : [value];
  });

/** A Logger writing redacted lines to stderr; debug only with `RUNNER_DEBUG=1` (Actions debug logging). */
export const stderrLogger = (io: CliIo): Logger => {
  const mask = createSecretMasker(secretValues(io.env));
  const line = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) =>
    io.stderr(
      `${mask(redactTokens(`ml-chatops ${level}: ${message}${fields === undefined ? "" : ` ${JSON.stringify(fields)}`}`))}\n`,
    );
  return {
    debug: io.env["RUNNER_DEBUG"] === "1" ? line("debug") : () => undefined,
    info: line("info"),
    warn: line("warning"),
    error: line("error"),
  };
};
