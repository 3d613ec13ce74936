import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { createArgoRunner, createCaFetch } from "../../../src/adapters/argo/index.js";
import { startArgoEmulator } from "../../support/argo-emulator/server.js";
import type { ArgoEmulator } from "../../support/argo-emulator/server.js";
import { fakeClock, request } from "./fixtures.js";
import { assertLeft } from "../../support/assert-error.js";

// argo-server with a certificate from a private CA (self-signed here, made with Debian's openssl).
describe("Argo runner over TLS with a custom CA", () => {
  let dir: string;
  let cert: string;
  let emu: ArgoEmulator;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "argo-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        "2",
        "-subj",
        "/CN=argo-server",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    cert = readFileSync(join(dir, "cert.pem"), "utf8");
    emu = await startArgoEmulator({
      token: "tls-token",
      tls: { key: readFileSync(join(dir, "key.pem"), "utf8"), cert },
    });
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = () => ({ baseUrl: emu.url, namespace: "ml", image: "kw:1", token: emu.token, maxAttempts: 2 });

  it("createCaFetch trusts the configured CA: submit and status work over https", async () => {
    const runner = createArgoRunner({ fetch: createCaFetch({ ca: cert }), clock: fakeClock() }, config());
    const h = await runner.start(request({ approvalId: "tls-1" }))();
    assert.ok(E.isRight(h), JSON.stringify(h));
    const s = await runner.status(h.right)();
    assert.ok(E.isRight(s) && s.right.state === "queued");
    assert.deepEqual(emu.violations, []);
  });

  it("the default fetch does not trust the private CA: RunnerUnavailable, nothing submitted", async () => {
    const runner = createArgoRunner({ fetch: globalThis.fetch, clock: fakeClock() }, config());
    const before = emu.workflows.size;
    const r = await runner.start(request({ approvalId: "tls-2" }))();
    assertLeft(r, "RunnerUnavailable", /^runner=argo cause=TypeError: fetch failed$/);
    assert.equal(emu.workflows.size, before);
  });
});
