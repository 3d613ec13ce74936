// Each webhook guard tested on its own, with the layer that usually stands in front of it out of
// the way: the handler's size cap without the HTTP cap, the HTTP cap without the handler's, the
// delivery dedupe without the comment-content key or the 👀 claim. A guard removed from the
// source fails one of these tests (checks 34 and 37).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as TE from "fp-ts/TaskEither";
import { signBody } from "../../../src/adapters/github/signature.js";
import {
  createGitHubWebhookHandler,
  type WebhookRequest,
  type WebhookResponse,
} from "../../../src/adapters/github/webhook.js";
import { createWebhookListener } from "../../../src/adapters/github/webhook-http.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/adapters/github/repo-config.js";
import type { Pipeline } from "../../../src/core/pipeline.js";
import { commentPayload, pullPayload } from "../../fixtures/github/payloads.js";

const SECRET = "webhook-guards secret";
const BOT = { login: "ml-chatops[bot]", id: 4242, type: "Bot" as const };

/** A handler over a pipeline that only counts what reaches it; claims are recorded by key. */
const makeHandler = (maxBodyBytes?: number, claims?: "delivery" | "edits") => {
  const reached: string[] = [];
  const claimedKeys: string[] = [];
  const pipeline: Pipeline = {
    onComment: (e) =>
      TE.fromIO(() => (reached.push(`comment:${e.comment.id}`), { _tag: "Ignored" as const, reason: "counted" })),
    onLabel: (e) =>
      TE.fromIO(() => (reached.push(`label:${e.label}`), { _tag: "Ignored" as const, reason: "counted" })),
    onPush: (e) => TE.fromIO(() => void reached.push(`push:${e.pr.number}`)),
    follow: () => TE.left({ _tag: "DeadlineExceeded", afterMs: 0 }),
  };
  const seen = new Set<string>();
  const handle = createGitHubWebhookHandler(
    {
      pipelineFor: () => TE.right({ pipeline, config: DEFAULT_REPO_CONFIG }),
      approvals: {
        claim: (_pr, key) =>
          TE.fromIO(() => {
            claimedKeys.push(key);
            const fresh = !seen.has(key);
            seen.add(key);
            return fresh;
          }),
      },
      forge: { reply: () => TE.right({ id: 1 }), react: () => TE.right(true) },
    },
    { secret: SECRET, botId: BOT.id, claims, ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }) },
  );
  return { handle, reached, claimedKeys };
};

const signed = (raw: Buffer, event: string, delivery: string): WebhookRequest => ({
  rawBody: raw,
  headers: {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": delivery,
    "x-hub-signature-256": signBody(SECRET, raw),
  },
});
const commentBody = (text = "/experiment run"): Buffer =>
  Buffer.from(
    JSON.stringify(
      commentPayload({ body: text, author: { login: "wes", id: 11 }, createdAt: new Date().toISOString() }),
    ),
  );

describe("webhook handler guards, each on its own", () => {
  it("check 34: the handler itself refuses a signed body over its cap with 413, before the pipeline", async () => {
    const cap = commentBody().byteLength + 16;
    const { handle, reached, claimedKeys } = makeHandler(cap);
    const raw = commentBody(`/experiment run\n${"x".repeat(64)}`);
    assert.ok(raw.byteLength > cap);
    const r = await handle(signed(raw, "issue_comment", "big-1"));
    await r.work;
    assert.deepEqual([r.status, r.body], [413, "payload too large"]);
    assert.deepEqual(reached, []);
    assert.deepEqual(claimedKeys, []);
    // The same comment under the cap goes through, so the 413 above is the cap and nothing else.
    const ok = await handle(signed(commentBody(), "issue_comment", "small-1"));
    await ok.work;
    assert.equal(ok.status, 202);
    assert.deepEqual(reached, ["comment:555001"]);
  });

  it("check 34: the default cap is GitHub's 25 MiB: one byte over is 413, the body is never parsed", async () => {
    const { handle, reached } = makeHandler();
    const raw = Buffer.alloc(25 * 1024 * 1024 + 1, 0x20);
    const r = await handle(signed(raw, "issue_comment", "huge-1"));
    assert.deepEqual([r.status, r.body], [413, "payload too large"]);
    assert.deepEqual(reached, []);
  });

  it("check 37: by default nothing but an edit is recorded: redeliveries reach the pipeline, which acts once by its 👀/🚀 claims", async () => {
    const { handle, reached, claimedKeys } = makeHandler();
    const raw = Buffer.from(JSON.stringify(pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run" })));
    for (let i = 0; i < 2; i++) await (await handle(signed(raw, "pull_request", "label-d-1"))).work;
    await (
      await handle(signed(commentBody(), "issue_comment", "c-d-1"))
    ).work;
    assert.deepEqual(reached, ["label:ml-chatops:run", "label:ml-chatops:run", "comment:555001"]);
    assert.deepEqual(claimedKeys, []);
  });

  it("check 37: with `claims: delivery`, a redelivered `labeled` event (same delivery id, no comment key to fall back on) reaches the pipeline once", async () => {
    const { handle, reached, claimedKeys } = makeHandler(undefined, "delivery");
    const raw = Buffer.from(JSON.stringify(pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run" })));
    for (let i = 0; i < 3; i++) await (await handle(signed(raw, "pull_request", "label-d-1"))).work;
    assert.deepEqual(reached, ["label:ml-chatops:run"]);
    assert.deepEqual(claimedKeys, ["delivery:label-d-1", "delivery:label-d-1", "delivery:label-d-1"]);
    // A new delivery of a new event is handled: the dedupe is per delivery, not per event type.
    await (
      await handle(signed(raw, "pull_request", "label-d-2"))
    ).work;
    assert.deepEqual(reached, ["label:ml-chatops:run", "label:ml-chatops:run"]);
  });

  it("check 37: with `claims: delivery`, a redelivered push reaches the pipeline once", async () => {
    const { handle, reached } = makeHandler(undefined, "delivery");
    const raw = Buffer.from(JSON.stringify(pullPayload({ action: "synchronize", sender: { login: "eve", id: 66 } })));
    await (
      await handle(signed(raw, "pull_request", "push-d-1"))
    ).work;
    await (
      await handle(signed(raw, "pull_request", "push-d-1"))
    ).work;
    assert.deepEqual(reached, ["push:7"]);
  });

  it("checks 37/38: with `claims: delivery`, a comment claims both its delivery id and its content key", async () => {
    const { handle, claimedKeys } = makeHandler(undefined, "delivery");
    await (
      await handle(signed(commentBody(), "issue_comment", "c-d-1"))
    ).work;
    assert.deepEqual(claimedKeys, ["delivery:c-d-1", "comment:555001"]);
  });
});

describe("check 34: the HTTP layer alone caps the body (the handler behind it has no cap of its own)", () => {
  let server: Server;
  let port = 0;
  const CAP = 64 * 1024;
  const handed: number[] = [];
  before(async () => {
    // The handler's own cap is far above the HTTP one, so only the HTTP cap can say 413.
    const { handle } = makeHandler(1024 * 1024 * 1024);
    const spy = (req: WebhookRequest): Promise<WebhookResponse> => {
      handed.push(req.rawBody.byteLength);
      return handle(req);
    };
    server = createServer(createWebhookListener(spy, { maxBodyBytes: CAP }));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  /** Sends headers and `write`s; resolves with the status, or fails when no answer comes in 5 s. */
  const post = (hdrs: Record<string, string>, write: (req: ReturnType<typeof request>) => void) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no answer in 5 s: the server kept reading past the cap")), 5000);
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", headers: hdrs }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text });
          req.destroy();
        });
      });
      req.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      write(req);
    });

  it("a declared Content-Length over the cap gets the documented 413 while the body is still unsent", async () => {
    const before = handed.length;
    const r = await post({ "content-type": "application/json", "content-length": String(10 * 1024 * 1024) }, (req) =>
      req.write("{"),
    );
    assert.deepEqual([r.status, r.text], [413, "payload too large\n"]);
    assert.equal(handed.length, before, "nothing was handed to the handler");
  });

  it("a chunked stream that passes the cap gets 413 while it is still open; the handler never sees it", async () => {
    const before = handed.length;
    const chunk = Buffer.alloc(1024, 0x20);
    // Cap + 4 KiB, then the stream stays open: only a server that stops at the cap can answer.
    const r = await post({ "content-type": "application/json", "transfer-encoding": "chunked" }, (req) => {
      for (let i = 0; i < CAP / 1024 + 4; i++) req.write(chunk);
    });
    assert.deepEqual([r.status, r.text], [413, "payload too large\n"]);
    assert.equal(handed.length, before, "nothing was handed to the handler");
  });

  it("a body at the cap is handed over whole", async () => {
    const raw = Buffer.alloc(CAP, 0x20);
    const r = await post(
      {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": "p-1",
        "x-hub-signature-256": signBody(SECRET, raw),
        "content-length": String(CAP),
      },
      (req) => req.end(raw),
    );
    assert.equal(r.status, 400);
    assert.equal(handed.at(-1), CAP);
    assert.ok(
      handed.every((n) => n <= CAP),
      `handed sizes ${handed.join(",")}`,
    );
  });
});
