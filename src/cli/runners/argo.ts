/**
 * `--runner argo` for the CLI: builds the Argo runner from the environment (endpoint and
 * credentials) and the repository config's `runner.settings` (how the Workflow looks).
 *
 * Environment: `ARGO_SERVER` (URL, or host:port with `ARGO_SECURE=false` for plain http),
 * `ARGO_TOKEN` or `ARGO_TOKEN_FILE` (a service-account token, with or without "Bearer "),
 * `ARGO_NAMESPACE`, `ARGO_CA_FILE` (PEM of argo-server's CA), `ML_CHATOPS_ARGO_IMAGE`.
 * The endpoint and the token come only from the environment, never from repository settings.
 */
import { readFileSync } from "node:fs";
import { createArgoRunner, createCaFetch } from "../../adapters/argo/index.js";
import type { JobFor, Logger, Runner } from "../../index.js";

/** What this factory reads of the CLI's runner context. */
export type ArgoCliContext = {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly logger: Logger;
  readonly job?: JobFor | undefined;
};

/** Workflow settings a repository config may set (`runner.settings`). */
const SETTING_KEYS = [
  "namespace",
  "image",
  "serviceAccountName",
  "activeDeadlineSeconds",
  "podGCStrategy",
  "resources",
  "labels",
  "namePrefix",
  "deterministicName",
  "cancelMode",
  "uiBaseUrl",
  "outputArtifacts",
  "resultPath",
  "logTailLines",
  "command",
  "repoUrlTemplate",
] as const;

const nonEmpty = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === "" ? undefined : v.trim();

const serverUrl = (env: ArgoCliContext["env"]): string => {
  const server = nonEmpty(env["ARGO_SERVER"]);
  if (server === undefined) throw new Error("ARGO_SERVER is not set (e.g. https://argo-server.argo.svc:2746)");
  if (/^https?:\/\//.test(server)) return server;
  return `${env["ARGO_SECURE"] === "false" ? "http" : "https"}://${server}`;
};

const readToken = (env: ArgoCliContext["env"]): string | undefined => {
  const file = nonEmpty(env["ARGO_TOKEN_FILE"]);
  const raw = file === undefined ? nonEmpty(env["ARGO_TOKEN"]) : readFileSync(file, "utf8");
  return raw === undefined ? undefined : raw.trim().replace(/^Bearer\s+/i, "");
};

/**
 * Builds the Argo runner; throws one line when a setting is missing or invalid.
 *
 * @example
 * const runner = createArgoCliRunner({ env: process.env, settings: { image: "ghcr.io/o/kw:1" }, logger });
 */
export const createArgoCliRunner = (ctx: ArgoCliContext): Runner => {
  const fromSettings = Object.fromEntries(
    SETTING_KEYS.filter((k) => ctx.settings[k] !== undefined).map((k) => [k, ctx.settings[k]]),
  );
  const ca = nonEmpty(ctx.env["ARGO_CA_FILE"]);
  const token = readToken(ctx.env);
  const namespace = nonEmpty(ctx.env["ARGO_NAMESPACE"]) ?? fromSettings["namespace"];
  const image = nonEmpty(ctx.env["ML_CHATOPS_ARGO_IMAGE"]) ?? fromSettings["image"];
  if (namespace === undefined) throw new Error("set ARGO_NAMESPACE or runner.settings.namespace");
  if (image === undefined) throw new Error("set ML_CHATOPS_ARGO_IMAGE or runner.settings.image");
  return createArgoRunner(
    {
      fetch: ca === undefined ? globalThis.fetch : createCaFetch({ ca: readFileSync(ca, "utf8") }),
      logger: ctx.logger,
      job: ctx.job,
    },
    { ...fromSettings, baseUrl: serverUrl(ctx.env), namespace, image, ...(token === undefined ? {} : { token }) },
  );
};
