/**
 * GitHub Actions runner: `createGitHubActionsRunner({ octokit }, config)` dispatches a workflow per run.
 *
 * @example
 * import { createGitHubActionsRunner } from "ml-chatops/adapters/github-actions";
 * const runner = createGitHubActionsRunner({ octokit }, { workflowId: "ml-chatops-experiment.yml", ref: "main" });
 */
export {
  createGitHubActionsRunner,
  correlationIdFor,
  dispatchInputs,
  MAX_INPUTS,
  MAX_DISPATCH_BYTES,
} from "./runner.js";
export type { ActionsClient, GitHubActionsRunnerDeps } from "./runner.js";
export { GitHubActionsRunnerConfig, DEFAULT_ACTIONS_CONFIG, resolveActionsConfig } from "./config.js";
export type { ResolvedActionsConfig } from "./config.js";
export { toActionsRunStatus } from "./status.js";
export { readZipEntry } from "./zip.js";
