import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseComment, renderHelp } from "../../src/core/command.js";
import type { Command } from "../../src/core/model.js";

const T = "/experiment";

type Case = {
  readonly name: string;
  readonly body: string;
  readonly trigger?: string;
  /** Expected commands as `line:name`, in order. */
  readonly commands: ReadonlyArray<string>;
  /** Expected error lines. */
  readonly errors?: ReadonlyArray<number>;
};

const summary = (cs: ReadonlyArray<Command>): ReadonlyArray<string> => cs.map((c) => `${c.line}:${c.name}`);

const run = (cases: ReadonlyArray<Case>): void => {
  for (const c of cases) {
    it(c.name, () => {
      const parsed = parseComment(c.body, c.trigger ?? T);
      assert.deepEqual(summary(parsed.commands), c.commands);
      assert.deepEqual(
        parsed.errors.map((e) => e.line),
        c.errors ?? [],
        `errors: ${JSON.stringify(parsed.errors)}`,
      );
    });
  }
};

describe("parseComment: where commands are recognised", () => {
  run([
    { name: "a bare command", body: "/experiment run", commands: ["1:run"] },
    { name: "CRLF line ends and trailing spaces", body: "Thanks!\r\n/experiment run   \t\r\n", commands: ["2:run"] },
    { name: "old Mac CR line ends", body: "a\rb\r/experiment help\r", commands: ["3:help"] },
    {
      name: "anywhere in the comment, not only the first line",
      body: "LGTM\n\nplease:\n\n/experiment promote",
      commands: ["5:promote"],
    },
    {
      name: "several commands in one comment",
      body: "/experiment run\ntext\n/experiment help\n/experiment cancel",
      commands: ["1:run", "3:help", "4:cancel"],
    },
    {
      name: "every sub-command",
      body: "/experiment run\n/experiment promote\n/experiment cancel\n/experiment help",
      commands: ["1:run", "2:promote", "3:cancel", "4:help"],
    },
    {
      name: "a configured trigger (the seed's)",
      body: "/test-trigger-comment run",
      trigger: "/test-trigger-comment",
      commands: ["1:run"],
    },
    {
      name: "the default trigger is not a command under another trigger",
      body: "/experiment run",
      trigger: "/test-trigger-comment",
      commands: [],
    },
    { name: "tab after the trigger", body: "/experiment\trun", commands: ["1:run"] },
    { name: "up to three leading spaces", body: "   /experiment run", commands: ["1:run"] },
    {
      name: "the trigger must be followed by a space or the end",
      body: "/experimentx run\n/experiment-run\n/experiment:run",
      commands: [],
    },
    {
      name: "the trigger must start the line",
      body: "please /experiment run\n- /experiment run\n1. /experiment run",
      commands: [],
    },
    { name: "a trigger alone is a bad command", body: "/experiment", commands: [], errors: [1] },
    { name: "an unknown sub-command is a bad command", body: "hi\n/experiment deploy now", commands: [], errors: [2] },
    { name: "sub-commands are case-sensitive", body: "/experiment RUN", commands: [], errors: [1] },
    {
      name: "good and bad commands in one comment",
      body: "/experiment run\n/experiment nope",
      commands: ["1:run"],
      errors: [2],
    },
  ]);
});

describe("parseComment: check 63, code, quotes and HTML comments are not commands", () => {
  run([
    { name: "check 63: inside a ``` fence", body: "```\n/experiment run\n```", commands: [] },
    {
      name: "check 63: inside a ~~~ fence",
      body: "~~~sh\n/experiment run\n~~~\n/experiment help",
      commands: ["4:help"],
    },
    {
      name: "check 63: a shorter fence does not close a longer one",
      body: "````\n```\n/experiment run\n````\n/experiment help",
      commands: ["5:help"],
    },
    { name: "check 63: a ~~~ line does not close a ``` fence", body: "```\n~~~\n/experiment run\n```", commands: [] },
    {
      name: "check 63: an unclosed fence hides the rest",
      body: "```\n/experiment run\n\n/experiment help",
      commands: [],
    },
    {
      name: "check 63: a fence inside a list item",
      body: "- item\n  ```\n/experiment run\n  ```\n/experiment help",
      commands: ["5:help"],
    },
    { name: "check 63: a fence with an info string", body: "```console\n/experiment run\n```", commands: [] },
    {
      name: "check 63: CRLF fences",
      body: "```\r\n/experiment run\r\n```\r\n/experiment help\r\n",
      commands: ["4:help"],
    },
    {
      name: "check 63: indented code (four spaces or a tab)",
      body: "    /experiment run\n\t/experiment run",
      commands: [],
    },
    { name: "check 63: inline code on one line", body: "`/experiment run`", commands: [] },
    { name: "check 63: a code span across lines", body: "see `\n/experiment run\n` for details", commands: [] },
    { name: "check 63: a double-backtick code span across lines", body: "``a`\n/experiment run\nb``", commands: [] },
    { name: "check 63: an unmatched backtick is literal", body: "it's a ` tick\n/experiment run", commands: ["2:run"] },
    { name: "check 63: code spans end at a blank line", body: "`open\n\n/experiment run\n`", commands: ["3:run"] },
    { name: "check 63: a quoted line", body: "> /experiment run", commands: [] },
    { name: "check 63: a nested quote", body: ">> /experiment run\n> > /experiment run", commands: [] },
    { name: "check 63: an email-style reply", body: "On Mon, bob wrote:\n> /experiment run\n> thanks", commands: [] },
    {
      name: "check 63: a lazy continuation line belongs to the quote",
      body: "> earlier\n/experiment run",
      commands: [],
    },
    { name: "check 63: a blank line ends the quote", body: "> earlier\n\n/experiment run", commands: ["3:run"] },
    { name: "check 63: an HTML comment on one line", body: "<!-- /experiment run -->", commands: [] },
    {
      name: "check 63: an HTML comment over lines",
      body: "<!--\n/experiment run\n-->\n/experiment help",
      commands: ["4:help"],
    },
    { name: "check 63: an HTML comment over blank lines", body: "<!--\n\n/experiment run\n\n-->", commands: [] },
    { name: "check 63: an unclosed HTML comment hides the rest", body: "x <!--\n/experiment run", commands: [] },
    {
      name: "check 63: an HTML comment opened mid-line",
      body: "note <!-- hidden\n/experiment run -->\n/experiment help",
      commands: ["3:help"],
    },
    {
      name: "check 63: `<!--` in inline code opens no comment",
      body: "use `<!--`\n/experiment run",
      commands: ["2:run"],
    },
    {
      name: "check 63: a fence inside an HTML comment opens no fence",
      body: "<!--\n```\n-->\n/experiment run",
      commands: ["4:run"],
    },
    { name: "check 63: inside <pre>", body: "<pre>\n/experiment run\n</pre>\n/experiment help", commands: ["4:help"] },
    {
      name: "check 63: inside <code> over lines",
      body: "see <code>\n/experiment run\n</code> ok\n/experiment help",
      commands: ["4:help"],
    },
    {
      name: "check 63: inside <CODE class=x>, any case",
      body: "<CODE class=x>\n/experiment run\n</Code>",
      commands: [],
    },
    { name: "check 63: an unclosed <pre> hides the rest", body: "<pre>\n\n/experiment run", commands: [] },
    {
      name: "check 63: <script> and <textarea> content",
      body: "<script>\n/experiment run\n</script>\n<textarea>\n/experiment run\n</textarea>",
      commands: [],
    },
    { name: "check 63: <presentation> is not <pre>", body: "<presentation>\n/experiment run", commands: ["2:run"] },
    {
      name: "check 63: a <code> tag inside a code span is text",
      body: "`<code>`\n/experiment run",
      commands: ["2:run"],
    },
    {
      name: "check 63: an escaped backtick opens no code span",
      body: "a \\` b\n/experiment run\nc `",
      commands: ["2:run"],
    },
  ]);
});

describe("parseComment: check 72, lookalikes are not commands", () => {
  run([
    { name: "check 72: fullwidth solidus", body: "／experiment run", commands: [] },
    { name: "check 72: fullwidth letters", body: "/ｅｘｐｅｒｉｍｅｎｔ run", commands: [] },
    { name: "check 72: zero-width space inside the trigger", body: "/exp\u200beriment run", commands: [] },
    { name: "check 72: zero-width joiner inside the trigger", body: "/experi\u200dment run", commands: [] },
    { name: "check 72: zero-width space before the trigger", body: "\u200b/experiment run", commands: [] },
    { name: "check 72: byte-order mark before the trigger", body: "\ufeff/experiment run", commands: [] },
    { name: "check 72: Cyrillic homoglyph in the trigger", body: "/\u0435xperiment run", commands: [] },
    { name: "check 72: division slash instead of solidus", body: "\u2215experiment run", commands: [] },
    { name: "check 72: no-break space after the trigger", body: "/experiment\u00a0run", commands: [] },
    { name: "check 72: ideographic space after the trigger", body: "/experiment\u3000run", commands: [] },
    {
      name: "check 72: zero-width space inside the sub-command is refused",
      body: "/experiment r\u200bun",
      commands: [],
      errors: [1],
    },
    { name: "check 72: homoglyph sub-command is refused", body: "/experiment ru\u043f", commands: [], errors: [1] },
    { name: "check 72: fullwidth sub-command is refused", body: "/experiment ｒｕｎ", commands: [], errors: [1] },
    {
      name: "check 72: bidi override after the sub-command is refused",
      body: "/experiment run\u202e",
      commands: [],
      errors: [1],
    },
  ]);
});

type ArgCase = {
  readonly name: string;
  readonly args: string;
  readonly ok?: Readonly<Record<string, string>>;
  /** A fragment the error message must contain. */
  readonly error?: string;
};

const argCase = (c: ArgCase): void => {
  it(c.name, () => {
    const parsed = parseComment(`/experiment run ${c.args}`, T);
    if (c.ok !== undefined) {
      assert.deepEqual(parsed.errors, []);
      assert.equal(parsed.commands.length, 1);
      assert.deepEqual({ ...parsed.commands[0]!.args }, c.ok);
    } else {
      assert.equal(parsed.commands.length, 0, "a bad argument starts nothing");
      assert.equal(parsed.errors.length, 1);
      assert.match(parsed.errors[0]!.message, new RegExp(c.error ?? ".", "u"));
      assert.equal(parsed.errors[0]!.line, 1);
    }
  });
};

describe("parseComment: check 68, argument grammar", () => {
  const long = "a".repeat(257);
  const cases: ReadonlyArray<ArgCase> = [
    { name: "key=value pairs", args: "max_df=0.4 top-k=5", ok: { max_df: "0.4", "top-k": "5" } },
    { name: "tabs between arguments", args: "a=1\t\tb=2", ok: { a: "1", b: "2" } },
    {
      name: "a double-quoted value with spaces",
      args: 'stop_words="foo bar baz" k=3',
      ok: { stop_words: "foo bar baz", k: "3" },
    },
    { name: "an empty quoted value", args: 'extra=""', ok: { extra: "" } },
    { name: "Japanese values", args: "stop_words=発表,講演", ok: { stop_words: "発表,講演" } },
    { name: "a value that looks like a flag stays a plain string", args: "x=--other", ok: { x: "--other" } },
    { name: "a key named like an Object.prototype member", args: "constructor=1", ok: { constructor: "1" } },
    { name: "exactly 256 characters", args: `v=${"あ".repeat(256)}`, ok: { v: "あ".repeat(256) } },
    { name: "a 32-character key", args: `${"k".repeat(32)}=1`, ok: { ["k".repeat(32)]: "1" } },
    {
      name: "exactly 10 arguments",
      args: Array.from({ length: 10 }, (_, i) => `k${i}=${i}`).join(" "),
      ok: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, String(i)])),
    },
    { name: "a missing value", args: "x=", error: "has no value" },
    { name: "a bare word", args: "fast", error: "not of the form key=value" },
    { name: "`; rm -rf /`", args: "; rm -rf /", error: "not of the form key=value" },
    { name: "`; rm -rf /` in a quoted value", args: 'x="; rm -rf /"', error: "semicolon" },
    { name: "`$(id)`", args: "x=$(id)", error: "dollar sign" },
    { name: "backticks", args: "x=`id`", error: "backtick" },
    { name: "a single-quoted value", args: "x='a b'", error: "single quote" },
    { name: "an apostrophe inside a quoted value", args: 'x="it\'s"', error: "single quote" },
    { name: '`\\"` is no escape', args: 'x="a\\"b"', error: "followed by a space" },
    { name: "a backslash", args: "x=a\\b", error: "backslash" },
    { name: "a double quote inside a bare value", args: 'x=a"b', error: "double quote" },
    { name: "an unterminated quote", args: 'x="abc', error: "no closing" },
    { name: "text glued to a closing quote", args: 'x="a"b', error: "followed by a space" },
    { name: "pipes and redirections", args: "x=a|b", error: "pipe" },
    { name: "`--flag=--other`", args: "--flag=--other", error: "key" },
    { name: "an upper-case key", args: "Max_df=1", error: "key" },
    { name: "a 33-character key", args: `${"k".repeat(33)}=1`, error: "key" },
    { name: "a key with a dot", args: "a.b=1", error: "key" },
    { name: "a duplicate key", args: "a=1 a=2", error: "more than once" },
    {
      name: "11 arguments",
      args: Array.from({ length: 11 }, (_, i) => `k${i}=${i}`).join(" "),
      error: "too many arguments",
    },
    { name: "a very long value", args: `x=${long}`, error: "257 characters long" },
    {
      name: "a Trojan-Source value (bidi override + isolate)",
      args: 'x="admin\u202e\u2066 // comment\u2069"',
      error: "U\\+202E",
    },
    { name: "a bidi isolate", args: "x=a\u2067b", error: "U\\+2067" },
    { name: "a zero-width space in a value", args: "x=a\u200bb", error: "U\\+200B" },
    { name: "a NUL in a value", args: "x=a\u0000b", error: "U\\+0000" },
    { name: "an escape character in a value", args: "x=a\u001b[31mb", error: "U\\+001B" },
    { name: "a line separator in a value", args: "x=a\u2028b", error: "U\\+2028" },
    { name: "a no-break space in a quoted value", args: 'x="a\u00a0b"', error: "non-ASCII space" },
  ];
  for (const c of cases) argCase({ ...c, name: `check 68: ${c.name}` });

  it("check 68: a newline ends the command line; the next line is not an argument", () => {
    const parsed = parseComment("/experiment run a=1\nb=2", T);
    assert.deepEqual(parsed.commands, [{ name: "run", args: { a: "1" }, line: 1 }]);
  });

  it("check 66: error messages quote tokens without raw mentions, references or HTML", () => {
    const parsed = parseComment("/experiment @alice\n/experiment run #12=1\n/experiment run <!--x=1", T);
    const text = parsed.errors.map((e) => e.message).join("\n");
    assert.equal(parsed.errors.length, 3);
    assert.doesNotMatch(text, /@alice|#12|<!--/);
    assert.match(text, /\\u\{40\}alice/);
  });

  it("error messages stay short for huge tokens", () => {
    const parsed = parseComment(`/experiment ${"x".repeat(50_000)}`, T);
    assert.equal(parsed.errors.length, 1);
    assert.ok(parsed.errors[0]!.message.length < 200);
  });
});

describe("parseComment: robustness", () => {
  // A deterministic generator over characters that matter to the grammar and to Markdown.
  const alphabet = [
    "/experiment",
    " ",
    "\t",
    "\n",
    "\r\n",
    "`",
    "```",
    "~~~",
    ">",
    "<!--",
    "-->",
    "=",
    '"',
    "\\",
    "run",
    "a",
    "あ",
    "\u200b",
    "\u202e",
    "／",
    "x=1",
  ];
  const rng = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };

  it("never throws, and every command and error names a real line", () => {
    const next = rng(42);
    for (let n = 0; n < 2000; n += 1) {
      const body = Array.from(
        { length: Math.floor(next() * 30) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join("");
      const parsed = parseComment(body, T);
      const lines = body.split(/\r\n|\r|\n/).length;
      for (const x of [...parsed.commands, ...parsed.errors]) assert.ok(x.line >= 1 && x.line <= lines, body);
    }
  });

  it("handles tens of thousands of backtick runs", () => {
    const body = `${Array.from({ length: 20_000 }, (_, i) => "a " + "`".repeat((i % 50) + 1) + " x").join("\n")}\n\n/experiment run`;
    assert.deepEqual(summary(parseComment(body, T).commands), ["20002:run"]);
  });

  it("long runs of spaces, `<`, backslashes and lone backticks parse (no quadratic regexes)", () => {
    assert.equal(parseComment(`x${" ".repeat(60_000)}y\n/experiment run`, T).commands.length, 1);
    assert.equal(parseComment(`/experiment run a=1${" ".repeat(60_000)}`, T).commands.length, 1);
    assert.equal(parseComment(`/experiment run ${"<".repeat(60_000)}`, T).errors.length, 1);
    assert.equal(parseComment(`/experiment run ${"\\".repeat(60_000)}`, T).errors.length, 1);
    const runs = Array.from({ length: 300 }, (_, i) => `${"`".repeat(i + 1)}a`).join(" ");
    assert.equal(parseComment(`${runs}\n/experiment run`, T).commands.length, 1);
  });

  it("an empty trigger matches nothing", () => {
    assert.deepEqual(parseComment("/experiment run", ""), { commands: [], errors: [] });
  });
});

describe("renderHelp", () => {
  const experiments = [
    {
      id: "tfidf-keywords",
      params: [
        { key: "max_df", description: "ignore terms in more than this share | count of documents", default: "0.5" },
        { key: "top_k", description: "keywords per document", default: "10" },
      ],
    },
    { id: "other", params: [] },
  ];

  it("lists every sub-command with the configured trigger", () => {
    const help = renderHelp("/test-trigger-comment", experiments);
    for (const sub of ["run [key=value …]", "promote", "cancel", "help"]) {
      assert.ok(help.includes(`\`/test-trigger-comment ${sub}\``), sub);
    }
    assert.ok(!help.includes("/experiment "));
  });

  it("lists each experiment's parameters with defaults, pipes escaped so the table keeps its columns", () => {
    const help = renderHelp(T, experiments);
    const rows = help.split("\n").filter((l) => l.startsWith("| `max_df`") || l.startsWith("| `top_k`"));
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length - 2, 3, row);
    assert.match(help, /\*\*Experiment `other`\*\*: no parameters\./);
  });

  it("states the argument limits", () => {
    const help = renderHelp(T, []);
    assert.match(help, /at most 10 arguments of at most 256 characters/);
  });
});
