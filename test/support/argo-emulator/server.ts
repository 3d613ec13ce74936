/**
 * A local argo-server emulator on 127.0.0.1 (node:http), driven by real `fetch`.
 *
 * Every request is matched to swagger.json (path, method, query parameters, body schema) and every
 * submitted Workflow is validated against schema.json; problems are answered like argo-server does
 * (grpc-gateway `{code, message}` with the matching HTTP status) and recorded in `violations`, which
 * tests assert empty. Workflows advance one phase per GET (no timers), following a scripted
 * `Scenario`. Responses are Workflows that themselves pass schema.json.
 */
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkWorkflow, matchRequest } from "./specs.js";

/** How a submitted Workflow behaves. */
export type Scenario = {
  /** Phase after each GET: the first GET sees `phases[0]`, and the last one sticks. */
  readonly phases: ReadonlyArray<string>;
  /** `status.message` once the final phase is reached. */
  readonly message?: string | undefined;
  /** Message of the (pod) node when the final phase is Failed or Error. */
  readonly nodeMessage?: string | undefined;
  /** Log lines of the main container, revealed as the workflow advances. */
  readonly logs?: ReadonlyArray<string> | undefined;
  /** Value of the result output parameter when it succeeds. */
  readonly result?: string | undefined;
};

type Json = Record<string, unknown>;

/** One Workflow the emulator holds. */
export type StoredWorkflow = {
  readonly submitted: Json;
  readonly name: string;
  readonly namespace: string;
  readonly scenario: Scenario;
  gets: number;
  stoppedWith: "Stop" | "Terminate" | undefined;
};

/** One fault to inject, consumed by the next request of `operationId`. */
export type Fault = {
  readonly status: number;
  readonly message?: string;
  readonly commit?: boolean;
  readonly retryAfter?: string;
};

export type ArgoEmulator = {
  readonly url: string;
  readonly token: string;
  readonly workflows: Map<string, StoredWorkflow>;
  readonly requests: Array<{
    readonly method: string;
    readonly path: string;
    readonly operationId: string | undefined;
    readonly accept: string;
  }>;
  readonly violations: Array<string>;
  /** Scenario for Workflows created from now on. */
  scenario: Scenario;
  readonly failNext: (operationId: string, ...faults: ReadonlyArray<Fault>) => void;
  readonly close: () => Promise<void>;
};

const GRPC = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 429: 8, 500: 13, 502: 14, 503: 14, 504: 4 } as Record<
  number,
  number
>;
const DONE = new Set(["Succeeded", "Failed", "Error"]);
const T0 = Date.parse("2026-11-27T12:00:00Z");
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const sendError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void =>
  sendJson(res, status, { code: GRPC[status] ?? 2, message }, headers);

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const phaseOf = (w: StoredWorkflow): string => {
  if (w.stoppedWith !== undefined) return "Failed";
  const p = w.scenario.phases;
  return w.gets === 0 ? "" : (p[Math.min(w.gets, p.length) - 1] ?? "");
};

const revealedLogs = (w: StoredWorkflow): ReadonlyArray<string> => {
  const all = w.scenario.logs ?? [];
  const phase = phaseOf(w);
  if (DONE.has(phase)) return all;
  if (phase === "" || phase === "Pending") return [];
  return all.slice(0, Math.ceil(all.length / 2));
};

const templateOutput = (w: StoredWorkflow): { name: string; globalName: string | undefined } => {
  const spec = w.submitted["spec"] as Json;
  const tpl = (spec["templates"] as Array<Json>)[0] ?? {};
  const param = (((tpl["outputs"] as Json | undefined)?.["parameters"] as Array<Json> | undefined) ?? [])[0] ?? {};
  return { name: String(param["name"] ?? "result"), globalName: param["globalName"] as string | undefined };
};

/** Output artifacts the template declares, as a succeeded node reports them (saved to the default S3 repository). */
const savedArtifacts = (w: StoredWorkflow): ReadonlyArray<Json> => {
  const spec = w.submitted["spec"] as Json;
  const tpl = (spec["templates"] as Array<Json>)[0] ?? {};
  const declared = ((tpl["outputs"] as Json | undefined)?.["artifacts"] as Array<Json> | undefined) ?? [];
  return declared.map((a) => ({
    name: a["name"],
    path: a["path"],
    s3: { key: `${w.name}/${w.name}/${String(a["name"])}.tgz` },
  }));
};

/** The Workflow as argo-server would return it now. */
const render = (w: StoredWorkflow): Json => {
  const phase = phaseOf(w);
  const done = DONE.has(phase);
  const meta = w.submitted["metadata"] as Json;
  const base: Json = {
    ...w.submitted,
    metadata: {
      ...meta,
      name: w.name,
      namespace: w.namespace,
      uid: `uid-${w.name}`,
      creationTimestamp: iso(0),
      generateName: undefined,
    },
  };
  if (phase === "") return base;
  const stopMsg = w.stoppedWith === undefined ? undefined : `Stopped with strategy '${w.stoppedWith}'`;
  const failed = phase === "Failed" || phase === "Error";
  const nodeMsg = stopMsg ?? (failed ? w.scenario.nodeMessage : undefined);
  const out = templateOutput(w);
  const succeeded = phase === "Succeeded" && w.scenario.result !== undefined;
  const node: Json = {
    id: w.name,
    name: w.name,
    displayName: w.name,
    type: "Pod",
    templateName: "main",
    phase: phase === "Pending" ? "Pending" : phase,
    startedAt: iso(1),
    ...(done ? { finishedAt: iso(30) } : {}),
    ...(nodeMsg === undefined ? {} : { message: nodeMsg }),
    ...(succeeded
      ? {
          outputs: {
            parameters: [{ name: out.name, value: w.scenario.result }],
            ...(savedArtifacts(w).length === 0 ? {} : { artifacts: savedArtifacts(w) }),
          },
        }
      : {}),
  };
  const status: Json = {
    phase,
    startedAt: iso(1),
    ...(done ? { finishedAt: iso(30), progress: "1/1" } : { progress: "0/1" }),
    ...(done && (stopMsg ?? w.scenario.message) !== undefined ? { message: stopMsg ?? w.scenario.message } : {}),
    nodes: { [w.name]: node },
    ...(succeeded && out.globalName !== undefined
      ? { outputs: { parameters: [{ name: out.globalName, value: w.scenario.result }] } }
      : {}),
  };
  return { ...base, metadata: { ...(base["metadata"] as Json) }, status };
};

/**
 * Starts the emulator on an ephemeral loopback port.
 *
 * @example
 * const emu = await startArgoEmulator({ token: "t0k" });
 * const runner = createArgoRunner({ fetch }, { baseUrl: emu.url, token: emu.token, namespace: "ml", image: "kw:1" });
 */
export const startArgoEmulator = async (
  opts: { token?: string; forbiddenToken?: string; tls?: { key: string; cert: string } } = {},
): Promise<ArgoEmulator> => {
  const token = opts.token ?? "emulator-token";
  const workflows = new Map<string, StoredWorkflow>();
  const requests: ArgoEmulator["requests"] = [];
  const violations: Array<string> = [];
  const faults = new Map<string, Array<Fault>>();
  let created = 0;

  const respondWorkflow = (res: ServerResponse, w: StoredWorkflow): void => {
    const body = render(w);
    const problems = checkWorkflow(JSON.parse(JSON.stringify(body)));
    if (problems.length > 0)
      violations.push(`emulator response for ${w.name} fails schema.json: ${problems.join("; ")}`);
    sendJson(res, 200, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const text = await readBody(req);
    let body: unknown;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        violations.push(`${req.method} ${url.pathname}: body is not JSON`);
        return sendError(res, 400, "invalid JSON body");
      }
    }
    const m = matchRequest(req.method ?? "GET", url.pathname, url.searchParams, body);
    requests.push({
      method: req.method ?? "",
      path: url.pathname + url.search,
      operationId: m.operationId,
      accept: req.headers.accept ?? "",
    });
    if (m.operationId === undefined || m.problems.length > 0) {
      violations.push(`${req.method} ${url.pathname}: ${m.problems.join("; ")}`);
      return m.operationId === undefined
        ? sendError(res, 404, "Not Found")
        : sendError(res, 400, m.problems.join("; "));
    }
    const auth = req.headers.authorization;
    if (opts.forbiddenToken !== undefined && auth === `Bearer ${opts.forbiddenToken}`) {
      return sendError(
        res,
        403,
        `workflows.argoproj.io is forbidden: User "system:serviceaccount:ml:bot" cannot access this resource`,
      );
    }
    if (auth !== `Bearer ${token}`)
      return sendError(res, 401, "token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/");
    const { namespace = "", name = "" } = "pathParams" in m ? m.pathParams : {};
    const fault = faults.get(m.operationId)?.shift();
    if (fault !== undefined && fault.commit !== true) {
      return sendError(
        res,
        fault.status,
        fault.message ?? `injected ${fault.status}`,
        fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter },
      );
    }

    switch (m.operationId) {
      case "WorkflowService_CreateWorkflow": {
        const b = body as Json;
        const wf = b["workflow"] as Json;
        const problems = checkWorkflow(wf);
        if (problems.length > 0) {
          violations.push(`submitted Workflow fails schema.json: ${problems.join("; ")}`);
          return sendError(res, 400, `workflow invalid: ${problems[0]}`);
        }
        if (b["namespace"] !== namespace)
          violations.push(`create: body namespace ${String(b["namespace"])} != path ${namespace}`);
        const meta = wf["metadata"] as Json;
        created += 1;
        const wfName =
          typeof meta["name"] === "string"
            ? meta["name"]
            : `${String(meta["generateName"] ?? "wf-")}${(10000 + created).toString(36)}`;
        if (workflows.has(wfName)) return sendError(res, 409, `workflows.argoproj.io "${wfName}" already exists`);
        const stored: StoredWorkflow = {
          submitted: wf,
          name: wfName,
          namespace,
          scenario: emulator.scenario,
          gets: 0,
          stoppedWith: undefined,
        };
        workflows.set(wfName, stored);
        if (fault !== undefined) return sendError(res, fault.status, fault.message ?? "injected after commit");
        return respondWorkflow(res, stored);
      }
      case "WorkflowService_GetWorkflow": {
        const w = workflows.get(name);
        if (w === undefined || w.namespace !== namespace)
          return sendError(res, 404, `workflows.argoproj.io "${name}" not found`);
        w.gets += 1;
        return respondWorkflow(res, w);
      }
      case "WorkflowService_WorkflowLogs": {
        const w = workflows.get(name);
        if (w === undefined) return sendError(res, 404, `workflows.argoproj.io "${name}" not found`);
        const podName = `${w.name}-main-3187`;
        const sse = (req.headers.accept ?? "").includes("text/event-stream");
        res.writeHead(200, { "content-type": sse ? "text/event-stream" : "application/json" });
        for (const content of revealedLogs(w)) {
          const chunk = JSON.stringify({ result: { content, podName } });
          res.write(sse ? `data: ${chunk} \n\n` : `${chunk}\n`);
        }
        return void res.end();
      }
      case "WorkflowService_StopWorkflow":
      case "WorkflowService_TerminateWorkflow": {
        const w = workflows.get(name);
        if (w === undefined) return sendError(res, 404, `workflows.argoproj.io "${name}" not found`);
        if (DONE.has(phaseOf(w))) return sendError(res, 400, "cannot shutdown a completed workflow");
        w.stoppedWith = m.operationId === "WorkflowService_StopWorkflow" ? "Stop" : "Terminate";
        return respondWorkflow(res, w);
      }
      case "ArtifactService_GetOutputArtifact": {
        const w = workflows.get(name);
        const { nodeId = "", artifactName = "" } = "pathParams" in m ? m.pathParams : {};
        const node =
          w === undefined
            ? undefined
            : ((render(w)["status"] as Json | undefined)?.["nodes"] as Record<string, Json> | undefined)?.[nodeId];
        const saved = ((node?.["outputs"] as Json | undefined)?.["artifacts"] as Array<Json> | undefined) ?? [];
        if (w === undefined || w.namespace !== namespace || !saved.some((a) => a["name"] === artifactName))
          return sendError(res, 404, `artifact ${artifactName} not found`);
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return void res.end(Buffer.from(`artifact ${artifactName} of ${w.name}`));
      }
      default:
        return sendError(res, 501, `${m.operationId} is not emulated`);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      violations.push(`emulator crashed: ${String(e)}`);
      if (!res.headersSent) sendError(res, 500, "emulator crashed");
    });
  };
  const server = opts.tls === undefined ? createServer(listener) : createTlsServer(opts.tls, listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const emulator: ArgoEmulator = {
    url: `${opts.tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    token,
    workflows,
    requests,
    violations,
    scenario: { phases: ["Pending", "Running", "Succeeded"] },
    failNext: (operationId, ...fs) => faults.set(operationId, [...(faults.get(operationId) ?? []), ...fs]),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e === undefined ? resolve() : reject(e)));
      }),
  };
  return emulator;
};
