/**
 * One GitHub Actions job as the CLI and the action see it: the event payload written to a file
 * (GITHUB_EVENT_PATH) with the standard variables that name it, and the bot's App credentials
 * as the ML_CHATOPS_* variables the CLI reads. The one copy every CLI/action test uses.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/io.js";

/** A state secret with 256 bits of randomness (what `openssl rand -hex 32` makes). */
export const TEST_STATE_SECRET = "316f37243eaf7e1755ce6f982ea1ad28b705a0e2e0e07ebd7f93d049d94ce2bf";

/** The bot user of the fake's App (`createWorld`: slug ml-chatops, bot id 4242), as webhook payloads name it. */
export const TEST_BOT = { login: "ml-chatops[bot]", id: 4242, type: "Bot" as const };

/**
 * Writes `payload` into `dir` and returns the job's event variables, `extra` on top
 * (e.g. GITHUB_API_URL, GITHUB_WORKSPACE).
 *
 * @example
 * const env = actionsEvent(dir, "issue_comment", commentPayload({ body: "/experiment run", author }), { GITHUB_API_URL: baseUrl });
 */
export const actionsEvent = (
  dir: string,
  name: string,
  payload: unknown,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> => {
  const path = join(dir, `${name}-${randomUUID()}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return {
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: "octo/kw",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "77",
    ...extra,
  };
};

/**
 * The App credentials and state secret as the CLI reads them. `escapeNewlines` stores the PEM
 * on one line with literal `\n`, as a secret pasted into one line is.
 *
 * @example
 * const env = { ...appCredentials(w.app), ...actionsEvent(dir, "pull_request", payload) };
 */
export const appCredentials = (
  app: { readonly id: number; readonly privateKey: string },
  opts: { readonly secret?: string; readonly installationId?: number; readonly escapeNewlines?: boolean } = {},
): Record<string, string> => ({
  ML_CHATOPS_APP_ID: String(app.id),
  ML_CHATOPS_APP_PRIVATE_KEY: opts.escapeNewlines === true ? app.privateKey.replace(/\n/g, "\\n") : app.privateKey,
  ML_CHATOPS_APP_INSTALLATION_ID: String(opts.installationId ?? 99),
  ML_CHATOPS_STATE_SECRET: opts.secret ?? TEST_STATE_SECRET,
});

/**
 * The CLI's io for one Actions job of the App `app`: the event written into `dir`, the App's
 * credentials, stderr collected into `stderr`, stdout dropped.
 *
 * @example
 * const lines: string[] = [];
 * await runGitHubEvent("label", [], actionsJobIo(dir, "pull_request", payload, w.app, lines), deps);
 */
export const actionsJobIo = (
  dir: string,
  name: string,
  payload: unknown,
  app: { readonly id: number; readonly privateKey: string },
  stderr: string[],
): CliIo => ({
  stdout: () => undefined,
  stderr: (t) => void stderr.push(t),
  env: { ...actionsEvent(dir, name, payload), ...appCredentials(app) },
  cwd: dir,
  stderrIsTTY: false,
});
