import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  codeBlock,
  cutUnits,
  escapeHtml,
  escapeMarkdown,
  mermaidLabel,
  neutralise,
  revealControls,
  safeUrl,
  sanitiseCodeLine,
  shorten,
  tailUnits,
} from "../../../src/core/report/escape.js";

const Z = "\u200b";

describe("escapeMarkdown (checks 65, 66)", () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ["check 65: a table pipe", "a|b", "a\\|b"],
    ["check 65: newlines become spaces", "a\r\nb\nc", "a b c"],
    [
      "check 65: an HTML comment / forged marker",
      "<!-- ml-chatops:report o/r#1:x -->",
      `&lt;\\!-- ml-chatops:report o/r#${Z}1:x --&gt;`,
    ],
    ["check 65: closing details", "</details>", "&lt;/details&gt;"],
    ["check 65: an ampersand entity", "&amp;", "&amp;amp;"],
    ["check 65: backticks", "```", "\\`\\`\\`"],
    [
      "emphasis, links and strikethrough",
      "*a* _b_ [c](d) ~~e~~ ![f](g)",
      "\\*a\\* \\_b\\_ \\[c\\](d) \\~\\~e\\~\\~ \\!\\[f\\](g)",
    ],
    ["math", "$x$", "\\$x\\$"],
    ["a backslash", "a\\", "a\\\\"],
    ["check 66: a user mention", "@alice", `@${Z}alice`],
    ["check 66: a team mention", "@org/team", `@${Z}org/team`],
    ["check 66: an issue reference", "#123", `#${Z}123`],
    ["check 66: a cross-repository reference", "octo/kw#7", `octo/kw#${Z}7`],
    ["check 66: a GH- reference", "GH-42", `GH${Z}-42`],
    ["check 66: a URL autolink", "https://evil.example", `https:${Z}//evil.example`],
    ["check 66: a www autolink", "www.evil.example", `www${Z}.evil.example`],
    ["a heading sign that is not a reference stays", "#tag", "#tag"],
    ["Japanese stays as it is", "形態素解析", "形態素解析"],
    ["a bidi override is shown, not obeyed", "a\u202eb", "a\\\\u{202E}b"],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(escapeMarkdown(input), expected));
});

describe("other contexts", () => {
  it("escapeHtml escapes tags and quotes but not Markdown", () => {
    assert.equal(escapeHtml('<b a="1">*x*</b> @bob'), `&lt;b a=&quot;1&quot;&gt;*x*&lt;/b&gt; @${Z}bob`);
  });

  it("neutralise leaves ordinary text alone", () => assert.equal(neutralise("plain text 12"), "plain text 12"));

  it("revealControls drops ANSI colours and replaces control characters and lone surrogates", () => {
    assert.equal(revealControls("\u001b[31mred\u001b[0m a\u0000b \ud800"), "red a\ufffdb \ufffd");
    assert.equal(revealControls("tab\tstays"), "tab\tstays");
  });

  it("check 65: code lines cannot carry a marker", () => {
    const line = sanitiseCodeLine("<!-- ml-chatops:report o/r#1:x -->");
    assert.ok(!line.includes("<!--") && !line.includes("-->"));
  });

  it("check 65: a code block's fence is longer than any backtick run inside", () => {
    const block = codeBlock(["```", "``````", "a ``` b"]);
    const lines = block.split("\n");
    assert.equal(lines[0], "```````text");
    assert.equal(lines.at(-1), "```````");
    assert.equal(lines.length, 5);
  });

  it("a code block splits embedded newlines into lines", () => {
    assert.equal(codeBlock(["a\nb", "c\r\nd"]), "```text\na\nb\nc\nd\n```");
  });

  const labels: ReadonlyArray<[string, string]> = [
    ['a"b', "a_b"],
    ["x]\ny", "x_ y"],
    ["talk-1", "talk-1"],
    ["<script>", "_script_"],
    ["`", "_"],
    ["", "_"],
    ["a very long document identifier indeed", "a very long document id…"],
  ];
  for (const [input, expected] of labels) {
    it(`mermaidLabel(${JSON.stringify(input)})`, () => assert.equal(mermaidLabel(input), expected));
  }

  const urls: ReadonlyArray<[string, string | undefined]> = [
    ["https://ci.example/runs/1", "https://ci.example/runs/1"],
    ["http://localhost:8080/a?b=c", "http://localhost:8080/a?b=c"],
    ["https://x.example/a_(b)", "https://x.example/a_%28b%29"],
    ["javascript:alert(1)", undefined],
    ["https://x.example/a b", undefined],
    ["https://x.example/<script>", undefined],
    ["https://x.example/\n", undefined],
    ["ftp://x.example", undefined],
  ];
  for (const [input, expected] of urls)
    it(`safeUrl(${JSON.stringify(input)})`, () => assert.equal(safeUrl(input), expected));
});

describe("cutting text safely", () => {
  it("cutUnits never splits a surrogate pair", () => {
    assert.equal(cutUnits("a😀b", 2), "a");
    assert.equal(cutUnits("a😀b", 3), "a😀");
    assert.equal(cutUnits("abc", 10), "abc");
  });
  it("tailUnits never splits a surrogate pair", () => {
    assert.equal(tailUnits("a😀b", 2), "b");
    assert.equal(tailUnits("a😀b", 3), "😀b");
  });
  it("shorten counts code points", () => {
    assert.equal(shorten("😀😀😀", 3), "😀😀😀");
    assert.equal(shorten("😀😀😀😀", 3), "😀😀…");
  });
});
