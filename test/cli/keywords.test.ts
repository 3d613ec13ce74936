import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { CliIo } from "../../src/cli/io.js";
import { runKeywords } from "../../src/cli/keywords.js";
import { KEYWORDS_USAGE } from "../../src/cli/keywords-options.js";
import { escapeCell, toKeywordsMarkdown } from "../../src/cli/keywords-markdown.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const work = mkdtempSync(path.join(tmpdir(), "keywords-cli-"));

const write = (name: string, lines: ReadonlyArray<unknown>): string => {
  writeFileSync(
    path.join(work, name),
    lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n",
  );
  return name;
};

const run = async (argv: ReadonlyArray<string>) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: {},
    cwd: work,
    stderrIsTTY: false,
  };
  const code = await runKeywords(argv, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
};

const TOKENS = write("tokens.jsonl", [
  { id: "d1", tokens: ["apple", "apple", "banana"] },
  { id: "d2", tokens: ["banana", "cherry", "the", "x"] },
  { id: "d3", tokens: ["cherry"] },
]);

describe("ml-chatops keywords --pretokenized (in-process)", () => {
  it("prints exactly the documented JSON shape, scores at full precision", async () => {
    const r = await run(["--pretokenized", TOKENS, "--max-df", "1.0"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    // compact JSON, one line, keys in the documented order
    const parsed = JSON.parse(r.stdout) as {
      documents: Array<{ id: string; keywords: Array<{ term: string; score: number }> }>;
    };
    assert.equal(r.stdout, `${JSON.stringify(parsed)}\n`);
    assert.deepEqual(Object.keys(parsed), ["documents"]);
    for (const d of parsed.documents) {
      assert.deepEqual(Object.keys(d), ["id", "keywords"]);
      for (const k of d.keywords) assert.deepEqual(Object.keys(k), ["term", "score"]);
    }
    // Hand-worked numbers for this corpus (see test/nlp/tfidf.test.ts), printed unrounded.
    const expected = [
      [
        "d1",
        [
          ["apple", 0.9347019636214327],
          ["banana", 0.35543246785041743],
        ],
      ],
      [
        "d2",
        [
          ["banana", Math.SQRT1_2],
          ["cherry", Math.SQRT1_2],
        ],
      ],
      ["d3", [["cherry", 1]]],
    ] as const;
    assert.deepEqual(
      parsed.documents.map((d) => d.id),
      expected.map(([id]) => id),
    );
    expected.forEach(([, keywords], i) => {
      const got = parsed.documents[i]!.keywords;
      assert.deepEqual(
        got.map((k) => k.term),
        keywords.map(([t]) => t),
      );
      keywords.forEach(([, score], j) =>
        assert.ok(Math.abs(got[j]!.score - score) < 1e-15, `${got[j]!.score} vs ${score}`),
      );
    });
    assert.match(r.stdout, /"score":0\.93470196362143\d+/);
  });

  it("--top, --norm, --no-idf, --sublinear-tf and --min-df reach the computation", async () => {
    const r = await run([
      "--pretokenized",
      TOKENS,
      "--max-df",
      "3",
      "--min-df",
      "2",
      "--no-idf",
      "--norm",
      "none",
      "--sublinear-tf",
      "--top",
      "1",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      documents: [
        { id: "d1", keywords: [{ term: "banana", score: 1 }] },
        { id: "d2", keywords: [{ term: "banana", score: 1 }] },
        { id: "d3", keywords: [{ term: "cherry", score: 1 }] },
      ],
    });
  });

  it("--stop-words adds to the built-in list", async () => {
    writeFileSync(path.join(work, "stop.txt"), "apple\n\n");
    const r = await run([
      "--pretokenized",
      TOKENS,
      "--max-df",
      "1.0",
      "--stop-words",
      "stop.txt",
      "--norm",
      "l1",
      "--no-idf",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).documents[0], { id: "d1", keywords: [{ term: "banana", score: 1 }] });
  });

  it("--output writes the same JSON to a file and nothing to stdout", async () => {
    const r = await run(["--pretokenized", TOKENS, "--max-df", "1.0", "--output", "out/../result.json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    const direct = await run(["--pretokenized", TOKENS, "--max-df", "1.0"]);
    assert.equal(readFileSync(path.join(work, "result.json"), "utf8"), direct.stdout);
  });

  it("--format markdown renders a table", async () => {
    const r = await run(["--pretokenized", TOKENS, "--max-df", "1.0", "--format", "markdown"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "| document | keywords |\n| --- | --- |\n| d1 | apple (0.9347), banana (0.3554) |\n" +
        "| d2 | banana (0.7071), cherry (0.7071) |\n| d3 | cherry (1.0000) |\n",
    );
  });

  it("--help prints the usage on stdout", async () => {
    const r = await run(["--help"]);
    assert.deepEqual(r, { code: 0, stdout: KEYWORDS_USAGE, stderr: "" });
    assert.match(KEYWORDS_USAGE, /--pretokenized/);
  });
});

describe("ml-chatops keywords --input (real kuromoji dictionary, loaded once)", { timeout: 120_000 }, () => {
  it("extracts keywords from a raw corpus, documents in input order", async () => {
    const corpus = write("raw.jsonl", [
      {
        id: "types",
        title: "型ヒント入門",
        text: "Pythonの型ヒントと mypy で型をチェックします。型ヒントは便利です。",
        lang: "ja",
      },
      { id: "async", title: "asyncio", text: "The event loop runs coroutines. asyncio makes concurrent I/O simple." },
      { id: "empty", title: "", text: "" },
      { id: "web", title: "Webアプリ", text: "- Djangoで[チュートリアル](https://docs.djangoproject.com/)を進めます" },
    ]);
    const r = await run(["--input", corpus, "--top", "4"]);
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as {
      documents: Array<{ id: string; keywords: Array<{ term: string; score: number }> }>;
    };
    assert.deepEqual(
      parsed.documents.map((d) => d.id),
      ["types", "async", "empty", "web"],
    );
    assert.deepEqual(parsed.documents[0]!.keywords.map((k) => k.term).slice(0, 3), ["型", "ヒント", "mypy"]);
    assert.deepEqual(parsed.documents[2]!.keywords, []);
    // the five terms of "web" (django web アプリ チュートリアル 進める) weigh the same:
    // code point order decides, and the URL left nothing behind
    assert.deepEqual(
      parsed.documents[3]!.keywords.map((k) => k.term),
      ["django", "web", "アプリ", "チュートリアル"],
    );
    assert.ok(!r.stdout.includes("djangoproject"));
  });
});

describe("ml-chatops keywords errors: one line on stderr, exit 2 for usage, 1 for data", () => {
  const BAD = write("bad.jsonl", [{ id: "a", title: "", text: "" }, "", { id: "b", title: 3, text: "" }]);
  const DUP = write("dup.jsonl", [
    { id: "a", tokens: [] },
    { id: "a", tokens: ["x"] },
  ]);
  const NOT_JSON = write("notjson.jsonl", [{ id: "a", tokens: [] }, "{oops"]);
  const cases: ReadonlyArray<{ name: string; argv: ReadonlyArray<string>; code: number; line: RegExp }> = [
    {
      name: "bad corpus line",
      argv: ["--input", BAD],
      code: 1,
      line: /^ml-chatops keywords: field "title" must be a string \(bad\.jsonl:3\)$/,
    },
    {
      name: "duplicate id",
      argv: ["--pretokenized", DUP],
      code: 1,
      line: /^ml-chatops keywords: duplicate id "a", first on line 1 \(dup\.jsonl:2\)$/,
    },
    {
      name: "not JSON",
      argv: ["--pretokenized", NOT_JSON],
      code: 1,
      line: /^ml-chatops keywords: not valid JSON \(.*\) \(notjson\.jsonl:2\)$/,
    },
    {
      name: "missing file",
      argv: ["--pretokenized", "nope.jsonl"],
      code: 1,
      line: /^ml-chatops keywords: cannot read corpus: ENOENT.* \(nope\.jsonl\)$/,
    },
    {
      name: "missing stop words file",
      argv: ["--pretokenized", TOKENS, "--stop-words", "nope.txt"],
      code: 1,
      line: /^ml-chatops keywords: cannot read stop words: .* \(nope\.txt\)$/,
    },
    {
      name: "no input",
      argv: [],
      code: 2,
      line: /^ml-chatops keywords: give exactly one of --input or --pretokenized \(arguments\)$/,
    },
    { name: "both inputs", argv: ["--input", "a", "--pretokenized", "b"], code: 2, line: /exactly one of/ },
    {
      name: "unknown flag",
      argv: ["--pretokenized", TOKENS, "--maxdf", "1"],
      code: 2,
      line: /^ml-chatops keywords: Unknown option '--maxdf'.* \(arguments; see --help\)$/,
    },
    {
      name: "positional argument",
      argv: ["--pretokenized", TOKENS, "extra"],
      code: 2,
      line: /^ml-chatops keywords: .*extra.* \(arguments; see --help\)$/,
    },
    {
      name: "bad --top",
      argv: ["--pretokenized", TOKENS, "--top", "0"],
      code: 2,
      line: /^ml-chatops keywords: expected an integer from 1 to 999, got "0" \(--top\)$/,
    },
    {
      name: "a --top the result contract cannot hold",
      argv: ["--pretokenized", TOKENS, "--top", "5000"],
      code: 2,
      line: /^ml-chatops keywords: expected an integer from 1 to 999, got "5000" \(--top\)$/,
    },
    {
      name: "bad --max-df",
      argv: ["--pretokenized", TOKENS, "--max-df", "1.5"],
      code: 2,
      line: /got "1\.5" \(--max-df\)$/,
    },
    { name: "bad --min-df", argv: ["--pretokenized", TOKENS, "--min-df=-1"], code: 2, line: /\(--min-df\)$/ },
    {
      name: "bad --norm",
      argv: ["--pretokenized", TOKENS, "--norm", "l3"],
      code: 2,
      line: /expected l1, l2 or none, got "l3" \(--norm\)$/,
    },
    { name: "bad --format", argv: ["--pretokenized", TOKENS, "--format", "html"], code: 2, line: /\(--format\)$/ },
    {
      name: "a value on a boolean flag",
      argv: ["--pretokenized", TOKENS, "--sublinear-tf=yes"],
      code: 2,
      line: /\(arguments; see --help\)$/,
    },
    {
      name: "max_df below min_df",
      argv: ["--pretokenized", TOKENS, "--max-df", "1", "--min-df", "2"],
      code: 2,
      line: /max_df corresponds to fewer documents/,
    },
    {
      name: "nothing left after pruning",
      argv: ["--pretokenized", TOKENS, "--max-df", "1.0", "--min-df", "1.0"],
      code: 1,
      line: /no terms remain/,
    },
    {
      name: "unwritable output",
      argv: ["--pretokenized", TOKENS, "--output", "no/such/dir/r.json"],
      code: 1,
      line: /^ml-chatops keywords: cannot write the result: .* \(no\/such\/dir\/r\.json\)$/,
    },
  ];
  for (const c of cases) {
    it(`${c.name} -> exit ${c.code}`, async () => {
      const r = await run(c.argv);
      assert.equal(r.code, c.code, r.stderr);
      assert.equal(r.stdout, "");
      assert.ok(r.stderr.endsWith("\n") && r.stderr.split("\n").length === 2, `one line: ${JSON.stringify(r.stderr)}`);
      assert.match(r.stderr.trimEnd(), c.line);
    });
  }
});

describe("markdown output escaping", () => {
  it("check 65/66: corpus words cannot break the table, add markup or mention anyone", () => {
    assert.equal(escapeCell("a|b"), "a&#124;b");
    assert.equal(escapeCell("@team #12"), "&#64;team &#35;12");
    assert.equal(escapeCell("```</details>\n<!-- x -->"), "&#96;&#96;&#96;&#60;/details&#62; &#60;&#33;-- x --&#62;");
    assert.equal(escapeCell("[a](http://b)"), "&#91;a&#93;&#40;http&#58;//b&#41;");
    const md = toKeywordsMarkdown({ documents: [{ id: "x|y", keywords: [{ term: "@everyone", score: 0.5 }] }] });
    assert.equal(md.split("\n")[2], "| x&#124;y | &#64;everyone (0.5000) |");
  });
});

describe("ml-chatops keywords as a process", () => {
  it("`node --import tsx src/cli/main.ts keywords --help` prints the usage", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "keywords", "--help"], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, NODE_NO_WARNINGS: "1" },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, KEYWORDS_USAGE);
  });
});
