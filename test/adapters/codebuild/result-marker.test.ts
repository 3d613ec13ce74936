import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { encodeResultMarkers } from "../../../src/adapters/codebuild/index.js";
import { decodeResultMarkers } from "../../../src/adapters/codebuild/result-marker.js";

const JSON_TEXT = JSON.stringify({
  documents: [{ id: "日本語-1", keywords: [{ term: "形態素解析", score: 0.123456789 }] }],
});

describe("ML_CHATOPS_RESULT markers", () => {
  it("round-trips multi-byte JSON through several chunks", () => {
    const lines = encodeResultMarkers(JSON_TEXT, 16);
    assert.ok(lines.length > 3);
    assert.match(lines[0] ?? "", /^ML_CHATOPS_RESULT v1 1\/\d+ [0-9a-f]{64} [A-Za-z0-9+/=]+$/);
    assert.deepEqual(decodeResultMarkers(["noise", ...lines, "more noise"]), E.right(JSON_TEXT));
  });

  it("tolerates interleaved log lines, CRLF and repeated identical chunks", () => {
    const lines = encodeResultMarkers(JSON_TEXT, 16).flatMap((l, i) =>
      i === 1 ? [l, "[Container] chatter", `${l}\r\n`] : [l],
    );
    assert.deepEqual(decodeResultMarkers(lines), E.right(JSON_TEXT));
  });

  it("order on the page does not matter; the chunk index does", () => {
    const l = encodeResultMarkers(JSON_TEXT, 16);
    assert.deepEqual(decodeResultMarkers([l[1]!, l[0]!, ...l.slice(2)]), E.right(JSON_TEXT));
  });

  it("the last complete result wins", () => {
    const second = JSON.stringify({ documents: [] });
    assert.deepEqual(
      decodeResultMarkers([...encodeResultMarkers(JSON_TEXT), ...encodeResultMarkers(second)]),
      E.right(second),
    );
  });

  const broken: ReadonlyArray<[string, (l: ReadonlyArray<string>) => ReadonlyArray<string>, RegExp]> = [
    ["no markers", () => ["hello"], /^no ML_CHATOPS_RESULT lines in the build log$/],
    ["a chunk missing", (l) => l.filter((_, i) => i !== 1), /incomplete: chunk 2 of \d+ missing/],
    [
      "a chunk altered",
      (l) => l.map((x, i) => (i === 1 ? x.replace(/[A-Za-z0-9](?=[^ ]*$)/, (c) => (c === "Q" ? "R" : "Q")) : x)),
      /checksum mismatch/,
    ],
    ["malformed marker", (l) => [...l, "ML_CHATOPS_RESULT v1 oops"], /malformed ML_CHATOPS_RESULT line \d+/],
    ["index beyond count", () => [`ML_CHATOPS_RESULT v1 3/2 ${"a".repeat(64)} AAAA`], /out of range/],
    ["conflicting copies", (l) => [...l, l[0]!.replace(/ [^ ]+$/, " QUFBQQ==")], /differs from an earlier copy/],
  ];
  for (const [name, mutate, reason] of broken) {
    it(`corrupt: ${name}`, () => {
      const r = decodeResultMarkers(mutate(encodeResultMarkers(JSON_TEXT, 16)));
      assert.ok(E.isLeft(r), name);
      assert.match(r.left, reason);
    });
  }

  it("a size limit is enforced before decoding", () => {
    const r = decodeResultMarkers(encodeResultMarkers("x".repeat(10_000)), 1_000);
    assert.ok(E.isLeft(r));
    assert.match(r.left, /larger than 1000 characters/);
  });

  it("check 81: the cap holds while collecting: a flood of chunks of a result that never completes is refused as too large", () => {
    // 2,000 chunks of a claimed 999,999: without the running cap this would end as "incomplete"
    // only after holding every chunk.
    const sum = "a".repeat(64);
    const flood = Array.from(
      { length: 2_000 },
      (_, i) => `ML_CHATOPS_RESULT v1 ${i + 1}/999999 ${sum} ${"QUFB".repeat(250)}`,
    );
    assert.deepEqual(
      decodeResultMarkers(flood, 100_000),
      E.left("ML_CHATOPS_RESULT result larger than 100000 characters"),
    );
  });
});
