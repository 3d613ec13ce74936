import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { parseCorpus, parseTokenizedCorpus } from "../../src/nlp/corpus.js";
import { describeNlpError } from "../../src/nlp/errors.js";

const line = (o: unknown) => JSON.stringify(o);
const good = (id: string) => line({ id, title: `t ${id}`, text: `x ${id}` });

describe("parseCorpus", () => {
  it("reads documents in order, ignores extra fields, allows empty documents", () => {
    const content = [
      line({ id: "a", title: "Hello", text: "World", lang: "en", extra: { deep: 1 } }),
      line({ id: "b", title: "", text: "" }),
      good("c"),
    ].join("\n");
    assert.deepEqual(
      parseCorpus("c.jsonl", content),
      E.right([
        { id: "a", title: "Hello", text: "World" },
        { id: "b", title: "", text: "" },
        { id: "c", title: "t c", text: "x c" },
      ]),
    );
  });

  it("skips blank lines but counts them; tolerates CRLF, a trailing newline and a BOM", () => {
    const content = `\uFEFF${good("a")}\r\n\r\n   \n${good("b")}\r\n`;
    const r = parseCorpus("c.jsonl", content);
    assert.deepEqual(E.map((d: ReadonlyArray<{ id: string }>) => d.map((x) => x.id))(r), E.right(["a", "b"]));
    const bad = parseCorpus("c.jsonl", `${good("a")}\r\n\r\n{"id":"b"}\r\n`);
    assert.ok(E.isLeft(bad));
    assert.equal(describeNlpError(bad.left), 'c.jsonl:3: field "title" is missing');
  });

  it("an empty file is an empty corpus", () => {
    assert.deepEqual(parseCorpus("c.jsonl", ""), E.right([]));
  });

  const bad: ReadonlyArray<{ name: string; lines: ReadonlyArray<string>; message: string }> = [
    {
      name: "id is a number",
      lines: [good("a"), line({ id: 7, title: "", text: "" })],
      message: 'corpus.jsonl:2: field "id" must be a non-empty string',
    },
    {
      name: "id is empty",
      lines: [line({ id: "", title: "", text: "" })],
      message: 'corpus.jsonl:1: field "id" must be a non-empty string',
    },
    { name: "id is missing", lines: [line({ title: "", text: "" })], message: 'corpus.jsonl:1: field "id" is missing' },
    {
      name: "text is null",
      lines: [good("a"), good("b"), line({ id: "c", title: "", text: null })],
      message: 'corpus.jsonl:3: field "text" must be a string',
    },
    {
      name: "title is a list",
      lines: [line({ id: "a", title: ["x"], text: "" })],
      message: 'corpus.jsonl:1: field "title" must be a string',
    },
    { name: "not JSON", lines: [good("a"), "{id: 'b'}"], message: "corpus.jsonl:2: not valid JSON" },
    { name: "a JSON array", lines: ["[1,2]"], message: "corpus.jsonl:1: line must be a JSON object" },
    { name: "a JSON string", lines: ['"text"'], message: "corpus.jsonl:1: line must be a JSON object" },
    { name: "null", lines: ["null"], message: "corpus.jsonl:1: line must be a JSON object" },
    {
      name: "a duplicate id names both lines",
      lines: [good("a"), good("b"), "", good("a")],
      message: 'corpus.jsonl:4: duplicate id "a" (first on line 1)',
    },
  ];
  for (const c of bad) {
    it(`bad line: ${c.name}`, () => {
      const r = parseCorpus("corpus.jsonl", c.lines.join("\n"));
      assert.ok(E.isLeft(r));
      assert.ok(describeNlpError(r.left).startsWith(c.message), describeNlpError(r.left));
    });
  }

  it("a duplicate id is a tagged error with both line numbers", () => {
    const r = parseCorpus("c.jsonl", [good("x"), good("x")].join("\n"));
    assert.deepEqual(r, E.left({ _tag: "CorpusDuplicateId", file: "c.jsonl", id: "x", firstLine: 1, line: 2 }));
  });
});

describe("parseTokenizedCorpus", () => {
  it("reads ids and tokens, ignores extra fields", () => {
    const content = [line({ id: "a", tokens: ["python", "型"], n: 2 }), line({ id: "b", tokens: [] })].join("\n");
    assert.deepEqual(
      parseTokenizedCorpus("t.jsonl", content),
      E.right([
        { id: "a", tokens: ["python", "型"] },
        { id: "b", tokens: [] },
      ]),
    );
  });

  const bad: ReadonlyArray<{ name: string; text: string; message: string }> = [
    { name: "tokens missing", text: line({ id: "a" }), message: 't.jsonl:1: field "tokens" is missing' },
    {
      name: "tokens a string",
      text: line({ id: "a", tokens: "a b" }),
      message: 't.jsonl:1: field "tokens" must be an array of strings',
    },
    {
      name: "a token is a number",
      text: line({ id: "a", tokens: ["x", "y", 3] }),
      message: 't.jsonl:1: field "tokens[2]" must be a string',
    },
    {
      name: "id missing",
      text: `${line({ id: "a", tokens: [] })}\n${line({ tokens: [] })}`,
      message: 't.jsonl:2: field "id" is missing',
    },
  ];
  for (const c of bad) {
    it(`bad line: ${c.name}`, () => {
      const r = parseTokenizedCorpus("t.jsonl", c.text);
      assert.ok(E.isLeft(r));
      assert.equal(describeNlpError(r.left), c.message);
    });
  }
});
