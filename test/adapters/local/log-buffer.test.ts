import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createLineSplitter, createLogBuffer } from "../../../src/adapters/local/log-buffer.js";

describe("log buffer", () => {
  it("keeps a bounded tail and pages by absolute cursor", () => {
    const log = createLogBuffer({ maxLines: 3, maxBytes: 1000, maxLineChars: 100 });
    for (const l of ["a", "b", "c", "d", "e"]) log.push(l);
    assert.deepEqual(log.tail(), ["c", "d", "e"]);
    assert.deepEqual(log.page(undefined), { lines: ["c", "d", "e"], next: "5" });
    assert.deepEqual(log.page("3"), { lines: ["d", "e"], next: "5" });
    assert.deepEqual(log.page("5"), { lines: [], next: "5" });
    assert.deepEqual(
      log.page("0"),
      { lines: ["c", "d", "e"], next: "5" },
      "a cursor before the kept tail starts at the oldest kept line",
    );
    assert.deepEqual(log.page("garbage"), { lines: ["c", "d", "e"], next: "5" });
  });

  it("bounds bytes and truncates a very long line", () => {
    const log = createLogBuffer({ maxLines: 100, maxBytes: 10, maxLineChars: 4 });
    log.push("123456789");
    log.push("ab");
    log.push("cd");
    assert.deepEqual(log.tail(), ["ab", "cd"]);
    const long = createLogBuffer({ maxLines: 100, maxBytes: 1000, maxLineChars: 4 });
    long.push("123456789");
    assert.deepEqual(long.tail(), ["1234 …[line truncated]"]);
  });

  it("splits chunks into lines across UTF-8 boundaries and CRLF", () => {
    const lines: string[] = [];
    const split = createLineSplitter((l) => lines.push(l), 8);
    const bytes = Buffer.from("日本\r\nxy\nunterminated-long-line");
    split.write(bytes.subarray(0, 2));
    split.write(bytes.subarray(2));
    split.end();
    assert.deepEqual(lines, ["日本", "xy", "untermin", "ated-lon", "g-line"]);
  });
});
