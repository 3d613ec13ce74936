import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { inlineCode, messages } from "../../src/core/messages.js";

describe("reply texts", () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ["plain", "alice", "`alice`"],
    ["a backtick run inside gets a longer fence", "a``b", "```a``b```"],
    ["a leading backtick is padded", "`x", "`` `x ``"],
    ["newlines are flattened", "a\nb\r\nc", "`a b c`"],
    ["check 68: a bidi override is shown, not obeyed", "x\u202Eevil", "`x\\u{202E}evil`"],
    ["empty: two pad spaces, still a code span", "", "`  `"],
  ];
  for (const [name, input, expected] of cases) {
    it(`inlineCode: ${name}`, () => assert.equal(inlineCode(input), expected));
  }

  it("inlineCode caps what it echoes at 300 characters", () => {
    assert.ok(inlineCode("x".repeat(5000)).length <= 302);
  });

  it("check 66: a login or value with @ and # stays inside a code span", () => {
    const text = messages.denied("@org/team #12", "write", "read");
    assert.match(text, /`@org\/team #12`/);
  });

  it("check 12: the head-moved reply names both short SHAs", () => {
    assert.match(messages.headMoved("a".repeat(40) as never, "b".repeat(40) as never), /`aaaaaaa` → `bbbbbbb`/);
  });
});
