import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { createFileBaselineStore } from "../../../src/adapters/local/index.js";
import type { Sha } from "../../../src/core/model.js";

const dir = mkdtempSync(join(tmpdir(), "ml-chatops-baseline-test-"));
const PR = { owner: "o", repo: "r", number: 3 };
const META = {
  pr: PR,
  sha: "0123456789abcdef0123456789abcdef01234567" as Sha,
  promotedBy: { login: "alice", id: 1 },
  promotedAt: "2026-01-01T00:00:00.000Z",
};
const RESULT = { documents: [{ id: "a", keywords: [{ term: "x", score: 0.25 }] }] };

describe("file baseline store", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a missing file means no baseline; save then load round-trips, other experiments kept", async () => {
    const path = join(dir, "round-trip.json");
    const store = createFileBaselineStore({ path });
    assert.deepEqual(await store.load("tfidf-keywords", PR)(), E.right(O.none));
    assert.deepEqual(await store.save("tfidf-keywords", RESULT, META)(), E.right(undefined));
    assert.deepEqual(await store.save("other", { documents: [] }, META)(), E.right(undefined));
    assert.deepEqual(await store.load("tfidf-keywords", PR)(), E.right(O.some(RESULT)));
    assert.deepEqual(await createFileBaselineStore({ path }).load("other", PR)(), E.right(O.some({ documents: [] })));
    assert.deepEqual(await store.load("constructor", PR)(), E.right(O.none), "prototype names are not experiments");
    const onDisk = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    assert.deepEqual(Object.keys(onDisk), ["tfidf-keywords", "other"]);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "no temporary file is left behind");
  });

  it("concurrent saves in one process do not lose each other", async () => {
    const path = join(dir, "concurrent.json");
    const store = createFileBaselineStore({ path });
    await Promise.all(["a", "b", "c", "d"].map((id) => store.save(id, RESULT, META)()));
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(path, "utf8")) as object).sort(), ["a", "b", "c", "d"]);
  });

  const corrupt: ReadonlyArray<[string, string, RegExp]> = [
    ["not JSON", "{oops", /corrupt\.json: not JSON/],
    ["a bad field", JSON.stringify({ "tfidf-keywords": { result: { documents: [{ id: 1 }] }, meta: META } }), /bad-field\.json: .*tfidf-keywords.*result.*documents/],
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
      assert.ok(E.isLeft(saved) && saved.left._tag === "StoreCorrupt");
      assert.equal(readFileSync(path, "utf8"), text);
    });
  }

  it("requires a path", () => {
    assert.throws(() => createFileBaselineStore({ path: "" }), /path is required/);
  });
});
