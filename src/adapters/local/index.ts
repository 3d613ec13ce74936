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
export { createFileBaselineStore, formatBaselineFile, parseBaselineFile } from "./file-baseline-store.js";
export type { BaselineEntry, BaselineFile, FileBaselineStoreConfig } from "./file-baseline-store.js";
// Reads the result file an experiment wrote without trusting it (`ml-chatops exec`, `emit-result`).
export { readExperimentResult } from "./result-file.js";
export type { ResultFileError } from "./result-file.js";
export { credentialNames } from "./sandbox.js";
