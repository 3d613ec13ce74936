/**
 * An in-memory code host implementing the Forge port, with helpers to inspect and change its
 * state, and in-memory approval, baseline and run stores: for tests, the `ml-chatops demo`
 * command, trying the pipeline without GitHub, and a bot that runs as one long-lived process.
 *
 * @example
 * import { createMemoryForge } from "ml-chatops/adapters/memory";
 * const forge = createMemoryForge({ bot: { login: "bot", id: 9 }, repos: [{ owner: "o", repo: "r" }] });
 */
export { createMemoryForge } from "./memory-forge.js";
export type { MemoryCommentView, MemoryForge, MemoryForgeCall, MemoryForgeOptions } from "./memory-forge.js";
export { MemoryForgeSeed } from "./state.js";
export type { MemoryPullSeed, MemoryRepoSeed } from "./state.js";
export {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
  type MemoryBaseline,
} from "./stores.js";
