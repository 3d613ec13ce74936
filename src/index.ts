/**
 * ml-chatops: run an ML experiment from a pull-request comment and report the result on the PR,
 * compared with the current best. Adapters live under subpaths (`ml-chatops/adapters/local`, …)
 * and the keyword experiment under `ml-chatops/nlp`.
 *
 * @example
 * import { createPipeline } from "ml-chatops";
 * import { createLocalRunner } from "ml-chatops/adapters/local";
 */
export * from "./core/index.js";
export {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
  type MemoryBaseline,
} from "./adapters/memory/stores.js";
