/**
 * Check 81: an argo-server answer is capped while it streams in. A Workflow's status carries
 * outputs PR code wrote; an endless body is cut at the cap and never parsed, and not retried.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { MAX_RESPONSE_BYTES, argoRequest } from "../../../src/adapters/argo/http.js";
import type { ArgoFetch } from "../../../src/adapters/argo/http.js";

const deps = (fetch: ArgoFetch) => ({
  fetch,
  clock: { now: () => new Date(0), sleep: () => () => Promise.resolve() },
  logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  baseUrl: "http://127.0.0.1:1",
  token: undefined,
  maxAttempts: 3,
  backoffMs: 1,
});

describe("check 81: argo-server answers are read under a byte cap", () => {
  it("an endless body stops at the cap: a one-line failure, the stream cancelled, no retry", async () => {
    let pulled = 0;
    let cancelled = false;
    let calls = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    const endless: ArgoFetch = () => {
      calls += 1;
      const body = new ReadableStream<Uint8Array>({
        pull: (c) => {
          pulled += 1;
          c.enqueue(chunk);
        },
        cancel: () => {
          cancelled = true;
        },
      });
      return Promise.resolve(new Response(body, { status: 200, headers: { "content-type": "application/json" } }));
    };
    const r = await argoRequest(deps(endless), { method: "GET", path: "/api/v1/workflows/argo/wf-1" })();
    assert.ok(E.isLeft(r));
    assert.deepEqual(r.left, {
      kind: "status",
      status: 200,
      message: `the answer is larger than the ${MAX_RESPONSE_BYTES} bytes accepted`,
      retryAfterMs: undefined,
    });
    assert.ok(cancelled, "the rest of the body is never read");
    assert.ok(
      pulled <= MAX_RESPONSE_BYTES / chunk.length + 3,
      `read ${pulled} MiB for a ${MAX_RESPONSE_BYTES / chunk.length} MiB cap`,
    );
    assert.equal(calls, 1, "not retried");
  });

  it("a declared Content-Length over the cap is refused before reading", async () => {
    let pulled = 0;
    const big: ArgoFetch = () =>
      Promise.resolve(
        new Response(
          new ReadableStream({
            pull: (c) => {
              pulled += 1;
              c.enqueue(new Uint8Array(16));
              c.close();
            },
          }),
          {
            status: 200,
            headers: { "content-length": String(MAX_RESPONSE_BYTES + 1) },
          },
        ),
      );
    const r = await argoRequest(deps(big), { method: "GET", path: "/api/v1/workflows/argo/wf-1" })();
    assert.ok(E.isLeft(r) && r.left.kind === "status");
    assert.match(r.left.kind === "status" ? r.left.message : "", /larger than the 33554432 bytes accepted/);
    assert.ok(pulled <= 1);
  });

  it("an answer under the cap is read whole", async () => {
    const ok: ArgoFetch = () => Promise.resolve(new Response('{"metadata":{"name":"wf-1"}}', { status: 200 }));
    const r = await argoRequest(deps(ok), { method: "GET", path: "/api/v1/workflows/argo/wf-1" })();
    assert.deepEqual(r, E.right({ status: 200, text: '{"metadata":{"name":"wf-1"}}' }));
  });
});
