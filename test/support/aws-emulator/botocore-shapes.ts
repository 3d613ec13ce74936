/**
 * Validates JSON values against botocore's `service-2.json` models (Debian python3-botocore),
 * so the emulator's requests and answers can be checked against AWS's published shapes.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

type Ref = { readonly shape: string; readonly location?: string; readonly locationName?: string };
type Shape =
  | {
      readonly type: "structure";
      readonly members: Readonly<Record<string, Ref>>;
      readonly required?: ReadonlyArray<string>;
      readonly exception?: boolean;
    }
  | { readonly type: "list"; readonly member: Ref; readonly min?: number; readonly max?: number }
  | { readonly type: "map"; readonly key: Ref; readonly value: Ref; readonly min?: number; readonly max?: number }
  | {
      readonly type: "string";
      readonly enum?: ReadonlyArray<string>;
      readonly min?: number;
      readonly max?: number;
      readonly pattern?: string;
    }
  | { readonly type: "integer" | "long"; readonly min?: number; readonly max?: number }
  | { readonly type: "double" | "float"; readonly min?: number; readonly max?: number }
  | { readonly type: "boolean" | "timestamp" | "blob" };

type Operation = {
  readonly input?: Ref;
  readonly output?: Ref;
  readonly errors?: ReadonlyArray<Ref>;
  readonly http?: { readonly method: string; readonly requestUri: string };
};

/** A loaded service model. */
export type ServiceModel = {
  readonly metadata: {
    readonly targetPrefix: string;
    readonly protocol: string;
    readonly jsonVersion: string;
    readonly signatureVersion: string;
    readonly endpointPrefix?: string;
  };
  readonly operations: Readonly<Record<string, Operation>>;
  readonly shapes: Readonly<Record<string, Shape>>;
};

export const BOTOCORE_DATA = "/usr/lib/python3/dist-packages/botocore/data";

/** Errors every AWS JSON service may return that models do not list per operation. */
export const COMMON_ERRORS: ReadonlyArray<string> = [
  "ThrottlingException",
  "InvalidSignatureException",
  "IncompleteSignatureException",
  "MissingAuthenticationTokenException",
  "UnrecognizedClientException",
  "SerializationException",
  "UnknownOperationException",
];

/**
 * Loads `<service>/<version>/service-2.json(.gz)`; the newest version directory wins.
 * Throws a one-line message naming the Debian package when botocore is not installed.
 *
 * @example
 * const model = loadBotocoreModel("codebuild");
 */
export const loadBotocoreModel = (service: string, root = BOTOCORE_DATA): ServiceModel => {
  const dir = join(root, service);
  if (!existsSync(dir)) {
    throw new Error(
      `botocore model for ${service} not found under ${root}: install the Debian package python3-botocore (apt-get install -y python3-botocore)`,
    );
  }
  const version = readdirSync(dir).sort().pop();
  if (version === undefined) throw new Error(`no model version under ${dir}`);
  const plain = join(dir, version, "service-2.json");
  const text = existsSync(plain)
    ? readFileSync(plain, "utf8")
    : gunzipSync(readFileSync(`${plain}.gz`)).toString("utf8");
  return JSON.parse(text) as ServiceModel;
};

const isObject = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const checkBounds = (
  n: number,
  s: { readonly min?: number; readonly max?: number },
  what: string,
  path: string,
  out: string[],
): void => {
  if (s.min !== undefined && n < s.min) out.push(`${path}: ${what} ${n} is below the minimum ${s.min}`);
  if (s.max !== undefined && n > s.max) out.push(`${path}: ${what} ${n} is above the maximum ${s.max}`);
};

const patternOf = (p: string): RegExp | undefined => {
  try {
    return new RegExp(`^(?:${p})$`, "u");
  } catch {
    return undefined;
  }
};

/**
 * Every way `value` breaks shape `name`, as `path: problem` lines (empty when it conforms).
 * Timestamps are awsJson epoch numbers. Unknown structure members are reported.
 *
 * @example
 * validateShape(model, "StartBuildInput", body); // []
 */
export const validateShape = (model: ServiceModel, name: string, value: unknown, path = "$"): ReadonlyArray<string> => {
  const out: string[] = [];
  const walk = (shapeName: string, v: unknown, at: string): void => {
    const s = model.shapes[shapeName];
    if (!s) {
      out.push(`${at}: unknown shape ${shapeName}`);
      return;
    }
    switch (s.type) {
      case "structure": {
        if (!isObject(v)) return void out.push(`${at}: expected an object (${shapeName})`);
        for (const r of s.required ?? [])
          if (v[r] === undefined) out.push(`${at}.${r}: required member of ${shapeName} is missing`);
        for (const [k, child] of Object.entries(v)) {
          const m = s.members[k];
          if (!m) out.push(`${at}.${k}: not a member of ${shapeName}`);
          else if (child !== undefined && child !== null) walk(m.shape, child, `${at}.${k}`);
        }
        return;
      }
      case "list":
        if (!Array.isArray(v)) return void out.push(`${at}: expected a list (${shapeName})`);
        checkBounds(v.length, s, "length", at, out);
        v.forEach((item, i) => walk(s.member.shape, item, `${at}[${i}]`));
        return;
      case "map":
        if (!isObject(v)) return void out.push(`${at}: expected a map (${shapeName})`);
        checkBounds(Object.keys(v).length, s, "size", at, out);
        for (const [k, child] of Object.entries(v)) {
          walk(s.key.shape, k, `${at}{${k}}`);
          walk(s.value.shape, child, `${at}.${k}`);
        }
        return;
      case "string": {
        if (typeof v !== "string") return void out.push(`${at}: expected a string (${shapeName})`);
        if (s.enum && !s.enum.includes(v)) out.push(`${at}: ${JSON.stringify(v)} is not one of ${s.enum.join("|")}`);
        checkBounds(v.length, s, "length", at, out);
        const re = s.pattern === undefined ? undefined : patternOf(s.pattern);
        if (re && !re.test(v)) out.push(`${at}: ${JSON.stringify(v)} does not match ${s.pattern}`);
        return;
      }
      case "integer":
      case "long":
        if (typeof v !== "number" || !Number.isInteger(v))
          return void out.push(`${at}: expected an integer (${shapeName})`);
        checkBounds(v, s, "value", at, out);
        return;
      case "double":
      case "float":
        if (typeof v !== "number") return void out.push(`${at}: expected a number (${shapeName})`);
        checkBounds(v, s, "value", at, out);
        return;
      case "boolean":
        if (typeof v !== "boolean") out.push(`${at}: expected a boolean (${shapeName})`);
        return;
      case "timestamp":
        if (typeof v !== "number" || !Number.isFinite(v))
          out.push(`${at}: expected epoch seconds as a number (${shapeName})`);
        return;
      case "blob":
        if (typeof v !== "string") out.push(`${at}: expected base64 text (${shapeName})`);
        return;
    }
  };
  walk(name, value, path);
  return out;
};

/**
 * Checks one request/answer pair of `operation`: the request against its input shape, a 200
 * answer against its output shape, an error answer's `__type` against the modelled errors.
 *
 * @example
 * validateExchange(model, "StartBuild", body, 200, answer); // []
 */
export const validateExchange = (
  model: ServiceModel,
  operation: string,
  request: unknown,
  status: number,
  response: unknown,
): ReadonlyArray<string> => {
  const op = model.operations[operation];
  if (!op) return [`${operation}: not an operation of ${model.metadata.targetPrefix}`];
  const problems: string[] = [];
  if (request !== undefined && op.input)
    problems.push(...validateShape(model, op.input.shape, request, `${operation} request`));
  if (status === 200) {
    if (op.output) problems.push(...validateShape(model, op.output.shape, response, `${operation} response`));
    return problems;
  }
  if (!isObject(response)) return [...problems, `${operation} error: body is not an object`];
  const type = response["__type"];
  const allowed = [...(op.errors ?? []).map((e) => e.shape), ...COMMON_ERRORS];
  if (typeof type !== "string" || !allowed.includes(type.replace(/^.*#/, ""))) {
    problems.push(
      `${operation} error: __type ${String(type)} is not modelled for this operation (${allowed.join(", ")})`,
    );
  }
  if (typeof response["message"] !== "string") problems.push(`${operation} error: message is missing`);
  const extra = Object.keys(response).filter((k) => k !== "__type" && k !== "message");
  if (extra.length > 0) problems.push(`${operation} error: unexpected fields ${extra.join(", ")}`);
  if (status < 400 || status > 599) problems.push(`${operation} error: status ${status} is not an error status`);
  return problems;
};

/** A REST request as it went over the wire (path still URI-encoded). */
export type RestRequest = {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
};

/** Query parameters the JS SDK adds to REST requests for routing; not model members. */
const SDK_QUERY = new Set(["x-id"]);

/**
 * Rebuilds the input structure of a REST operation from the HTTP request, by the model's
 * `location`/`locationName` bindings (uri labels, headers, query string), so that it can be
 * checked with `validateShape`. Headers bound to no member are transport (signing, user agent)
 * and are left out; a query parameter bound to no member is reported.
 *
 * @example
 * restRequestToInput(s3, "GetObject", { method: "GET", path: "/b/k", query: {}, headers: {} }); // { input: { Bucket: "b", Key: "k" }, problems: [] }
 */
export const restRequestToInput = (
  model: ServiceModel,
  operation: string,
  req: RestRequest,
): { readonly input: Readonly<Record<string, unknown>>; readonly problems: ReadonlyArray<string> } => {
  const op = model.operations[operation];
  const shape = op?.input === undefined ? undefined : model.shapes[op.input.shape];
  if (!op?.http || shape?.type !== "structure")
    return { input: {}, problems: [`${operation}: not a REST operation with an input structure`] };
  const problems: string[] = [];
  if (req.method !== op.http.method)
    problems.push(`${operation}: method ${req.method}, the model says ${op.http.method}`);
  const uri = op.http.requestUri.split("?")[0] ?? "";
  const labels: string[] = [];
  const pattern = uri
    .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
    .replace(/\\?\{([A-Za-z0-9]+)(\\\+)?\\?\}/g, (_m: string, name: string, greedy: string | undefined) => {
      labels.push(name);
      return greedy ? "(.+)" : "([^/]+)";
    });
  const m = new RegExp(`^${pattern}$`).exec(req.path);
  const input: Record<string, unknown> = {};
  if (!m) problems.push(`${operation}: path ${req.path} does not match ${op.http.requestUri}`);
  const lower = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const boundQuery = new Set<string>();
  for (const [member, ref] of Object.entries(shape.members)) {
    const memberShape = model.shapes[ref.shape];
    const convert = (v: string): unknown =>
      memberShape?.type === "timestamp"
        ? Date.parse(v) / 1000
        : memberShape?.type === "integer" || memberShape?.type === "long"
          ? Number(v)
          : memberShape?.type === "boolean"
            ? v === "true"
            : v;
    if (ref.location === "uri") {
      const i = labels.indexOf(ref.locationName ?? member);
      const raw = i >= 0 ? m?.[i + 1] : undefined;
      if (raw !== undefined)
        input[member] = raw
          .split("/")
          .map((seg) => decodeURIComponent(seg))
          .join("/");
    } else if (ref.location === "header") {
      const v = lower[(ref.locationName ?? member).toLowerCase()];
      if (v !== undefined) input[member] = convert(v);
    } else if (ref.location === "querystring") {
      const name = ref.locationName ?? member;
      boundQuery.add(name);
      const v = req.query[name];
      if (v !== undefined) input[member] = convert(v);
    }
  }
  for (const q of Object.keys(req.query))
    if (!boundQuery.has(q) && !SDK_QUERY.has(q))
      problems.push(`${operation}: query parameter ${q} is not a member of ${op.input?.shape ?? "?"}`);
  return { input, problems };
};
