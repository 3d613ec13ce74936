// Check 83: only visible text holds commands. What a reader does not see (a collapsed or open
// `<details>`, a hidden element, an HTML comment, code) never approves anything, including the
// lookalike tricks that try to end the hiding early.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseComment } from "../../src/core/command.js";

const T = "/experiment";
const commandsOf = (body: string): ReadonlyArray<string> =>
  parseComment(body, T).commands.map((c) => `${c.line}:${c.name}`);

const cases: ReadonlyArray<readonly [string, string, ReadonlyArray<string>]> = [
  [
    "a collapsed <details>",
    "<details>\n<summary>logs</summary>\n\n/experiment run\n\n</details>\n/experiment help",
    ["7:help"],
  ],
  ["<details open> is hidden too (anyone may collapse it)", "<details open>\n\n/experiment run\n\n</details>", []],
  [
    "<DETAILS> in any case, attributes over lines",
    "<DeTaIlS\n  open\n  class=x>\n/experiment run\n</dEtAiLs>\n/experiment help",
    ["6:help"],
  ],
  [
    "a nested <details> does not end the outer one",
    "<details>\n<details>\ninner\n</details>\n/experiment run\n</details>\n/experiment help",
    ["7:help"],
  ],
  ["an unclosed <details> hides the rest", "<details>\n\n/experiment run\n\n/experiment help", []],
  ["`</details>` in a code span closes nothing", "<details>\n`</details>`\n/experiment run\n</details>", []],
  ["`</details>` in an HTML comment closes nothing", "<details>\n<!-- </details> -->\n/experiment run\n</details>", []],
  ["an escaped \\</details> closes nothing", "<details>\n\\</details>\n/experiment run\n</details>", []],
  [
    "a comment spanning lines inside details",
    "<details><!--\n</details>\n-->\n/experiment run\n</details>\n/experiment help",
    ["6:help"],
  ],
  ["<span hidden> over lines", "<span hidden>\n/experiment run\n</span>\n/experiment help", ["4:help"]],
  ['<div hidden="hidden"> with a blank line', '<div hidden="hidden">\n\n/experiment run\n\n</div>', []],
  ["hidden after a quoted `>`", '<span title="a > b" hidden>\n/experiment run\n</span>', []],
  ["hidden after a slash", "<span/hidden>\n/experiment run\n</span>", []],
  [
    "a self-closing non-void element still opens",
    "<span hidden/>\n/experiment run\n</span>\n/experiment help",
    ["4:help"],
  ],
  ["style display:none", '<div style="color: red; display : none">\n/experiment run\n</div>', []],
  [
    "style visibility:hidden and font-size:0",
    "<p style='visibility:hidden'>\n/experiment run\n</p>\n<b style=\"font-size:0px\">\n/experiment run\n</b>",
    [],
  ],
  ["aria-hidden=true", '<span aria-hidden="true">\n/experiment run\n</span>', []],
  [
    "nested same-name elements inside a hidden one",
    "<div hidden>\n<div>x</div>\n/experiment run\n</div>\n/experiment help",
    ["5:help"],
  ],
  [
    "<template> and <noscript>",
    "<template>\n/experiment run\n</template>\n<noscript>\n/experiment run\n</noscript>",
    [],
  ],
  ["a multi-line HTML comment", "<!-- start\n\n/experiment run\n\nend -->\n/experiment help", ["6:help"]],
  ["an unclosed HTML comment", "<!--\n/experiment run", []],
  ["an unclosed <pre without `>` hides the rest", "<pre\n/experiment run", []],
  ["a start tag whose quote never closes hides the rest", '<span title="x>\n/experiment run', []],
];

describe("parseComment: check 83, only visible text holds commands", () => {
  for (const [name, body, expected] of cases)
    it(`check 83: ${name}`, () => assert.deepEqual(commandsOf(body), expected));

  it("check 83: ordinary HTML around a command does not hide it", () => {
    assert.deepEqual(commandsOf("<b>please</b>\n/experiment run"), ["2:run"]);
    assert.deepEqual(commandsOf("<div>\n\n/experiment run\n\n</div>"), ["3:run"]);
    assert.deepEqual(commandsOf("<img hidden src=x>\n/experiment run"), ["2:run"]);
    assert.deepEqual(commandsOf("if a<b then\n/experiment run"), ["2:run"]);
    assert.deepEqual(commandsOf('<span style="color:red">x</span>\n/experiment run'), ["2:run"]);
  });

  it("check 83: thousands of lone `<a` (longer than any tag we parse) are text", () => {
    assert.deepEqual(commandsOf(`${"<a ".repeat(20000)}\n/experiment run`), ["2:run"]);
    // The same, but a `>` far beyond what we parse could end a tag: hidden, erring that way.
    assert.deepEqual(commandsOf(`<span ${"a".repeat(9000)} hidden>\n/experiment run\n</span>`), []);
  });
});
