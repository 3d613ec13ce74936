/**
 * `--runner github-actions` for the CLI: dispatches the experiment workflow with the bot's own
 * credentials (a GitHub App or a PAT, as for every other call; see ../github-env.ts).
 *
 * Settings (`runner.settings` in the repository config, read from the default branch), each
 * overridable by the environment: `workflow` / `ML_CHATOPS_WORKFLOW` (file name or id, default
 * `ml-chatops-experiment.yml`), `ref` / `ML_CHATOPS_WORKFLOW_REF` (the default branch; required),
 * `repository` / `ML_CHATOPS_WORKFLOW_REPOSITORY` (`owner/repo`, default: the pull request's).
 */
import * as E from "fp-ts/Either";
import { createGitHubActionsRunner } from "../../adapters/github-actions/index.js";
import { createGitHubOctokit } from "../../adapters/github/index.js";
import type { JobFor, Logger, Runner } from "../../index.js";
import { readAuth } from "../github-env.js";

/** What this factory reads of the CLI's runner context. */
export type GitHubActionsCliContext = {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly logger: Logger;
  readonly job?: JobFor | undefined;
};

const OPTIONAL_KEYS = [
  "artifactName",
  "resultFile",
  "logFile",
  "findAttempts",
  "findDelayMs",
  "maxArtifactBytes",
  "maxResultBytes",
  "logTailLines",
  "infraStepNames",
] as const;

const pick = (ctx: GitHubActionsCliContext, envName: string, setting: string): unknown => {
  const v = ctx.env[envName];
  return v !== undefined && v.trim() !== "" ? v.trim() : ctx.settings[setting];
};

/**
 * Builds the GitHub Actions runner; throws one line when a setting or credential is missing.
 *
 * @example
 * const runner = createGitHubActionsCliRunner({ env: process.env, settings: { ref: "main" }, logger });
 */
export const createGitHubActionsCliRunner = (ctx: GitHubActionsCliContext): Runner => {
  const auth = readAuth(ctx.env);
  if (E.isLeft(auth)) throw new Error(auth.left);
  const ref = pick(ctx, "ML_CHATOPS_WORKFLOW_REF", "ref");
  if (typeof ref !== "string" || ref === "")
    throw new Error("set runner.settings.ref or ML_CHATOPS_WORKFLOW_REF to the default branch");
  const repository = pick(ctx, "ML_CHATOPS_WORKFLOW_REPOSITORY", "repository");
  const [owner, repo] = typeof repository === "string" ? repository.split("/") : [];
  if (repository !== undefined && (owner === undefined || repo === undefined || owner === "" || repo === "")) {
    throw new Error(`repository must be owner/repo, got ${JSON.stringify(String(repository).slice(0, 100))}`);
  }
  const baseUrl = ctx.env["GITHUB_API_URL"];
  const octokit = createGitHubOctokit(
    { logger: ctx.logger },
    { auth: auth.right, ...(baseUrl === undefined || baseUrl === "" ? {} : { baseUrl }) },
  );
  const optional = Object.fromEntries(
    OPTIONAL_KEYS.filter((k) => ctx.settings[k] !== undefined).map((k) => [k, ctx.settings[k]]),
  );
  return createGitHubActionsRunner(
    { octokit, logger: ctx.logger, job: ctx.job },
    {
      ...optional,
      workflowId: pick(ctx, "ML_CHATOPS_WORKFLOW", "workflow") ?? "ml-chatops-experiment.yml",
      ref,
      ...(owner === undefined || repo === undefined ? {} : { owner, repo }),
    },
  );
};
