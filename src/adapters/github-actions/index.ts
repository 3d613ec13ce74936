/**
 * GitHub Actions runner: `createGitHubActionsRunner({ octokit }, config)` dispatches a workflow per run.
 *
 * @example
 * import { createGitHubActionsRunner } from "ml-chatops/adapters/github-actions";
 * const runner = createGitHubActionsRunner({ octokit }, { workflowId: "ml-chatops-experiment.yml", ref: "main" });
 */
export { createGitHubActionsRunner } from "./runner.js";
export type { ActionsClient, GitHubActionsRunnerDeps } from "./runner.js";
export { GitHubActionsRunnerConfig, DEFAULT_ACTIONS_CONFIG } from "./config.js";
