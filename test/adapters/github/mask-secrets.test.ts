/** Check 82: secrets masked out of every text that leaves the bot. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import {
  MASK,
  createSecretMasker,
  maskDeep,
  maskingForge,
  maskingReporter,
  maskingRunner,
} from "../../../src/adapters/github/mask-secrets.js";
import type { Forge, Reporter, Runner } from "../../../src/core/ports.js";

const PEM =
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAmaskTestKeyLine1abcdef\nMIIEowIBAAKCAQEAmaskTestKeyLine2ghijkl\n-----END RSA PRIVATE KEY-----";
const STATE = "state-secret-0f1e2d3c4b5a69788796a5b4c3d2e1f0";

describe("check 82: createSecretMasker", () => {
  const mask = createSecretMasker([STATE, PEM.replace(/\n/g, "\\n"), "short", ""]);

  it("masks each secret value, also JSON-escaped, with \\n written out, and line by line", () => {
    assert.equal(mask(`secret=${STATE}.`), `secret=${MASK}.`);
    assert.equal(mask(`key: ${PEM}`), `key: ${MASK}`);
    assert.equal(mask(JSON.stringify({ k: PEM })), `{"k":"${MASK}"}`);
    assert.equal(mask(PEM.replace(/\n/g, "\\n")), MASK);
    assert.equal(mask("line MIIEowIBAAKCAQEAmaskTestKeyLine2ghijkl only"), `line ${MASK} only`);
  });

  it("does not mask values too short to be secrets (they would hide ordinary words)", () => {
    assert.equal(mask("a short story"), "a short story");
  });

  const shapes: ReadonlyArray<string> = [
    `ghp_${"a1B2".repeat(9)}`,
    `gho_${"Z9y8".repeat(9)}`,
    `ghs_${"QwEr".repeat(9)}`,
    `ghu_${"TyUi".repeat(9)}`,
    `ghr_${"OpAs".repeat(9)}`,
    `github_pat_11ABCDEFG0123456789_${"x".repeat(59)}`,
    "AKIAIOSFODNN7EXAMPLE",
    "ASIAY34FZKBOKMUTVV7A",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC (cut off, no END line",
  ];
  for (const token of shapes) {
    it(`masks the token shape ${token.slice(0, 12)}… the bot never held`, () => {
      const out = createSecretMasker([])(`before ${token} after`);
      assert.ok(!out.includes(token.slice(4, 20)), out);
      assert.ok(out.startsWith(`before ${MASK}`), out);
    });
  }

  it("maskDeep masks every string, keys included, and leaves numbers alone", () => {
    assert.deepEqual(maskDeep(mask, { a: [STATE, 1, { [STATE]: null }], n: 2 }), {
      a: [MASK, 1, { [MASK]: null }],
      n: 2,
    });
  });
});

describe("check 82: decorators", () => {
  const mask = createSecretMasker([STATE]);
  it("maskingForge masks replies and upserted comments, and passes everything else", async () => {
    const posted: string[] = [];
    const forge = {
      reply: (_pr: unknown, body: string) => {
        posted.push(body);
        return TE.right({ id: 1 });
      },
      upsertComment: (_pr: unknown, _m: string, body: string) => {
        posted.push(body);
        return TE.right({ id: 2 });
      },
      extra: "kept",
    } as unknown as Forge & { extra: string };
    const masked = maskingForge(forge, mask);
    const pr = { owner: "o", repo: "r", number: 1 };
    await masked.reply(pr, `x ${STATE}`)();
    await masked.upsertComment(pr, "<!-- m -->", `y ${STATE}`)();
    assert.deepEqual(posted, [`x ${MASK}`, `y ${MASK}`]);
    assert.equal(masked.extra, "kept");
  });

  it("maskingReporter masks the report before any reporter renders it", async () => {
    const seen: unknown[] = [];
    const inner: Reporter = {
      publish: (r) => {
        seen.push(r);
        return TE.right({ id: 1 });
      },
    };
    const report = {
      status: { state: "failed", detail: `boom ${STATE}` },
      logTail: [`env ${STATE}`],
      params: { p: STATE },
    } as unknown as Parameters<Reporter["publish"]>[0];
    await maskingReporter(inner, mask).publish(report)();
    assert.ok(!JSON.stringify(seen).includes(STATE));
    assert.deepEqual((seen[0] as { logTail: string[] }).logTail, [`env ${MASK}`]);
  });

  it("maskingRunner masks log pages, status details and results at the source", async () => {
    const runner = {
      kind: "x",
      status: () => TE.right({ state: "failed", detail: STATE }),
      logs: () => TE.right({ lines: [STATE, "ok"], next: "2" }),
      result: () =>
        TE.right({
          output: { documents: [{ id: "d", keywords: [{ term: STATE, score: 1 }] }] },
          logTail: [STATE],
          timings: { startedAt: "", finishedAt: "", durationMs: 1 },
        }),
    } as unknown as Runner;
    const m = maskingRunner(runner, mask);
    const h = {} as Parameters<Runner["status"]>[0];
    assert.deepEqual(await m.status(h)(), E.right({ state: "failed", detail: MASK }));
    assert.deepEqual(await m.logs(h, undefined)(), E.right({ lines: [MASK, "ok"], next: "2" }));
    assert.ok(!JSON.stringify(await m.result(h)()).includes(STATE));
  });
});
