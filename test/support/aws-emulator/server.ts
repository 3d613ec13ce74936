/**
 * A local CodeBuild + CloudWatch Logs endpoint speaking awsJson1_1 on 127.0.0.1, for the real
 * @aws-sdk clients: `POST /`, operation in `X-Amz-Target`, SigV4 checked, errors as
 * `{"__type","message"}` with their HTTP status. Builds follow scripts (see builds.ts); faults
 * (throttling, capacity) are injected per operation.
 *
 * Also S3 GetObject (REST-XML, path-style `GET /{bucket}/{key}`, SigV4 with service `s3` and a
 * signed `x-amz-content-sha256`), over objects put with `putObject`; errors are S3's XML bodies.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BuildScript, EmulatedBuild, EnvVar } from "./builds.js";
import { isComplete, logGroupOf, logStreamOf, newBuild, releasedLines, renderBuild, stepIndex } from "./builds.js";
import { verifySigV4 } from "./sigv4.js";

export const TEST_CREDENTIALS = { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator-secret-key" } as const;
export const TEST_REGION = "us-east-1";

/** One request and the answer the emulator gave, for assertions and shape checks. */
export type Exchange = {
  readonly service: "codebuild" | "logs" | "s3" | "unknown";
  readonly operation: string;
  readonly request: unknown;
  readonly status: number;
  readonly response: unknown;
};

/** An error to answer with. */
export type InjectedError = { readonly status: number; readonly type: string; readonly message: string };

export const throttling: InjectedError = { status: 400, type: "ThrottlingException", message: "Rate exceeded" };

type Answer = readonly [number, unknown];

const TARGETS: Readonly<Record<string, { service: "codebuild" | "logs"; operation: string }>> = {
  "CodeBuild_20161006.StartBuild": { service: "codebuild", operation: "StartBuild" },
  "CodeBuild_20161006.BatchGetBuilds": { service: "codebuild", operation: "BatchGetBuilds" },
  "CodeBuild_20161006.StopBuild": { service: "codebuild", operation: "StopBuild" },
  "Logs_20140328.GetLogEvents": { service: "logs", operation: "GetLogEvents" },
};

const err = (status: number, type: string, message: string): Answer => [status, { __type: type, message }];
const invalid = (message: string): Answer => err(400, "InvalidInputException", message);

const TOKEN = /^f\/(\d{20})(?:\/\d+)?$/;
const fwd = (idx: number, serial?: number): string =>
  `f/${String(idx).padStart(20, "0")}${serial === undefined ? "" : `/${serial}`}`;
const bwd = (idx: number): string => `b/${String(idx).padStart(20, "0")}`;

const ENV_TYPES = new Set(["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"]);
const IDEMPOTENCY_WINDOW_SEC = 300;

/** A running emulator and its controls. */
export type AwsEmulator = {
  readonly endpoint: string;
  readonly exchanges: ReadonlyArray<Exchange>;
  readonly builds: ReadonlyMap<string, EmulatedBuild>;
  /** The script the next StartBuild uses (queued; default: success). */
  readonly scriptNextBuild: (script: BuildScript) => void;
  /** The next `times` calls of `operation` fail with `error`. */
  readonly inject: (operation: string, error: InjectedError, times?: number) => void;
  /** Drops every injected error not yet served. */
  readonly clearInjected: () => void;
  /** Stores an S3 object for GetObject. */
  readonly putObject: (bucket: string, key: string, body: string | Uint8Array) => void;
  /** Requests of one operation, in order. */
  readonly requestsOf: (operation: string) => ReadonlyArray<Record<string, unknown>>;
  readonly close: () => Promise<void>;
};

export type EmulatorOptions = {
  readonly projects?: ReadonlyArray<string>;
  /** Seconds since epoch for build timestamps (default: real time). */
  readonly nowSec?: () => number;
  /** Virtual time in ms, for builds scripted with `durationMs`. */
  readonly clockMs?: () => number;
};

/**
 * Starts the emulator on an ephemeral loopback port.
 *
 * @example
 * const aws = await startAwsEmulator({ projects: ["ml-chatops"] });
 * const cb = new CodeBuildClient({ endpoint: aws.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
 */
export const startAwsEmulator = async (opts: EmulatorOptions = {}): Promise<AwsEmulator> => {
  const projects = new Set(opts.projects ?? ["ml-chatops"]);
  const nowSec = opts.nowSec ?? (() => Date.now() / 1000);
  const builds = new Map<string, EmulatedBuild>();
  const exchanges: Exchange[] = [];
  const scripts: BuildScript[] = [];
  const faults = new Map<string, InjectedError[]>();
  const tokens = new Map<string, { readonly at: number; readonly digest: string; readonly id: string }>();
  const objects = new Map<string, Map<string, Buffer>>();
  let buildNumber = 0;

  const startBuild = (b: Record<string, unknown>): Answer => {
    const name = b["projectName"];
    if (typeof name !== "string" || name.length === 0)
      return invalid(
        "1 validation error detected: Value null at 'projectName' failed to satisfy constraint: Member must not be null",
      );
    const env = b["environmentVariablesOverride"];
    if (env !== undefined) {
      if (!Array.isArray(env)) return invalid("environmentVariablesOverride must be a list");
      for (const v of env as ReadonlyArray<Partial<EnvVar>>) {
        if (typeof v.name !== "string" || v.name.length === 0 || typeof v.value !== "string")
          return invalid("Environment variable name and value are required");
        if (v.type !== undefined && !ENV_TYPES.has(v.type))
          return invalid(`Invalid environment variable type: ${v.type}`);
      }
    }
    const timeout = b["timeoutInMinutesOverride"];
    if (timeout !== undefined && (typeof timeout !== "number" || timeout < 5 || timeout > 480))
      return invalid("timeoutInMinutesOverride must be between 5 and 480");
    if (!projects.has(name))
      return err(
        400,
        "ResourceNotFoundException",
        `Project cannot be found: arn:aws:codebuild:${TEST_REGION}:123456789012:project/${name}`,
      );
    const token = b["idempotencyToken"];
    if (typeof token === "string") {
      const rest = Object.fromEntries(Object.entries(b).filter(([k]) => k !== "idempotencyToken"));
      const digest = createHash("sha256").update(JSON.stringify(rest)).digest("hex");
      const seen = tokens.get(token);
      if (seen && nowSec() - seen.at < IDEMPOTENCY_WINDOW_SEC) {
        if (seen.digest !== digest)
          return invalid(`Idempotency token ${token} was already used with different parameters`);
        const again = builds.get(seen.id);
        if (again) return [200, { build: renderBuild(again) }];
      }
      const build = newBuild(name, ++buildNumber, b, scripts.shift() ?? {}, nowSec(), opts.clockMs);
      builds.set(build.id, build);
      tokens.set(token, { at: nowSec(), digest, id: build.id });
      return [200, { build: renderBuild(build) }];
    }
    const build = newBuild(name, ++buildNumber, b, scripts.shift() ?? {}, nowSec(), opts.clockMs);
    builds.set(build.id, build);
    return [200, { build: renderBuild(build) }];
  };

  const batchGetBuilds = (b: Record<string, unknown>): Answer => {
    const ids = b["ids"];
    if (
      !Array.isArray(ids) ||
      ids.length < 1 ||
      ids.length > 100 ||
      !ids.every((i) => typeof i === "string" && i.length > 0)
    ) {
      return invalid(
        "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 100",
      );
    }
    const found: Record<string, unknown>[] = [];
    const missing: string[] = [];
    for (const id of ids as string[]) {
      const build = builds.get(id);
      if (!build) {
        missing.push(id);
        continue;
      }
      if (build.misses < (build.script.notFoundPolls ?? 0)) {
        build.misses += 1;
        missing.push(id);
        continue;
      }
      build.polls += 1;
      found.push(renderBuild(build));
    }
    // The model gives buildsNotFound (BuildIds) a minimum length of 1, so an empty list is left out.
    return [200, { builds: found, ...(missing.length > 0 ? { buildsNotFound: missing } : {}) }];
  };

  const stopBuild = (b: Record<string, unknown>): Answer => {
    const id = b["id"];
    if (typeof id !== "string" || id.length === 0)
      return invalid(
        "1 validation error detected: Value null at 'id' failed to satisfy constraint: Member must not be null",
      );
    const build = builds.get(id);
    if (!build) return err(400, "ResourceNotFoundException", `Build ${id} does not exist`);
    if (!isComplete(build)) build.stoppedAt = stepIndex(build);
    return [200, { build: renderBuild(build) }];
  };

  const getLogEvents = (b: Record<string, unknown>): Answer => {
    const group = b["logGroupName"];
    const stream = b["logStreamName"];
    if (typeof stream !== "string" || stream.length === 0)
      return err(
        400,
        "InvalidParameterException",
        "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null",
      );
    if (typeof group !== "string" || group.length === 0)
      return err(400, "InvalidParameterException", "Should provide either logGroupName or logGroupIdentifier.");
    const build = [...builds.values()].find(
      (x) => logGroupOf(x) === group && logStreamOf(x) === stream && !x.script.logsDisabled,
    );
    if (!build) {
      const groupExists = [...builds.values()].some((x) => logGroupOf(x) === group);
      return err(
        400,
        "ResourceNotFoundException",
        groupExists ? "The specified log stream does not exist." : "The specified log group does not exist.",
      );
    }
    build.logCalls += 1;
    if (build.logCalls <= (build.script.logsMissingCalls ?? 0))
      return err(400, "ResourceNotFoundException", "The specified log stream does not exist.");
    if (isComplete(build)) build.logCallsAfterComplete += 1;
    const lines = build.script.logLines ?? [];
    const available = releasedLines(build);
    const limit = typeof b["limit"] === "number" ? b["limit"] : 10000;
    const pageSize = Math.min(limit, build.script.pageSize ?? 10000);
    const token = b["nextToken"];
    let from = 0;
    if (typeof token === "string") {
      const m = TOKEN.exec(token);
      if (!m) return err(400, "InvalidParameterException", "The specified nextToken is invalid.");
      from = Number(m[1]);
    } else if (b["startFromHead"] !== true) {
      from = Math.max(0, available - pageSize);
    }
    const every = build.script.emptyPageEvery;
    if (every !== undefined && from < available && build.logCalls % every === 0) {
      return [200, { events: [], nextForwardToken: fwd(from, build.logCalls), nextBackwardToken: bwd(from) }];
    }
    const to = Math.min(available, from + pageSize);
    const events = lines.slice(from, to).map((message, i) => {
      const ts = Math.round(build.startSec * 1000) + (from + i) * 1000;
      return { timestamp: ts, message: `${message}\n`, ingestionTime: ts + 200 };
    });
    const next = to === from && typeof token === "string" ? token : fwd(to);
    return [200, { events, nextForwardToken: next, nextBackwardToken: bwd(from) }];
  };

  const handlers: Readonly<Record<string, (b: Record<string, unknown>) => Answer>> = {
    StartBuild: startBuild,
    BatchGetBuilds: batchGetBuilds,
    StopBuild: stopBuild,
    GetLogEvents: getLogEvents,
  };

  const answer = (req: IncomingMessage, raw: Buffer): { exchange: Exchange; status: number; body: unknown } => {
    const targetHeader = req.headers["x-amz-target"];
    const target = TARGETS[typeof targetHeader === "string" ? targetHeader : ""];
    const record = (
      status: number,
      body: unknown,
      request: unknown,
    ): { exchange: Exchange; status: number; body: unknown } => ({
      exchange: {
        service: target?.service ?? "unknown",
        operation: target?.operation ?? String(targetHeader),
        request,
        status,
        response: body,
      },
      status,
      body,
    });
    if (req.method !== "POST" || req.url !== "/")
      return record(404, { __type: "UnknownOperationException", message: `${req.method} ${req.url}` }, undefined);
    if (!target)
      return record(
        400,
        { __type: "UnknownOperationException", message: `Unknown target ${String(targetHeader)}` },
        undefined,
      );
    const contentType = req.headers["content-type"];
    if (contentType !== "application/x-amz-json-1.1")
      return record(
        400,
        { __type: "SerializationException", message: `Unexpected content-type ${String(contentType)}` },
        undefined,
      );
    const sig = verifySigV4("POST", "/", req.headers, raw, {
      ...TEST_CREDENTIALS,
      region: TEST_REGION,
      service: target.service,
      now: () => new Date(),
    });
    if (sig) return record(sig.status, { __type: sig.type, message: sig.message }, undefined);
    let body: unknown;
    try {
      body = raw.length === 0 ? {} : JSON.parse(raw.toString("utf8"));
    } catch {
      return record(400, { __type: "SerializationException", message: "Request body is not JSON" }, undefined);
    }
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return record(400, { __type: "SerializationException", message: "Request body must be a JSON object" }, body);
    const queued = faults.get(target.operation);
    const fault = queued?.shift();
    if (fault) return record(fault.status, { __type: fault.type, message: fault.message }, body);
    const handler = handlers[target.operation];
    const [status, out] = handler
      ? handler(body as Record<string, unknown>)
      : err(400, "UnknownOperationException", target.operation);
    return record(status, out, body);
  };

  /** S3 GetObject, path-style. The recorded request is the raw HTTP request (method, path, query, headers). */
  const answerS3 = (
    req: IncomingMessage,
    raw: Buffer,
  ): { exchange: Exchange; status: number; headers: Record<string, string>; body: Buffer } => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
    const rawQuery = (req.url ?? "").includes("?") ? (req.url ?? "").slice((req.url ?? "").indexOf("?") + 1) : "";
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v ?? "")]),
    );
    const request = {
      method: req.method ?? "",
      path: rawPath,
      query: Object.fromEntries(url.searchParams.entries()),
      headers,
    };
    const xmlError = (status: number, code: string, message: string, extra = "") => {
      const body = Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>${randomUUID()}</RequestId></Error>`,
        "utf8",
      );
      return {
        exchange: {
          service: "s3" as const,
          operation: "GetObject",
          request,
          status,
          response: { Code: code, Message: message },
        },
        status,
        headers: { "content-type": "application/xml" },
        body,
      };
    };
    if (req.method !== "GET")
      return xmlError(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    if (headers["x-amz-content-sha256"] === undefined)
      return xmlError(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    const sig = verifySigV4("GET", rawPath, req.headers, raw, {
      ...TEST_CREDENTIALS,
      region: TEST_REGION,
      service: "s3",
      now: () => new Date(),
      requiredSignedHeaders: ["host", "x-amz-date", "x-amz-content-sha256"],
      query: rawQuery,
    });
    if (sig)
      return xmlError(
        sig.status,
        sig.type === "InvalidSignatureException" ? "SignatureDoesNotMatch" : "AccessDenied",
        sig.message,
      );
    const fault = faults.get("GetObject")?.shift();
    if (fault) return xmlError(fault.status, fault.type, fault.message);
    const [, bucket = "", ...rest] = rawPath.split("/");
    const key = rest.map((seg) => decodeURIComponent(seg)).join("/");
    const inBucket = objects.get(decodeURIComponent(bucket));
    if (!inBucket)
      return xmlError(
        404,
        "NoSuchBucket",
        "The specified bucket does not exist",
        `<BucketName>${decodeURIComponent(bucket)}</BucketName>`,
      );
    const body = inBucket.get(key);
    if (!body) return xmlError(404, "NoSuchKey", "The specified key does not exist.", `<Key>${key}</Key>`);
    return {
      exchange: {
        service: "s3",
        operation: "GetObject",
        request,
        status: 200,
        response: { ContentLength: body.length },
      },
      status: 200,
      headers: {
        "content-type": "application/json",
        "content-length": String(body.length),
        etag: `"${createHash("md5").update(body).digest("hex")}"`,
        "last-modified": new Date(nowSec() * 1000).toUTCString(),
      },
      body,
    };
  };

  const isS3 = (req: IncomingMessage): boolean => req.method !== "POST" && (req.url ?? "/").split("?")[0] !== "/";

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (isS3(req)) {
        const s3 = answerS3(req, Buffer.concat(chunks));
        exchanges.push(s3.exchange);
        res.writeHead(s3.status, { ...s3.headers, "x-amz-request-id": randomUUID() });
        res.end(s3.body);
        return;
      }
      const { exchange, status, body } = answer(req, Buffer.concat(chunks));
      exchanges.push(exchange);
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    exchanges,
    builds,
    scriptNextBuild: (s) => void scripts.push(s),
    inject: (operation, error, times = 1) => {
      const list = faults.get(operation) ?? [];
      for (let i = 0; i < times; i++) list.push(error);
      faults.set(operation, list);
    },
    clearInjected: () => faults.clear(),
    putObject: (bucket, key, body) => {
      const inBucket = objects.get(bucket) ?? new Map<string, Buffer>();
      inBucket.set(key, Buffer.from(body));
      objects.set(bucket, inBucket);
    },
    requestsOf: (operation) =>
      exchanges
        .filter((e) => e.operation === operation && e.request !== undefined)
        .map((e) => e.request as Record<string, unknown>),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
