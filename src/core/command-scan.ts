/**
 * Which lines of a Markdown comment start in visible, ordinary text: a command may only start
 * there. Lines inside fenced code, inline code spans, HTML comments and block quotes (including
 * lazy continuation lines of a quote), and inside HTML elements that show code or hide their
 * content (`<pre>`, `<code>`, `<details>`, `<span hidden>`, …; see `command-scan-html.ts`) are not
 * (SECURITY-CHECKLIST 63, 83).
 *
 * The scanner follows CommonMark where it matters and errs towards hiding when it does not:
 * a line wrongly hidden costs a user a retry, a line wrongly shown could run something nobody saw.
 *
 * @internal
 */

import { scanElement, type TagMemo } from "./command-scan-html.js";

type Fence = { readonly char: "`" | "~"; readonly length: number; readonly indent: number };

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const QUOTE = /^ {0,3}>/;

/** A fence opener; any indentation, so fences inside list items count too. */
const openFence = (line: string): Fence | undefined => {
  const m = FENCE_OPEN.exec(line);
  if (m === null) return undefined;
  const [, indent = "", run = "", info = ""] = m;
  const char = run.startsWith("`") ? "`" : "~";
  // A backtick fence's info string may not contain a backtick (then it is inline code).
  if (char === "`" && info.includes("`")) return undefined;
  return { char, length: run.length, indent: indent.length };
};

const closesFence = (line: string, f: Fence): boolean => {
  const m = /^([ \t]*)(`+|~+)[ \t]*$/.exec(line);
  if (m === null) return false;
  const [, indent = "", run = ""] = m;
  return run[0] === f.char && run.length >= f.length && indent.length <= f.indent + 3;
};

const isBlank = (line: string): boolean => /^[ \t]*$/.test(line);

/** Length of the run of `ch` starting at `col`. */
const runLength = (s: string, col: number, ch: string): number => {
  let end = col;
  while (s[end] === ch) end += 1;
  return end - col;
};

/** Position where a backtick run of exactly `n` starts in `s` at or after `from`, or -1. */
const findRun = (s: string, from: number, n: number): number => {
  let i = s.indexOf("`", from);
  while (i !== -1) {
    const len = runLength(s, i, "`");
    if (len === n) return i;
    i = s.indexOf("`", i + len);
  }
  return -1;
};

type Cursor = { readonly line: number; readonly col: number };

/**
 * Scans inline constructs from `start` and returns the position where ordinary text resumes
 * after the last construct that began on the start line and ended on a later one.
 * `noCloser` remembers backtick run lengths with no closer left in the current paragraph, which
 * keeps adversarial input (thousands of lone backticks) linear.
 */
const scanInline = (lines: ReadonlyArray<string>, start: Cursor, noCloser: Set<number>, tagMemo: TagMemo): number => {
  let { line, col } = start;
  // Characters that may start an inline construct; a global regex so scanning never copies the line.
  const special = /[\\`<]/g;
  for (;;) {
    const text = lines[line] ?? "";
    special.lastIndex = col;
    const found = special.exec(text);
    if (found === null) return line;
    const at = found.index;
    const ch = text[at];
    if (ch === "\\") {
      col = at + 2;
    } else if (ch === "`") {
      const n = runLength(text, at, "`");
      const close = findCodeSpanEnd(lines, { line, col: at + n }, n, noCloser);
      if (close === undefined) col = at + n;
      else ({ line, col } = { line: close.line, col: close.col + n });
    } else if (text.startsWith("<!--", at)) {
      const close = findCommentEnd(lines, { line, col: at + 4 });
      if (close === undefined) return lines.length - 1;
      // A comment may cross paragraph ends, so what we knew about missing closers no longer holds.
      if (close.line > line) noCloser.clear();
      ({ line, col } = { line: close.line, col: close.col + 3 });
    } else {
      const el = scanElement(lines, { line, col: at }, tagMemo);
      if (el._tag === "Text") col = at + 1;
      else if (el._tag === "HideRest") return lines.length - 1;
      else {
        if (el.to.line > line) noCloser.clear();
        ({ line, col } = el.to);
      }
    }
  }
};

/** The closing run of a code span; code spans end at the paragraph's end (a blank line or fence). */
const findCodeSpanEnd = (
  lines: ReadonlyArray<string>,
  from: Cursor,
  n: number,
  noCloser: Set<number>,
): Cursor | undefined => {
  if (noCloser.has(n)) return undefined;
  for (let l = from.line; l < lines.length; l += 1) {
    const text = lines[l] ?? "";
    if (l > from.line && (isBlank(text) || openFence(text) !== undefined)) break;
    const c = findRun(text, l === from.line ? from.col : 0, n);
    if (c !== -1) return { line: l, col: c };
  }
  noCloser.add(n);
  return undefined;
};

/** The `-->` that ends an HTML comment; HTML comments may span blank lines. */
const findCommentEnd = (lines: ReadonlyArray<string>, from: Cursor): Cursor | undefined => {
  for (let l = from.line; l < lines.length; l += 1) {
    const c = (lines[l] ?? "").indexOf("-->", l === from.line ? from.col : 0);
    if (c !== -1) return { line: l, col: c };
  }
  return undefined;
};

/**
 * For each line, whether it starts in ordinary visible text (outside code, comments and quotes).
 *
 * @example
 * visibleLineStarts(["```", "/experiment run", "```", "/experiment run"]); // [false, false, false, true]
 * @internal
 */
export const visibleLineStarts = (lines: ReadonlyArray<string>): ReadonlyArray<boolean> => {
  const visible = lines.map(() => false);
  let fence: Fence | undefined;
  let inQuoteParagraph = false;
  let noCloser = new Set<number>();
  const tagMemo: TagMemo = { noGtThrough: -1 };
  const endParagraph = (): void => {
    inQuoteParagraph = false;
    noCloser = new Set<number>();
  };
  for (let i = 0; i < lines.length; i += 1) {
    const text = lines[i] ?? "";
    if (fence !== undefined) {
      if (closesFence(text, fence)) fence = undefined;
      continue;
    }
    if (isBlank(text)) {
      endParagraph();
      continue;
    }
    const opened = openFence(text);
    if (opened !== undefined) {
      fence = opened;
      endParagraph();
      continue;
    }
    const quoted = QUOTE.test(text);
    visible[i] = !quoted && !inQuoteParagraph;
    // A non-blank line right after a quoted paragraph line renders inside the quote (lazy continuation).
    if (quoted) inQuoteParagraph = !isBlank(text.replace(/^ {0,3}>/, ""));
    const last = scanInline(lines, { line: i, col: 0 }, noCloser, tagMemo);
    if (last > i) {
      // Lines swallowed by a multi-line code span or comment never start a command.
      i = last;
    }
  }
  return visible;
};
