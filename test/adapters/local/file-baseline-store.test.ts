import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { createFileBaselineStore } from "../../../src/adapters/local/index.js";
import type { ExperimentResult } from "../../../src/core/result.js";
import type { Sha } from "../../../src/core/model.js";
import { assertLeft } from "../../support/assert-error.js";

const dir = mkdtempSync(join(tmpdir(), "ml-chatops-baseline-test-"));
const PR = { owner: "o", repo: "r", number: 3 };
const META = {
  pr: PR,
  sha: "0123456789abcdef0123456789abcdef01234567" as Sha,
  promotedBy: { login: "alice", id: 1 },
  promotedAt: "2026-01-01T00:00:00.000Z",
};
const RESULT: ExperimentResult = {
  metrics: { accuracy: 0.95 },
  rankings: { keywords: { a: [{ term: "x", score: 0.25 }] } },
};
const OTHER: ExperimentResult = { rankings: { keywords: {} } };

describe("file baseline store", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a missing file means no baseline; save then load round-trips, other experiments kept", async () => {
    const path = join(dir, "round-trip.json");
    const store = createFileBaselineStore({ path });
    assert.deepEqual(await store.load("tfidf-keywords", PR)(), E.right(O.none));
    assert.deepEqual(await store.save("tfidf-keywords", RESULT, META)(), E.right(undefined));
    assert.deepEqual(await store.save("other", OTHER, META)(), E.right(undefined));
    assert.deepEqual(await store.load("tfidf-keywords", PR)(), E.right(O.some({ result: RESULT, meta: META })));
    assert.deepEqual(
      await createFileBaselineStore({ path }).load("other", PR)(),
      E.right(O.some({ result: OTHER, meta: META })),
    );
    assert.deepEqual(await store.load("constructor", PR)(), E.right(O.none), "prototype names are not experiments");
    const onDisk = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    assert.deepEqual(Object.keys(onDisk), ["tfidf-keywords", "other"]);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
      "no temporary file is left behind",
    );
  });

  it("reads a file in the earlier keyword format (a bare { documents }) as the keywords ranking, and rewrites it in the result contract", async () => {
    const path = join(dir, "legacy.json");
    const legacy = {
      documents: [
        { id: "b", keywords: [{ term: "y", score: 0.5 }] },
        { id: "a", keywords: [] },
      ],
    };
    writeFileSync(path, JSON.stringify({ "tfidf-keywords": { result: legacy, meta: META } }));
    const store = createFileBaselineStore({ path });
    const expected: ExperimentResult = { rankings: { keywords: { b: [{ term: "y", score: 0.5 }], a: [] } } };
    assert.deepEqual(await store.load("tfidf-keywords", PR)(), E.right(O.some({ result: expected, meta: META })));
    assert.deepEqual(await store.save("other", OTHER, META)(), E.right(undefined));
    const onDisk = JSON.parse(readFileSync(path, "utf8")) as Record<string, { readonly result: unknown }>;
    assert.deepEqual(
      onDisk["tfidf-keywords"]?.result,
      expected,
      "the earlier entry is rewritten in the new form, same documents in the same order",
    );
  });

  it("a result that breaks the contract is StoreCorrupt naming the entry and the JSON path", async () => {
    const path = join(dir, "bad-metric.json");
    writeFileSync(path, JSON.stringify({ train: { result: { metrics: { accuracy: "x" } }, meta: META } }));
    const loaded = await createFileBaselineStore({ path }).load("train", PR)();
    assertLeft(
      loaded,
      "StoreCorrupt",
      /^store=baseline store detail=\/\S+\/bad-metric\.json: train\.result: metrics\.accuracy: expected a finite number, got "x"$/,
    );
    assert.equal(
      loaded.left._tag === "StoreCorrupt" ? loaded.left.detail : "",
      `${path}: train.result: metrics.accuracy: expected a finite number, got "x"`,
    );
  });

  it("concurrent saves in one process do not lose each other", async () => {
    const path = join(dir, "concurrent.json");
    const store = createFileBaselineStore({ path });
    await Promise.all(["a", "b", "c", "d"].map((id) => store.save(id, RESULT, META)()));
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, "utf8")) as object).sort(), ["a", "b", "c", "d"]);
  });

  const corrupt: ReadonlyArray<[string, string, RegExp]> = [
    ["not JSON", "{oops", /corrupt\.json: not JSON/],
    [
      "a bad field",
      JSON.stringify({ "tfidf-keywords": { result: { documents: [{ id: 1 }] }, meta: META } }),
      /bad-field\.json: .*tfidf-keywords.*result.*documents/,
    ],
  ];
  for (const [name, text, expected] of corrupt) {
    it(`a corrupt file (${name}) is StoreCorrupt naming the file, and is not overwritten`, async () => {
      const path = join(dir, name === "not JSON" ? "corrupt.json" : "bad-field.json");
      writeFileSync(path, text);
      const store = createFileBaselineStore({ path });
      const loaded = await store.load("tfidf-keywords", PR)();
      assert.ok(E.isLeft(loaded));
      assert.equal(loaded.left._tag, "StoreCorrupt");
      assert.match(loaded.left._tag === "StoreCorrupt" ? loaded.left.detail : "", expected);
      const saved = await store.save("tfidf-keywords", RESULT, META)();
      assertLeft(saved, "StoreCorrupt", expected);
      assert.equal(readFileSync(path, "utf8"), text);
    });
  }

  it("requires a path", () => {
    assert.throws(() => createFileBaselineStore({ path: "" }), /path is required/);
  });
});
