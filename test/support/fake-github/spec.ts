/**
 * GitHub's official OpenAPI description, loaded once per process and made digestible by ajv.
 * Only the single api.github.com file is required: the package index loads ~385 MB.
 */
import { createRequire } from "node:module";
import { OpenAPIBackend } from "openapi-backend";
import addFormatsModule from "ajv-formats";
import type { Ajv } from "ajv";

const require = createRequire(import.meta.url);
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// OpenAPI 3.0 allows `nullable` without `type`; ajv refuses to compile it, so such schemas are
// rewritten to the equivalent `anyOf: [schema, { type: "null" }]`.
const fixNullable = (v: Json): Json => {
  if (Array.isArray(v)) return v.map(fixNullable);
  if (v === null || typeof v !== "object") return v;
  const o: { [k: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) o[k] = fixNullable(x);
  if (o["nullable"] === true && o["type"] === undefined) {
    const rest = { ...o };
    delete rest["nullable"];
    return { anyOf: [rest, { type: "null" }] };
  }
  return o;
};

let definition: { [k: string]: Json } | undefined;

/** The spec with `x-webhooks` dropped and nullable schemas fixed. */
export const loadGitHubSpec = (): { [k: string]: Json } => {
  if (definition !== undefined) return definition;
  const raw = require("@octokit/openapi/generated/api.github.com.json") as { [k: string]: Json };
  const rest = { ...raw };
  delete rest["x-webhooks"];
  definition = fixNullable(rest) as { [k: string]: Json };
  return definition;
};

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv,
) => Ajv;

/** A fresh, initialised openapi-backend over the GitHub spec (validators compile lazily). */
export const createGitHubBackend = async (): Promise<OpenAPIBackend> => {
  const api = new OpenAPIBackend({
    definition: loadGitHubSpec() as never,
    quick: true,
    validate: true,
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();
  return api;
};
