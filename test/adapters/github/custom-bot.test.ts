import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { signBody } from "../../../src/adapters/github/signature.js";
import { commentPayload } from "../../fixtures/github/payloads.js";
import { createWorld, type World } from "./setup.js";

const WEBHOOK_SECRET = "custom-bot-webhook-secret";
const STATE_SECRET = "eea577e42901a13956432bc6036cdda14c1641ceb2b9298111bd0ec8b6353373";

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe("examples/custom-bot: the server wires the library end to end", () => {
  let w: World;
  let child: ChildProcess;
  let port = 0;
  let close: () => Promise<void> = async () => undefined;
  let out = "";
  before(async () => {
    w = await createWorld();
    const served = await w.gh.listen();
    close = served.close;
    port = await freePort();
    child = spawn(process.execPath, ["--import", "tsx", "examples/custom-bot/server.ts"], {
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "/tmp",
        GITHUB_API_URL: served.baseUrl,
        ML_CHATOPS_APP_ID: String(w.app.id),
        ML_CHATOPS_APP_PRIVATE_KEY: w.app.privateKey,
        ML_CHATOPS_APP_INSTALLATION_ID: "99",
        ML_CHATOPS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ML_CHATOPS_STATE_SECRET: STATE_SECRET,
        ML_CHATOPS_REPO_PATH: process.cwd(),
        PORT: String(port),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
    for (let i = 0; i < 300 && !/listening on/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, /listening on :\d+ as ml-chatops\[bot\] \(4242\)/);
  });
  after(async () => {
    child.kill("SIGTERM");
    await close();
    assert.deepEqual(w.gh.problems, []);
  });

  const post = async (event: string, payload: unknown, signature?: string) => {
    const raw = Buffer.from(JSON.stringify(payload));
    return fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      body: raw,
      headers: {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": `d-${Math.random()}`,
        "x-hub-signature-256": signature ?? signBody(WEBHOOK_SECRET, raw),
      },
    });
  };

  it("a bad signature is 401; a maintainer's command is acked with 202 and then approved and labelled", async () => {
    const payload = commentPayload({
      body: "/experiment run",
      author: w.users.writer,
      number: 7,
      installationId: 99,
      createdAt: new Date().toISOString(),
    });
    assert.equal((await post("issue_comment", payload, `sha256=${"0".repeat(64)}`)).status, 401);
    const c = w.gh.addComment(w.repo, 7, w.users.writer, "/experiment run");
    const res = await post("issue_comment", { ...payload, comment: { ...(payload["comment"] as object), id: c.id } });
    assert.equal(res.status, 202);
    for (let i = 0; i < 300 && !w.repo.issues.get(7)!.labels.includes("ml-chatops:run"); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(w.repo.issues.get(7)!.labels, ["ml-chatops:run"]);
  });
});
