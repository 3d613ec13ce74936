/**
 * ml-chatops core: the model, the ports, the pipeline and its pure helpers. Vendor-free.
 *
 * @example
 * import { createPipeline, createForgeRunLedger } from "ml-chatops";
 */
export * from "./model.js";
export * from "./errors.js";
export type * from "./ports.js";
export * from "./pipeline.js";
export * from "./pipeline-config.js";
export * from "./ledger/index.js";
export * from "./command.js";
export * from "./diff.js";
export * from "./result.js";
export * from "./keyword-ranking.js";
export { RELATIVE_PATH_PATTERN, isRelativePath } from "./relative-path.js";
export * from "./report/index.js";
