/**
 * An in-memory code host implementing the Forge port, with helpers to inspect and change its
 * state: for tests, the `ml-chatops demo` command and trying the pipeline without GitHub.
 *
 * @example
 * import { createMemoryForge } from "ml-chatops/adapters/memory";
 * const forge = createMemoryForge({ bot: { login: "bot", id: 9 }, repos: [{ owner: "o", repo: "r" }] });
 */
export { createMemoryForge } from "./memory-forge.js";
export type { MemoryCommentView, MemoryForge, MemoryForgeCall, MemoryForgeOptions } from "./memory-forge.js";
export { MemoryForgeSeed } from "./state.js";
export type { MemoryPullSeed, MemoryRepoSeed } from "./state.js";
