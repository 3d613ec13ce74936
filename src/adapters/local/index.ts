/**
 * The local adapter: run experiments on this machine, at a pinned commit of a local git
 * repository (process mode) or as a function in this process (in-process mode), and keep the
 * baseline in a JSON file.
 *
 * @example
 * import { createLocalRunner, createFileBaselineStore } from "ml-chatops/adapters/local";
 * const runner = createLocalRunner({ experiments, env: process.env }, { repoPath: "/srv/repo", command: ["/usr/bin/node", "/srv/cli.js"] });
 * const baseline = createFileBaselineStore({ path: "/srv/baseline.json" });
 */
export { createLocalRunner } from "./process-runner.js";
export type { LocalRunnerDeps } from "./process-runner.js";
export { LocalRunnerConfig, LOCAL_RUNNER_DEFAULTS } from "./config.js";
export { createInProcessRunner } from "./in-process-runner.js";
export type { InProcessRunContext, InProcessRunnerConfig, InProcessRunnerDeps } from "./in-process-runner.js";
export {
  BaselineEntry,
  BaselineFile,
  BaselineMetaCodec,
  createFileBaselineStore,
  parseBaselineFile,
} from "./file-baseline-store.js";
export type { FileBaselineStoreConfig } from "./file-baseline-store.js";
export { BASE_ENV_ALLOWLIST, buildChildEnv, forbiddenEnvName } from "./child-env.js";
export { createExecGit, execGit, SAFE_GIT_CONFIG } from "./git.js";
export { readBoundedFile } from "./bounded-read.js";
export { credentialNames } from "./sandbox.js";
export type { BoundedReadLimits } from "./bounded-read.js";
export type { GitExec } from "./git.js";
