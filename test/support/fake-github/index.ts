/**
 * A fake GitHub REST API for tests: GitHub's own OpenAPI description validates every request we
 * send and every response the fake returns; state lives in memory. Drive it with the real
 * Octokit, either in-process (`request: { fetch: gh.fetch }`) or over loopback HTTP
 * (`baseUrl: (await gh.listen()).baseUrl`). See README.md.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Context, OpenAPIBackend } from "openapi-backend";
import { authenticate } from "./auth.js";
import { createRateLimits, etagOf, ifNoneMatchHits } from "./conditional.js";
import { error, handlers, type FakeResponse, type HandlerEnv } from "./handlers.js";
import { createExamples, type Obj } from "./json.js";
import { acceptable, declaresSimple422, notModifiedProblem } from "./response-checks.js";
import { createGitHubBackend } from "./spec.js";
import { createState, type FakeState } from "./state.js";
import { createWorldHelpers } from "./world.js";

export * from "./state.js";
export { BODY_LIMIT, CHECK_OUTPUT_LIMIT } from "./handlers.js";

/** A scripted failure: answers matching requests instead of (or, with `after`, after) the handler. */
export type Fault = {
  readonly operationId?: string;
  readonly method?: string;
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** How many matching requests it answers (default 1). */
  times?: number;
  /** Run the real handler first (the write happens), then answer with the fault: a lost response. */
  readonly after?: boolean;
};

export type LoggedRequest = {
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  readonly status: number;
  readonly caller: string | undefined;
  readonly body: unknown;
  readonly at: number;
  /** The request's If-None-Match (a conditional read), if it sent one. */
  readonly ifNoneMatch?: string | undefined;
};

type WireRequest = {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
};
type WireResponse = { readonly status: number; readonly headers: Record<string, string>; readonly bodyText: string };

export type FakeGitHubOptions = {
  readonly now?: () => number;
  /** Operations a test registers itself later with `gh.api.register` (kept in the trimmed spec). */
  readonly extraOperations?: ReadonlyArray<string>;
};

export type FakeGitHub = Awaited<ReturnType<typeof createFakeGitHub>>;

const GHES_PREFIX = "/api/v3";

const toFakeResponse = (r: unknown): FakeResponse =>
  r !== null && typeof r === "object" && "status" in r
    ? (r as FakeResponse)
    : { status: 500, body: { message: "fake-github: handler returned nothing" } };

/**
 * Creates a fake GitHub with an empty world.
 *
 * @example
 * const gh = await createFakeGitHub();
 * const alice = gh.addUser("alice");
 * const repo = gh.addRepo("octo", "kw");
 * const octokit = new Octokit({ auth: gh.addToken(alice), request: { fetch: gh.fetch } });
 */
export const createFakeGitHub = async (opts: FakeGitHubOptions = {}) => {
  const api: OpenAPIBackend = await createGitHubBackend(
    new Set([...Object.keys(handlers), ...(opts.extraOperations ?? [])]),
  );
  const ex = createExamples(api);
  const state: FakeState = createState();
  const faults: Fault[] = [];
  const log: LoggedRequest[] = [];
  const rateLimits = createRateLimits();
  /** Responses of the fake that broke GitHub's schema, and operations it does not implement. */
  const problems: string[] = [];
  let clock = opts.now ?? (() => Date.now());

  api.register({
    validationFail: (c: Context) => {
      const errors = c.validation.errors ?? [];
      return {
        status: 422,
        body: {
          message: "Validation Failed",
          documentation_url: "https://docs.github.com/rest",
          // Some operations declare the "simple" shape, whose errors are plain strings.
          errors: declaresSimple422(c)
            ? errors.map((e) => `${e.instancePath} ${e.message ?? ""}`.trim())
            : errors.map((e) => ({
                resource: "Request",
                code: "invalid",
                field: e.instancePath,
                message: `${e.instancePath} ${e.message ?? ""}`.trim(),
              })),
        },
      };
    },
    notFound: (c: Context) => {
      problems.push(`no route in fake-github for ${c.request.method.toUpperCase()} ${c.request.path}`);
      return error(404, "Not Found");
    },
    methodNotAllowed: () => error(404, "Not Found"),
    notImplemented: (c: Context) => {
      problems.push(`not implemented in fake-github: ${c.operation.operationId ?? "?"}`);
      return error(501, `fake-github does not implement ${c.operation.operationId ?? "?"}`);
    },
  });
  for (const [id, h] of Object.entries(handlers)) api.register(id, (c: Context, env: HandlerEnv) => h(c, env));

  const takeFault = (operationId: string | undefined, method: string, after: boolean): Fault | undefined => {
    const i = faults.findIndex(
      (f) =>
        (f.after ?? false) === after &&
        (f.operationId === undefined || f.operationId === operationId) &&
        (f.method === undefined || f.method.toUpperCase() === method),
    );
    if (i < 0) return undefined;
    const f = faults[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f;
  };

  /** A GET answer with its validator, or 304 with no body when the client's `If-None-Match` still holds. */
  const conditional = (
    operationId: string,
    res: FakeResponse,
    headers: Readonly<Record<string, string>>,
  ): FakeResponse => {
    const ifNoneMatch = headers["if-none-match"];
    const etag = etagOf(JSON.stringify(res.body ?? null), headers["authorization"] ?? "");
    if (!ifNoneMatchHits(ifNoneMatch, etag)) return { ...res, headers: { ...res.headers, etag } };
    const problem = notModifiedProblem(api, operationId);
    if (problem !== undefined) problems.push(problem);
    return { status: 304, headers: { etag } };
  };

  const dispatch = async (req: WireRequest): Promise<WireResponse> => {
    const method = req.method.toUpperCase();
    const ghes = req.url.pathname.startsWith(GHES_PREFIX + "/");
    const path = ghes ? req.url.pathname.slice(GHES_PREFIX.length) : req.url.pathname;
    const base = `${req.url.origin}${ghes ? GHES_PREFIX : ""}`;
    const query = Object.fromEntries(req.url.searchParams);
    let parsed: unknown;
    let res: FakeResponse;
    let callerName: string | undefined;
    let limitHeaders: Record<string, string> = {};
    try {
      parsed = req.bodyText === "" ? undefined : JSON.parse(req.bodyText);
    } catch {
      parsed = Symbol.for("invalid");
    }
    const oreq = { method, path, query, headers: req.headers, body: parsed };
    const operationId = api.matchOperation(oreq)?.operationId;
    const before = takeFault(operationId, method, false);
    if (before !== undefined) {
      res = { status: before.status, body: before.body ?? { message: "fault" }, headers: before.headers ?? {} };
    } else if (parsed === Symbol.for("invalid")) {
      res = error(400, "Problems parsing JSON");
    } else if (operationId === undefined) {
      problems.push(`no route in fake-github for ${method} ${path}`);
      res = error(404, "Not Found");
    } else {
      const auth = authenticate(state, operationId, req.headers["authorization"], clock());
      callerName = auth.ok ? auth.caller.user.login : undefined;
      if (!auth.ok) res = error(auth.status, auth.message);
      else if (rateLimits.exhausted(auth.caller, clock())) {
        res = error(403, `API rate limit exceeded for ${callerName ?? "?"}.`, {
          documentation_url: "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api",
        });
        limitHeaders = rateLimits.settle(auth.caller, clock(), res.status);
      } else {
        const env: HandlerEnv = { state, ex, now: clock, caller: auth.caller, base, path, query };
        res = toFakeResponse(await api.handleRequest(oreq, env));
        if (res.status < 500 && res.status !== 501) {
          const v = api.validateResponse(res.body, operationId, res.status);
          const declared = Object.keys(api.getOperation(operationId)?.responses ?? {}).includes(String(res.status));
          if (declared && !v.valid && !acceptable(operationId, v.errors ?? [])) {
            problems.push(`${operationId} ${res.status}: ${JSON.stringify(v.errors?.slice(0, 3))}`);
            res = error(500, `fake-github produced an invalid ${operationId} response`);
          }
        }
        if (method === "GET" && res.status === 200) res = conditional(operationId, res, req.headers);
        const after = takeFault(operationId, method, true);
        if (after !== undefined)
          res = { status: after.status, body: after.body ?? { message: "fault" }, headers: after.headers ?? {} };
        limitHeaders = rateLimits.settle(auth.caller, clock(), res.status);
      }
    }
    const ifNoneMatch = req.headers["if-none-match"];
    log.push({
      method,
      path,
      operationId,
      status: res.status,
      caller: callerName,
      body: parsed,
      at: clock(),
      ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
    });
    const noBody = res.status === 204 || res.status === 304;
    return {
      status: res.status,
      headers: {
        ...(noBody ? {} : { "content-type": "application/json; charset=utf-8" }),
        "x-github-request-id": `FAKE:${log.length}`,
        ...limitHeaders,
        ...(res.headers ?? {}),
      },
      bodyText: noBody || res.body === undefined ? "" : JSON.stringify(res.body),
    };
  };

  /** A WHATWG fetch for Octokit's `request.fetch` that never opens a socket. */
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const headers = Object.fromEntries([...new Headers(init?.headers)].map(([k, v]) => [k.toLowerCase(), v]));
    const bodyText = typeof init?.body === "string" ? init.body : init?.body == null ? "" : String(init.body);
    const r = await dispatch({ method: init?.method ?? "GET", url, headers, bodyText });
    return new Response(r.bodyText === "" ? null : r.bodyText, { status: r.status, headers: r.headers });
  };

  const readBody = (m: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      m.on("data", (c: Buffer) => chunks.push(c));
      m.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      m.on("error", reject);
    });

  /** Serves the fake on 127.0.0.1 (random port) for black-box tests and child processes. */
  const listen = async (): Promise<{ readonly baseUrl: string; readonly close: () => Promise<void> }> => {
    const server = createServer((m, out) => {
      void (async () => {
        const headers = Object.fromEntries(
          Object.entries(m.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
        );
        const r = await dispatch({
          method: m.method ?? "GET",
          url: new URL(m.url ?? "/", `http://${m.headers.host ?? "127.0.0.1"}`),
          headers,
          bodyText: await readBody(m),
        });
        out.writeHead(r.status, r.headers).end(r.bodyText);
      })().catch((e: unknown) => {
        problems.push(`fake-github server error: ${String(e)}`);
        out.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  };

  const world = createWorldHelpers(state, () => clock());

  return {
    state,
    api,
    faults,
    log,
    problems,
    /** Each caller's hourly window (`installation:99`, `user:<id>`, …): what it has used, when it resets. */
    rateLimits: rateLimits.windows,
    fetch,
    listen,
    dispatch,
    setClock: (now: () => number) => {
      clock = now;
    },
    ...world,
  };
};

export type { Obj };
