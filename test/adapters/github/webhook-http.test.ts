import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import * as TE from "fp-ts/TaskEither";
import { signBody, verifySignature } from "../../../src/adapters/github/signature.js";
import { createGitHubWebhookHandler, type WebhookRequest } from "../../../src/adapters/github/webhook.js";
import { createWebhookListener } from "../../../src/adapters/github/webhook-http.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/adapters/github/repo-config.js";
import type { Pipeline } from "../../../src/core/pipeline.js";
import { commentPayload, pullPayload } from "../../fixtures/github/payloads.js";

const SECRET = "It's a Secret to Everybody";
const VECTOR = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

/** A handler whose pipeline records what reached it; `gate` holds the work back. */
const makeHandler = (
  opts: {
    gate?: Promise<void>;
    maxBodyBytes?: number;
    failures?: number;
    requireInstallation?: boolean;
    claims?: "delivery" | "edits";
  } = {},
) => {
  let failures = opts.failures ?? 0;
  const slept: number[] = [];
  const seen: string[] = [];
  const pipeline: Pipeline = {
    onComment: (e) => async () => {
      await opts.gate;
      seen.push(`comment:${e.comment.id}`);
      return { _tag: "Right", right: { _tag: "Ignored", reason: "test" } };
    },
    onLabel: () => TE.right({ _tag: "Ignored", reason: "test" }),
    onPush: () => TE.right(undefined),
    follow: () => TE.left({ _tag: "DeadlineExceeded", afterMs: 0 }),
  };
  const claimed = new Set<string>();
  const handle = createGitHubWebhookHandler(
    {
      pipelineFor: () =>
        failures-- > 0
          ? TE.left({ _tag: "ForgeUnavailable", operation: "repoConfig", cause: "502" })
          : TE.right({ pipeline, config: DEFAULT_REPO_CONFIG }),
      approvals: { claim: (_pr, key) => TE.right(!claimed.has(key) && claimed.add(key) !== undefined) },
      forge: { reply: () => TE.right({ id: 1 }), react: () => TE.right(true) },
      clock: { now: () => new Date(), sleep: (ms) => async () => void slept.push(ms) },
    },
    {
      secret: SECRET,
      botId: 4242,
      claims: opts.claims,
      ...(opts.maxBodyBytes === undefined ? {} : { maxBodyBytes: opts.maxBodyBytes }),
      ...(opts.requireInstallation === undefined ? {} : { requireInstallation: opts.requireInstallation }),
    },
  );
  return { handle, seen, slept };
};

const body = (): Buffer =>
  Buffer.from(
    JSON.stringify(
      commentPayload({
        body: "/experiment run",
        author: { login: "wes", id: 11 },
        createdAt: new Date().toISOString(),
      }),
    ),
  );
const headers = (raw: Buffer, over: Record<string, string | undefined> = {}): WebhookRequest["headers"] => ({
  "content-type": "application/json",
  "x-github-event": "issue_comment",
  "x-github-delivery": "d-1",
  "x-hub-signature-256": signBody(SECRET, raw),
  ...over,
});

describe("webhook entry: signatures, limits, ack-then-work", () => {
  it("check 31: GitHub's official test vector verifies", () => {
    assert.equal(verifySignature(SECRET, Buffer.from("Hello, World!"), `sha256=${VECTOR}`), true);
  });

  it("check 31: bad signatures are 401 and never throw", async () => {
    const { handle, seen } = makeHandler();
    const raw = body();
    const flipped = Buffer.from(raw);
    flipped[10] = flipped[10]! ^ 1;
    const cases: Array<[string, Buffer, Record<string, string | undefined>]> = [
      ["one byte flipped", flipped, {}],
      ["wrong secret", raw, { "x-hub-signature-256": signBody("other secret", raw) }],
      ["sha1= prefix", raw, { "x-hub-signature-256": signBody(SECRET, raw).replace("sha256=", "sha1=") }],
      ["odd-length hex", raw, { "x-hub-signature-256": signBody(SECRET, raw).slice(0, -1) }],
      ["64 hex of the wrong value", raw, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` }],
      [
        "upper-case hex",
        raw,
        { "x-hub-signature-256": signBody(SECRET, raw).toUpperCase().replace("SHA256=", "sha256=") },
      ],
    ];
    for (const [name, b, h] of cases)
      assert.equal((await handle({ rawBody: b, headers: headers(raw, h) })).status, 401, name);
    const missing = await handle({
      rawBody: raw,
      headers: headers(raw, { "x-hub-signature-256": undefined, "x-hub-signature": "sha1=abc" }),
    });
    assert.equal(missing.status, 400, "legacy X-Hub-Signature only");
    assert.deepEqual(seen, []);
  });

  it("check 32: the signature covers the raw bytes: a re-serialised body does not verify", async () => {
    const { handle } = makeHandler();
    const payload = commentPayload({
      body: '/experiment run — 日本語 "quoted" \\u00e9',
      author: { login: "wes", id: 11 },
      createdAt: new Date().toISOString(),
    });
    const raw = Buffer.from(JSON.stringify(payload, null, 2));
    const sig = signBody(SECRET, raw);
    assert.equal((await handle({ rawBody: raw, headers: headers(raw, { "x-hub-signature-256": sig }) })).status, 202);
    const respaced = Buffer.from(JSON.stringify(payload));
    assert.equal(
      (
        await handle({
          rawBody: respaced,
          headers: headers(raw, { "x-hub-signature-256": sig, "x-github-delivery": "d-2" }),
        })
      ).status,
      401,
    );
  });

  it("check 33: the source compares signatures only with timingSafeEqual, never ===", () => {
    const src = readFileSync(new URL("../../../src/adapters/github/signature.ts", import.meta.url), "utf8");
    assert.match(src, /timingSafeEqual\(/);
    assert.doesNotMatch(
      src.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""),
      /(signature|digest|expected|header)\w*\s*[!=]==?|[!=]==?\s*(signature|digest|expected)/i,
    );
  });

  it("check 35: non-JSON content type 415; unknown event 2xx doing nothing; malformed JSON 400; malformed payload 400", async () => {
    const { handle, seen } = makeHandler();
    const raw = body();
    assert.equal(
      (await handle({ rawBody: raw, headers: headers(raw, { "content-type": "application/x-www-form-urlencoded" }) }))
        .status,
      415,
    );
    const ping = Buffer.from("{}");
    assert.equal((await handle({ rawBody: ping, headers: headers(ping, { "x-github-event": "ping" }) })).status, 202);
    const bad = Buffer.from("{not json");
    assert.equal((await handle({ rawBody: bad, headers: headers(bad) })).status, 400);
    const wrong = Buffer.from(JSON.stringify({ action: "created", comment: "nope" }));
    const r = await handle({ rawBody: wrong, headers: headers(wrong) });
    assert.equal(r.status, 400);
    assert.match(r.body, /malformed issue_comment payload/);
    const nested = Buffer.from(`${"[".repeat(5000)}${"]".repeat(5000)}`);
    assert.equal((await handle({ rawBody: nested, headers: headers(nested) })).status, 400);
    assert.deepEqual(seen, []);
  });

  it("check 36: the answer goes out before the work, which finishes after", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { handle, seen } = makeHandler({ gate });
    const raw = body();
    const r = await handle({ rawBody: raw, headers: headers(raw) });
    assert.equal(r.status, 202);
    assert.deepEqual(seen, []);
    release();
    await r.work;
    assert.deepEqual(seen, ["comment:555001"]);
  });

  it("checks 37/38: with `claims: delivery`, a redelivery (same id) and a replay (new id, same comment) reach the pipeline once", async () => {
    const { handle, seen } = makeHandler({ claims: "delivery" });
    const raw = body();
    for (const d of ["d-1", "d-1", "d-9"])
      await (
        await handle({ rawBody: raw, headers: headers(raw, { "x-github-delivery": d }) })
      ).work;
    assert.deepEqual(seen, ["comment:555001"]);
  });

  it("check 36: work that fails after the ack (GitHub unavailable) is retried by our own loop", async () => {
    const { handle, seen, slept } = makeHandler({ failures: 2 });
    const raw = body();
    await (
      await handle({ rawBody: raw, headers: headers(raw) })
    ).work;
    assert.deepEqual(seen, ["comment:555001"]);
    assert.deepEqual(slept, [2000, 4000]);
  });

  it("check 30: `unlabeled` (a maintainer removing the label) is acked and triggers nothing", async () => {
    const { handle, seen } = makeHandler();
    const raw = Buffer.from(
      JSON.stringify(
        pullPayload({ action: "labeled", sender: { login: "ada", id: 3 }, label: "ml-chatops:run" }),
      ).replace('"action":"labeled"', '"action":"unlabeled"'),
    );
    const r = await handle({ rawBody: raw, headers: headers(raw, { "x-github-event": "pull_request" }) });
    assert.equal(r.status, 202);
    assert.match(r.body, /ignored: pull_request unlabeled/);
    assert.deepEqual(seen, []);
  });

  it("checks 41/43: an edited comment, or an App-mode delivery without `installation`, is acked and ignored", async () => {
    const { handle, seen } = makeHandler({ requireInstallation: true });
    const edited = Buffer.from(
      JSON.stringify(
        commentPayload({
          body: "/experiment run",
          author: { login: "wes", id: 11 },
          action: "edited",
          installationId: 1,
          createdAt: new Date().toISOString(),
        }),
      ),
    );
    assert.match((await handle({ rawBody: edited, headers: headers(edited) })).body, /comment edited/);
    const noInst = body();
    assert.match((await handle({ rawBody: noInst, headers: headers(noInst) })).body, /no installation/);
    assert.deepEqual(seen, []);
  });

  describe("check 34: over HTTP, the body is capped before the signature is checked", () => {
    let server: Server;
    let port = 0;
    const seen: string[] = [];
    before(async () => {
      const h = makeHandler({ maxBodyBytes: 64 * 1024 });
      server = createServer(
        createWebhookListener(h.handle, {
          maxBodyBytes: 64 * 1024,
          onWork: (w) => void w.then(() => seen.push(...h.seen)),
        }),
      );
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

    const post = (hdrs: Record<string, string>, write: (req: ReturnType<typeof request>) => void) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", headers: hdrs }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        write(req);
      });

    it("a declared Content-Length over the cap gets 413 without the body being read", async () => {
      const status = await post(
        { "content-type": "application/json", "content-length": String(10 * 1024 * 1024) },
        (req) => req.write("{"),
      );
      assert.equal(status, 413);
    });

    it("a chunked stream is cut off at the cap: 413 while the stream is still open", { timeout: 10_000 }, async () => {
      const raw = Buffer.alloc(68 * 1024, 0x20);
      // Never ended: only a server that stops reading at the cap can answer (a reset is a failure).
      const status = await post(
        {
          "content-type": "application/json",
          "transfer-encoding": "chunked",
          ...(headers(raw) as Record<string, string>),
        },
        (req) => {
          for (let i = 0; i < 68; i++) req.write(raw.subarray(i * 1024, (i + 1) * 1024));
        },
      );
      assert.equal(status, 413);
    });

    it("a normal delivery is accepted", async () => {
      const raw = body();
      const status = await post(
        { ...(headers(raw) as Record<string, string>), "content-length": String(raw.length) },
        (req) => req.end(raw),
      );
      assert.equal(status, 202);
    });
  });
});
