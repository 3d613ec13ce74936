/**
 * One argo-server request: bearer auth, bounded retries with backoff on the injected clock, and
 * failures as data. Status codes are mapped to RunnerErrors by the caller, which knows the operation.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import * as E from "fp-ts/Either";
import type { Clock, Logger } from "../../core/ports.js";
import { ArgoErrorBody } from "./codecs.js";

/** The subset of WHATWG `fetch` the runner uses; pass `globalThis.fetch` or one with a custom CA. */
export type ArgoFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Why an argo-server request failed. @internal */
export type HttpFailure =
  | { readonly kind: "network"; readonly cause: unknown }
  | {
      readonly kind: "status";
      readonly status: number;
      readonly message: string;
      readonly retryAfterMs: number | undefined;
    };

/** An answer with a 2xx status. @internal */
export type HttpOk = { readonly status: number; readonly text: string };

/** @internal */
export type HttpRequest = {
  readonly method: "GET" | "POST" | "PUT";
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | undefined;
  readonly body?: unknown;
  /** Retry a 404 too: right after a create, argo-server may not see the Workflow yet. */
  readonly retryNotFound?: boolean | undefined;
};

/** @internal */
export type HttpDeps = {
  readonly fetch: ArgoFetch;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly maxAttempts: number;
  readonly backoffMs: number;
};

const RETRIABLE = new Set([500, 502, 503, 504]);

/**
 * The most of one argo-server answer that is read. A Workflow's status carries outputs that PR
 * code wrote (SECURITY-CHECKLIST 81), so the body is capped while it streams in, before parsing.
 *
 * @example
 * MAX_RESPONSE_BYTES; // 33554432
 * @internal */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** The body as text, or undefined once it passes `max` bytes (the rest is never read). */
const readCapped = async (res: Response, max: number): Promise<string | undefined> => {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > max) {
    await res.body?.cancel();
    return undefined;
  }
  if (res.body === null) return "";
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString("utf8");
};

const errorMessage = (text: string, status: number): string => {
  const parsed = E.tryCatch(
    () => JSON.parse(text) as unknown,
    () => undefined,
  );
  if (E.isRight(parsed)) {
    const body = ArgoErrorBody.decode(parsed.right);
    if (E.isRight(body)) {
      const m = body.right.message ?? body.right.error;
      if (m !== undefined && m !== "") return m.split("\n")[0] ?? m;
    }
  }
  const first = text.trim().split("\n")[0] ?? "";
  return first === "" ? `HTTP ${status}` : first.slice(0, 200);
};

const retryAfter = (h: string | null): number | undefined => {
  if (h === null) return undefined;
  const s = Number(h);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
};

const once = (deps: HttpDeps, req: HttpRequest): TE.TaskEither<HttpFailure, HttpOk> => {
  const url = new URL(deps.baseUrl + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: "application/json" };
  if (deps.token !== undefined) headers["authorization"] = `Bearer ${deps.token}`;
  if (req.body !== undefined) headers["content-type"] = "application/json";
  return pipe(
    TE.tryCatch(
      async () => {
        const res = await deps.fetch(url.toString(), {
          method: req.method,
          headers,
          ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        });
        return {
          status: res.status,
          text: await readCapped(res, MAX_RESPONSE_BYTES),
          retryAfter: res.headers.get("retry-after"),
        };
      },
      (cause): HttpFailure => ({ kind: "network", cause }),
    ),
    TE.flatMap((r) =>
      r.text === undefined
        ? TE.left<HttpFailure>({
            kind: "status",
            status: r.status,
            message: `the answer is larger than the ${MAX_RESPONSE_BYTES} bytes accepted`,
            retryAfterMs: undefined,
          })
        : r.status >= 200 && r.status < 300
          ? TE.right({ status: r.status, text: r.text })
          : TE.left<HttpFailure>({
              kind: "status",
              status: r.status,
              message: errorMessage(r.text, r.status),
              retryAfterMs: retryAfter(r.retryAfter),
            }),
    ),
  );
};

const shouldRetry = (f: HttpFailure, req: HttpRequest): boolean =>
  f.kind === "network" || RETRIABLE.has(f.status) || (req.retryNotFound === true && f.status === 404);

/**
 * Sends a request, retrying network errors and 5xx (and a fresh 404 when asked) up to
 * `maxAttempts` times, sleeping `backoffMs · 2^n` on the injected clock between attempts.
 *
 * @example
 * const r = await argoRequest(deps, { method: "GET", path: "/api/v1/workflows/ml/wf-1" })();
 * @internal */
export const argoRequest = (deps: HttpDeps, req: HttpRequest): TE.TaskEither<HttpFailure, HttpOk> => {
  const attempt = (n: number): TE.TaskEither<HttpFailure, HttpOk> =>
    pipe(
      once(deps, req),
      TE.orElse((f) => {
        if (n + 1 >= deps.maxAttempts || !shouldRetry(f, req)) return TE.left(f);
        const delay = deps.backoffMs * 2 ** n;
        deps.logger.debug("argo request retried", {
          method: req.method,
          path: req.path,
          attempt: n + 1,
          delayMs: delay,
          reason: f.kind === "network" ? "network" : f.status,
        });
        return pipe(
          TE.fromTask(deps.clock.sleep(delay)),
          TE.flatMap(() => attempt(n + 1)),
        );
      }),
    );
  return attempt(0);
};
