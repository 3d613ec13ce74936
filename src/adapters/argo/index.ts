/**
 * Argo Workflows runner: `createArgoRunner({ fetch }, config)` drives argo-server's REST API.
 *
 * @example
 * import { createArgoRunner } from "ml-chatops/adapters/argo";
 * const runner = createArgoRunner({ fetch: globalThis.fetch }, { baseUrl, namespace: "ml", image: "ghcr.io/o/kw:1", token });
 */
export { createArgoRunner } from "./runner.js";
export type { ArgoRunnerDeps } from "./runner.js";
export { ArgoRunnerConfig, DEFAULT_ARGO_CONFIG } from "./config.js";
export type { ArgoFetch } from "./http.js";
export { createCaFetch } from "./ca-fetch.js";
export type { CaFetchOptions } from "./ca-fetch.js";
