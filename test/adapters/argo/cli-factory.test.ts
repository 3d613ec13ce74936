import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { createArgoCliRunner } from "../../../src/cli/runners/argo.js";
import { startArgoEmulator } from "../../support/argo-emulator/server.js";
import type { ArgoEmulator } from "../../support/argo-emulator/server.js";
import { request } from "./fixtures.js";

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe("CLI --runner argo (src/cli/runners/argo.ts)", () => {
  let emu: ArgoEmulator;
  let dir: string;
  before(async () => {
    emu = await startArgoEmulator({ token: "cli-token" });
    dir = mkdtempSync(join(tmpdir(), "argo-cli-"));
  });
  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(emu.violations, []);
  });

  it("builds from ARGO_SERVER / ARGO_TOKEN ('Bearer …' accepted) / ARGO_NAMESPACE and settings", async () => {
    const runner = createArgoCliRunner({
      env: { ARGO_SERVER: emu.url, ARGO_TOKEN: "Bearer cli-token", ARGO_NAMESPACE: "ml" },
      settings: { image: "ghcr.io/octo/kw:2", serviceAccountName: "ml-chatops-runner", cancelMode: "terminate" },
      logger,
    });
    const h = await runner.start(request({ approvalId: "cli-1" }))();
    assert.ok(E.isRight(h), JSON.stringify(h));
    const spec = emu.workflows.get(h.right.id)?.submitted["spec"] as {
      serviceAccountName: string;
      templates: Array<{ container: { image: string } }>;
    };
    assert.equal(spec.serviceAccountName, "ml-chatops-runner");
    assert.equal(spec.templates[0]?.container.image, "ghcr.io/octo/kw:2");
  });

  it("host:port with ARGO_SECURE=false, and the token from ARGO_TOKEN_FILE", async () => {
    writeFileSync(join(dir, "token"), "cli-token\n");
    const runner = createArgoCliRunner({
      env: {
        ARGO_SERVER: emu.url.replace("http://", ""),
        ARGO_SECURE: "false",
        ARGO_TOKEN_FILE: join(dir, "token"),
        ARGO_NAMESPACE: "ml",
        ML_CHATOPS_ARGO_IMAGE: "kw:3",
      },
      settings: {},
      logger,
    });
    assert.ok(E.isRight(await runner.start(request({ approvalId: "cli-2" }))()));
  });

  it("check 6: repository settings cannot redirect the endpoint or the token", async () => {
    const runner = createArgoCliRunner({
      env: { ARGO_SERVER: emu.url, ARGO_TOKEN: "cli-token", ARGO_NAMESPACE: "ml" },
      settings: { image: "kw:1", baseUrl: "http://127.0.0.1:9", token: "attacker" },
      logger,
    });
    assert.ok(E.isRight(await runner.start(request({ approvalId: "cli-3" }))()));
  });

  it("missing settings fail with one line naming what to set", () => {
    assert.throws(
      () => createArgoCliRunner({ env: { ARGO_NAMESPACE: "ml" }, settings: { image: "x" }, logger }),
      /ARGO_SERVER is not set/,
    );
    assert.throws(
      () => createArgoCliRunner({ env: { ARGO_SERVER: emu.url }, settings: { image: "x" }, logger }),
      /ARGO_NAMESPACE/,
    );
    assert.throws(
      () => createArgoCliRunner({ env: { ARGO_SERVER: emu.url, ARGO_NAMESPACE: "ml" }, settings: {}, logger }),
      /ML_CHATOPS_ARGO_IMAGE/,
    );
  });
});
