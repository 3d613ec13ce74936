import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { readZipEntry } from "../../../src/adapters/github-actions/zip.js";
import { toActionsRunStatus } from "../../../src/adapters/github-actions/status.js";
import { dispatchInputs, correlationIdFor } from "../../../src/adapters/github-actions/runner.js";
import { resolveActionsConfig } from "../../../src/adapters/github-actions/config.js";
import type { RunState, Sha } from "../../../src/core/model.js";
import { toRunKey } from "../../../src/core/model.js";
import { writeZip } from "./zip-writer.js";

describe("check 60: workflow run status/conclusion → RunStatus", () => {
  const table: ReadonlyArray<[string | null, string | null, RunState]> = [
    ["requested", null, "queued"],
    ["queued", null, "queued"],
    ["waiting", null, "queued"],
    ["pending", null, "queued"],
    ["in_progress", null, "running"],
    ["completed", "success", "succeeded"],
    ["completed", "failure", "failed"],
    ["completed", "cancelled", "cancelled"],
    ["completed", "timed_out", "errored"],
    ["completed", "startup_failure", "errored"],
    ["completed", "action_required", "errored"],
    ["completed", "neutral", "errored"],
    ["completed", "skipped", "errored"],
    ["completed", null, "errored"],
    ["frobnicating", null, "running"],
    [null, null, "running"],
  ];
  for (const [status, conclusion, state] of table) {
    it(`${String(status)}/${String(conclusion)} → ${state}`, () =>
      assert.equal(toActionsRunStatus({ status, conclusion }).state, state));
  }
  it("nothing but completed/success is success", () => {
    for (const [s, c] of [
      ["success", null],
      ["completed", "Success"],
      ["done", "success"],
    ] as const) {
      assert.notEqual(toActionsRunStatus({ status: s, conclusion: c }).state, "succeeded");
    }
  });
});

describe("artifact zip reader (untrusted data)", () => {
  const files = { "result.json": '{"documents":[]}', "log-tail.txt": "a\nb\n" };
  it("reads deflated and stored entries by exact name", () => {
    for (const store of [false, true]) {
      const zip = writeZip(files, { store });
      assert.deepEqual(
        E.map((b: Buffer | undefined) => b?.toString())(readZipEntry(zip, "result.json", 1000)),
        E.right('{"documents":[]}'),
      );
    }
  });
  it("a missing entry is undefined; path tricks do not match", () => {
    const zip = writeZip({ "../result.json": "{}", "dir/result.json": "{}" });
    assert.deepEqual(readZipEntry(zip, "result.json", 1000), E.right(undefined));
  });
  it("an entry above the size cap is refused before inflating", () => {
    const zip = writeZip({ "result.json": "x".repeat(5000) });
    assert.ok(E.isLeft(readZipEntry(zip, "result.json", 100)));
  });
  it("a CRC mismatch, a truncated archive or a non-zip is refused", () => {
    const zip = writeZip(files, { store: true });
    const tampered = Buffer.from(zip);
    tampered[30 + "result.json".length] = "X".charCodeAt(0);
    assert.deepEqual(readZipEntry(tampered, "result.json", 1000), E.left("result.json: CRC mismatch"));
    assert.ok(E.isLeft(readZipEntry(zip.subarray(0, 40), "result.json", 1000)));
    assert.ok(E.isLeft(readZipEntry(Buffer.from("not a zip at all, just text padding padding"), "result.json", 1000)));
  });
  it("a zip bomb stops at the cap", () => {
    const bomb = writeZip({ "result.json": Buffer.alloc(2_000_000) });
    assert.deepEqual(
      readZipEntry(bomb, "result.json", 10_000),
      E.left("result.json is 2000000 bytes, more than the 10000 allowed"),
    );
  });
  // Writes `size` into both size fields of the first entry (local header and central directory).
  const declareSize = (zip: Buffer, size: number): Buffer => {
    const lied = Buffer.from(zip);
    lied.writeUInt32LE(size, 22);
    const cd = lied.readUInt32LE(lied.length - 22 + 16);
    lied.writeUInt32LE(size, cd + 24);
    return lied;
  };
  it("check 81: a bomb that declares a small size stops at the output cap, not after inflating it all", () => {
    const bomb = declareSize(writeZip({ "result.json": Buffer.alloc(50_000_000) }), 100);
    assert.deepEqual(
      readZipEntry(bomb, "result.json", 10_000),
      E.left("result.json inflates past the cap of 10000 bytes (it declared 100)"),
    );
  });
  it("check 81: declared and actual sizes must agree, and so must the local header and the central directory", () => {
    const small = declareSize(writeZip({ "result.json": '{"documents":[]}' }), 3);
    assert.deepEqual(
      readZipEntry(small, "result.json", 1000),
      E.left("result.json: size mismatch (declared 3, actual 16)"),
    );
    const split = writeZip({ "result.json": '{"documents":[]}' });
    split.writeUInt32LE(9, 22); // the local header alone claims another size
    assert.deepEqual(
      readZipEntry(split, "result.json", 1000),
      E.left("result.json: the local header and the central directory disagree"),
    );
  });
});

describe("dispatch inputs", () => {
  const req = {
    runKey: toRunKey({ owner: "o", repo: "r", number: 3 }, "tfidf-keywords"),
    experimentId: "tfidf-keywords",
    params: { top: "5", max_df: "0.4" },
    pinnedSha: "0123456789abcdef0123456789abcdef01234567" as Sha,
    pr: { owner: "o", repo: "r", number: 3, headRef: "x", headSha: "0123456789abcdef0123456789abcdef01234567" as Sha },
    approvalId: "a-1",
  };
  it("check 11: five inputs, the SHA among them, parameters as sorted JSON", () => {
    assert.deepEqual(dispatchInputs(req), {
      sha: req.pinnedSha,
      pr: "3",
      experiment: "tfidf-keywords",
      params: '{"max_df":"0.4","top":"5"}',
      correlation_id: correlationIdFor("a-1"),
    });
    assert.match(correlationIdFor("a-1"), /^mlc-[0-9a-f]{20}$/);
  });
  it("config errors name the field", () => {
    assert.throws(() => resolveActionsConfig({ ref: "main" }), /workflowId/);
    assert.throws(() => resolveActionsConfig({ workflowId: "x.yml", ref: "main", owner: "o" }), /owner\/repo/);
  });
});
