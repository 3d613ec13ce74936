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
  // OpenAPI 3.0: `nullable` admits null even with an `enum` that does not list it; ajv needs it listed.
  const en = o["enum"];
  if (o["nullable"] === true && Array.isArray(en) && !en.includes(null)) o["enum"] = [...en, null];
  if (o["nullable"] === true && o["type"] === undefined) {
    const rest = { ...o };
    delete rest["nullable"];
    return { anyOf: [rest, { type: "null" }] };
  }
  return o;
};

type JsonObject = { [k: string]: Json };
const definitions = new Map<string, JsonObject>();

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Keeps the paths that hold one of `operationIds` (all their methods) and every component they
 * reach, so ajv and the nullable rewrite only see what the fake serves. Unknown routes are 404.
 */
const trim = (raw: JsonObject, operationIds: ReadonlySet<string>): JsonObject => {
  const paths: JsonObject = {};
  for (const [p, item] of Object.entries(raw["paths"] as JsonObject)) {
    if (isObject(item) && Object.values(item).some((op) => isObject(op) && operationIds.has(String(op["operationId"]))))
      paths[p] = item;
  }
  const all = raw["components"] as { [kind: string]: JsonObject };
  const components: { [kind: string]: JsonObject } = {};
  const seen = new Set<string>();
  const stack: Json[] = [paths];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (isObject(v)) {
      const ref = v["$ref"];
      if (typeof ref === "string" && ref.startsWith("#/components/") && !seen.has(ref)) {
        seen.add(ref);
        const [, , kind = "", name = ""] = ref.split("/");
        const target = all[kind]?.[name];
        if (target !== undefined) {
          (components[kind] ??= {})[name] = target;
          stack.push(target);
        }
      }
      stack.push(...Object.values(v));
    }
  }
  return { ...raw, paths, components, "x-webhooks": {} };
};

/**
 * The spec trimmed to `operationIds` (or whole, without `x-webhooks`), nullable schemas fixed.
 * Cached per set of operations.
 */
export const loadGitHubSpec = (operationIds?: ReadonlySet<string>): JsonObject => {
  const key = operationIds === undefined ? "*" : [...operationIds].sort().join(",");
  const cached = definitions.get(key);
  if (cached !== undefined) return cached;
  const raw = require("@octokit/openapi/generated/api.github.com.json") as JsonObject;
  const rest: JsonObject = operationIds === undefined ? { ...raw } : trim(raw, operationIds);
  delete rest["x-webhooks"];
  const fixed = fixNullable(rest) as JsonObject;
  definitions.set(key, fixed);
  return fixed;
};

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv,
) => Ajv;

/** A fresh, initialised openapi-backend over the GitHub spec (validators compile lazily). */
export const createGitHubBackend = async (operationIds?: ReadonlySet<string>): Promise<OpenAPIBackend> => {
  const api = new OpenAPIBackend({
    definition: loadGitHubSpec(operationIds) as never,
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
