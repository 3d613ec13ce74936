/**
 * Argo's published specs, read from ../shared/specs/argo (relative to the repo root, never copied
 * into the repo): schema.json (JSON Schema 2020-12) for Workflows, swagger.json (Swagger 2.0) for
 * every request the emulator receives.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020Mod from "ajv/dist/2020.js";
import AjvMod from "ajv";
import addFormatsMod from "ajv-formats";

const Ajv2020 = Ajv2020Mod.default;
const Ajv = AjvMod.default;
const addFormats = addFormatsMod.default;

/** Directory of the saved Argo specs. */
export const ARGO_SPEC_DIR = fileURLToPath(new URL("../../../../shared/specs/argo/", import.meta.url));

type Json = Record<string, unknown>;
const readJson = (name: string): Json => JSON.parse(readFileSync(ARGO_SPEC_DIR + name, "utf8")) as Json;

/** A validator: the list of problems, empty when valid. */
export type Check = (value: unknown) => ReadonlyArray<string>;

const toProblems = (
  errors: ReadonlyArray<{ instancePath: string; message?: string | undefined }> | null | undefined,
): ReadonlyArray<string> => (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);

let workflowCheck: Check | undefined;
/**
 * Validates a value against `io.argoproj.workflow.v1alpha1.Workflow` in schema.json (compiled once).
 *
 * @example
 * assert.deepEqual(checkWorkflow(buildWorkflow(req, config)), []);
 */
export const checkWorkflow: Check = (value) => {
  if (workflowCheck === undefined) {
    const schema = readJson("schema.json");
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(schema);
    const v = ajv.getSchema(`${String(schema["$id"])}#/definitions/io.argoproj.workflow.v1alpha1.Workflow`);
    if (v === undefined) throw new Error("schema.json: Workflow definition not found");
    workflowCheck = (x) => (v(x) ? [] : toProblems(v.errors));
  }
  return workflowCheck(value);
};

type SwaggerParam = { name: string; in: string; type?: string; format?: string; required?: boolean; schema?: Json };
type SwaggerOp = { operationId: string; parameters?: ReadonlyArray<SwaggerParam> };
type Route = {
  template: string;
  regex: RegExp;
  names: ReadonlyArray<string>;
  literals: number;
  ops: Record<string, SwaggerOp>;
};

/** A request matched to its swagger operation, or why it does not match. */
export type MatchedRequest = {
  readonly operationId: string;
  readonly pathParams: Readonly<Record<string, string>>;
  readonly problems: ReadonlyArray<string>;
};

let swagger: { routes: ReadonlyArray<Route>; ajv: InstanceType<typeof Ajv> } | undefined;
const loadSwagger = (): NonNullable<typeof swagger> => {
  if (swagger !== undefined) return swagger;
  const spec = readJson("swagger.json");
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "argo-swagger", definitions: spec["definitions"] });
  const routes = Object.entries(spec["paths"] as Record<string, Record<string, SwaggerOp>>).map(([template, ops]) => {
    const parts = template.split("/").slice(1);
    const names = parts.filter((p) => p.startsWith("{")).map((p) => p.slice(1, -1));
    const regex = new RegExp(
      `^/${parts.map((p) => (p.startsWith("{") ? "([^/]+)" : p.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))).join("/")}$`,
    );
    return { template, regex, names, literals: parts.length - names.length, ops };
  });
  // Literal segments win over parameters (e.g. `/{name}/log` over `/{name}/{podName}`).
  routes.sort((a, b) => b.literals - a.literals);
  swagger = { routes, ajv };
  return swagger;
};

const checkScalar = (p: SwaggerParam, v: string): string | undefined => {
  if (p.type === "boolean" && v !== "true" && v !== "false") return `${p.in} parameter ${p.name} must be boolean`;
  if (p.type === "integer" && !/^-?\d+$/.test(v)) return `${p.in} parameter ${p.name} must be integer`;
  if (p.type === "string" && p.format === "int64" && !/^-?\d+$/.test(v))
    return `${p.in} parameter ${p.name} must be an int64 string`;
  return undefined;
};

/**
 * Matches a request to swagger.json and checks method, path and query parameters (declared names
 * and types) and the body against the operation's body schema.
 *
 * @example
 * const m = matchRequest("GET", "/api/v1/workflows/ml/wf-1", new URLSearchParams(), undefined);
 */
export const matchRequest = (
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: unknown,
): MatchedRequest | { readonly operationId: undefined; readonly problems: ReadonlyArray<string> } => {
  const { routes, ajv } = loadSwagger();
  const candidates = routes.filter((r) => r.regex.test(pathname));
  const route = candidates.find((r) => r.ops[method.toLowerCase()] !== undefined);
  if (route === undefined) {
    return {
      operationId: undefined,
      problems: [
        candidates.length === 0 ? `no swagger path matches ${pathname}` : `method ${method} not allowed on ${pathname}`,
      ],
    };
  }
  const op = route.ops[method.toLowerCase()] as SwaggerOp;
  const m = route.regex.exec(pathname) ?? [];
  const pathParams = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? "")]));
  const params = op.parameters ?? [];
  const problems: Array<string> = [];
  for (const [k, v] of query.entries()) {
    const p = params.find((x) => x.in === "query" && x.name === k);
    if (p === undefined) problems.push(`query parameter ${k} is not declared by ${op.operationId}`);
    else {
      const bad = checkScalar(p, v);
      if (bad !== undefined) problems.push(bad);
    }
  }
  const bodyParam = params.find((x) => x.in === "body");
  if (bodyParam === undefined && body !== undefined) problems.push(`${op.operationId} takes no body`);
  if (bodyParam?.schema !== undefined) {
    if (body === undefined && bodyParam.required === true) problems.push(`${op.operationId}: body is required`);
    else if (body !== undefined) {
      const ref = String(bodyParam.schema["$ref"] ?? "").replace("#/definitions/", "argo-swagger#/definitions/");
      const v = ajv.getSchema(ref);
      if (v === undefined) problems.push(`swagger: no schema ${ref}`);
      else if (!v(body)) problems.push(...toProblems(v.errors).map((s) => `body ${s}`));
    }
  }
  return { operationId: op.operationId, pathParams, problems };
};
