/**
 * ml-chatops on GitHub: the Forge on @octokit/core (retry + throttling, App or PAT auth), webhook
 * event codecs, an approval store without a database, the baseline file and repository config in
 * the repository, and `handleWebhook` for custom bots.
 *
 * @example
 * import { createGitHubOctokit, resolveGitHubIdentity, createGitHubForge } from "ml-chatops/adapters/github";
 * const octokit = createGitHubOctokit({}, { auth: { kind: "app", appId, privateKey, installationId } });
 * const identity = await resolveGitHubIdentity(octokit, "app")();
 */
export { createGitHubOctokit, type GitHubClient, type GitHubClientDeps } from "./octokit.js";
export {
  GitHubAuth,
  GitHubClientConfig,
  DEFAULT_GITHUB_CLIENT_CONFIG,
  type GitHubAppAuth,
  type GitHubTokenAuth,
  type ResolvedGitHubClientConfig,
} from "./config.js";
export { resolveGitHubIdentity, type GitHubBotIdentity, type GitHubIdentityHint } from "./identity.js";
export {
  createGitHubForge,
  type GitHubForge,
  type GitHubForgeConfig,
  type GitHubForgeDeps,
  type OwnComment,
} from "./forge.js";
export { redactTokens } from "./errors.js";
// Masks secrets out of text a bot writes itself (its log, a summary), as the bot masks what it publishes (check 82).
export { createSecretMasker, maskDeep, type Masker } from "./mask-secrets.js";
export { decodeGitHubEvent, type EventOptions, type GitHubEvent } from "./events.js";
export {
  createGitHubApprovalStore,
  type GitHubApprovalStore,
  type GitHubApprovalStoreConfig,
} from "./approval-store.js";
export { createGitHubBaselineStore, type GitHubBaselineStoreConfig } from "./baseline-store.js";
export {
  loadRepoConfig,
  parseRepoConfig,
  RepoConfigFile,
  DEFAULT_REPO_CONFIG,
  REPO_CONFIG_PATH,
  type RepoConfig,
  type RepoConfigError,
} from "./repo-config.js";
export { verifySignature } from "./signature.js";
export {
  createGitHubWebhookHandler,
  type RepoPipeline,
  type WebhookConfig,
  type WebhookDeps,
  type WebhookRequest,
  type WebhookResponse,
} from "./webhook.js";
export { createWebhookListener } from "./webhook-http.js";
export { describeDispatch, type DispatchResult, type DispatchOptions } from "./dispatch.js";
export type {
  ActionableEvent,
  DeliveryConfig,
  DeliveryOutcome,
  EventWorkDeps,
  RepoPipelineError,
  RunnerSetupError,
} from "./event-work.js";
export type { BuiltRepoPipeline } from "./repo-pipeline.js";
export { createGitHubBot, type GitHubBot, type GitHubBotDeps, type GitHubBotOptions } from "./bot.js";
export type { DefaultBranchFiles } from "./contents-cache.js";
export type { CollectSummary } from "./collect.js";
export { stateSecretProblem } from "./state-secret.js";
export {
  createProbotApp,
  type ProbotAppOptions,
  type ProbotLike,
  type ProbotContextLike,
  type ProbotLogLike,
} from "./probot.js";
