/**
 * Inline HTML for the command scanner: where an element that hides its content (or shows it as
 * code) ends, so nothing inside it can hold a command (SECURITY-CHECKLIST 63, 83).
 *
 * Hiding elements are `<details>` (open or not: its body can be collapsed by anyone reading),
 * `<template>`, `<noscript>`, the raw/code ones (`<pre>`, `<code>`, `<script>`, …), and any element
 * carrying `hidden`, `aria-hidden=true` or a hiding style (`display:none`, `visibility:hidden`,
 * zero size or opacity). GitHub's sanitizer may drop some of these attributes and show the text
 * after all; we still treat it as hidden, because the author meant it not to be read.
 *
 * Errs towards hiding: attributes may span lines and hold `>` in quotes; a hiding element that is
 * never closed hides the rest of the comment; a closing tag inside an HTML comment, a backtick
 * run or after a backslash does not close anything; same-name elements nest.
 *
 * @internal
 */

type Cursor = { readonly line: number; readonly col: number };

/**
 * Per-paragraph memory that keeps hostile input linear: the last line up to which no `>` follows
 * the scan position (thousands of lone `<a` cost one pass, not one each).
 * @internal */
export type TagMemo = { noGtThrough: number };

/** What the scanner does at a `<`: it is text, or skip to `to`, or everything after is hidden. @internal */
export type ElementScan =
  { readonly _tag: "Text" } | { readonly _tag: "Skip"; readonly to: Cursor } | { readonly _tag: "HideRest" };

const HIDING_ELEMENTS = new Set([
  "pre",
  "code",
  "tt",
  "kbd",
  "samp",
  "script",
  "style",
  "textarea",
  "details",
  "template",
  "noscript",
  "iframe",
  "object",
  "svg",
  "math",
  "select",
]);
const VOID_ELEMENTS = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
const HIDING_ATTRIBUTE =
  /(?:^|[\s/"'])hidden(?=[\s=/>"']|$)|aria-hidden\s*=\s*["']?\s*true|display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|(?:font-size|opacity|max-height|height|max-width|width|line-height)\s*:\s*0(?![.\d]*[1-9])/i;
const TAG_NAME = /^<([A-Za-z][A-Za-z0-9-]{0,31})(?=[\s/>]|$)/;
/** A start tag's attributes longer than this are not parsed: the element is taken as hiding. */
const MAX_TAG_CHARS = 8192;

const isBlank = (line: string): boolean => /^[ \t]*$/.test(line);

/** Whether a `>` follows `from` before the paragraph ends; records the answer when it is no. */
const gtBeforeParagraphEnd = (lines: ReadonlyArray<string>, from: Cursor, memo: TagMemo): boolean => {
  let l = from.line;
  for (; l < lines.length; l += 1) {
    const text = lines[l] ?? "";
    if (l > from.line && isBlank(text)) break;
    if (text.indexOf(">", l === from.line ? from.col : 0) !== -1) return true;
  }
  memo.noGtThrough = l - 1;
  return false;
};

/**
 * The end of the start tag at `at` (just after its `>`) and its attribute text, honouring quotes,
 * across lines up to the paragraph's end. `undefined` end: no `>` at all before the paragraph
 * ends (so the `<` is text); `"hide"`: the tag may close beyond what we parse.
 */
const startTagEnd = (
  lines: ReadonlyArray<string>,
  at: Cursor,
  memo: TagMemo,
): { readonly end: Cursor; readonly attrs: string } | undefined | "hide" => {
  let quote: string | undefined;
  let attrs = "";
  let sawGt = false;
  let l = at.line;
  for (; l < lines.length; l += 1) {
    const text = lines[l] ?? "";
    if (l > at.line && isBlank(text)) break;
    for (let c = l === at.line ? at.col : 0; c < text.length; c += 1) {
      const ch = text[c] ?? "";
      if (ch === ">") sawGt = true;
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if (ch === ">") {
        return { end: { line: l, col: c + 1 }, attrs };
      }
      attrs += ch;
      if (attrs.length > MAX_TAG_CHARS)
        return gtBeforeParagraphEnd(lines, { line: l, col: c }, memo) ? "hide" : undefined;
    }
    attrs += "\n";
  }
  // A `>` swallowed by an unclosed quote could still end the tag in a browser: hide.
  if (sawGt) return "hide";
  // No `>` from here to the paragraph's end: no later `<` before it can end a tag either.
  memo.noGtThrough = l - 1;
  return undefined;
};

/** Position just after the `-->` that ends a comment opened before `from`, or undefined. */
const commentEnd = (lines: ReadonlyArray<string>, from: Cursor): Cursor | undefined => {
  for (let l = from.line; l < lines.length; l += 1) {
    const c = (lines[l] ?? "").indexOf("-->", l === from.line ? from.col : 0);
    if (c !== -1) return { line: l, col: c + 3 };
  }
  return undefined;
};

/** Just after the `</name …>` that closes the element whose content starts at `from`. */
const closingTagEnd = (lines: ReadonlyArray<string>, from: Cursor, name: string): Cursor | undefined => {
  const token = /\\.|`+|<!--|<(\/?)([A-Za-z][A-Za-z0-9-]{0,31})(?=[\s/>]|$)/g;
  let depth = 1;
  let line = from.line;
  let col = from.col;
  while (line < lines.length) {
    const text = lines[line] ?? "";
    token.lastIndex = col;
    const m = token.exec(text);
    if (m === null) {
      line += 1;
      col = 0;
      continue;
    }
    const [found, slash, tag] = m;
    col = m.index + found.length;
    if (found.startsWith("`")) {
      // A code span's content never closes an element (erring towards hiding).
      const close = text.indexOf(found, col);
      if (close !== -1) col = close + found.length;
    } else if (found === "<!--") {
      const end = commentEnd(lines, { line, col });
      if (end === undefined) return undefined;
      ({ line, col } = end);
    } else if (tag !== undefined && tag.toLowerCase() === name) {
      depth += slash === "/" ? -1 : 1;
      if (depth === 0) {
        const gt = text.indexOf(">", col);
        return { line, col: gt === -1 ? col : gt + 1 };
      }
    }
  }
  return undefined;
};

/**
 * What the `<` at `at` starts: text, an element to skip whole, or hiding that never ends.
 *
 * @example
 * scanElement(["<details open>", "/experiment run", "</details>"], { line: 0, col: 0 }, { noGtThrough: -1 });
 * // { _tag: "Skip", to: { line: 2, col: 10 } }
 * @internal
 */
export const scanElement = (
  lines: ReadonlyArray<string>,
  at: Cursor,
  memo: TagMemo = { noGtThrough: -1 },
): ElementScan => {
  const name = TAG_NAME.exec((lines[at.line] ?? "").slice(at.col, at.col + 34))?.[1]?.toLowerCase();
  if (name === undefined) return { _tag: "Text" };
  const hidingName = HIDING_ELEMENTS.has(name);
  const start =
    at.line <= memo.noGtThrough
      ? undefined
      : startTagEnd(lines, { line: at.line, col: at.col + name.length + 1 }, memo);
  if (start === "hide") return { _tag: "HideRest" };
  // `<pre` with no `>` is text to CommonMark, but a browser-minded reader may disagree: hide.
  if (start === undefined) return hidingName ? { _tag: "HideRest" } : { _tag: "Text" };
  const hiding = hidingName || HIDING_ATTRIBUTE.test(start.attrs);
  // `/>` closes nothing on a non-void HTML element, so only void elements end at their tag.
  if (!hiding || VOID_ELEMENTS.has(name)) return { _tag: "Skip", to: start.end };
  const close = closingTagEnd(lines, start.end, name);
  return close === undefined ? { _tag: "HideRest" } : { _tag: "Skip", to: close };
};
