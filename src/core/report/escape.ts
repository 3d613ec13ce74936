/**
 * Escaping of untrusted text (log lines, corpus words, parameter values, ids) for the report
 * (SECURITY-CHECKLIST 65, 66). Each helper targets one context: Markdown text, a table cell,
 * HTML text, a fenced code block, a Mermaid label, a link.
 */

const ZWSP = "\u200b";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Bidi controls (Trojan Source): embeddings, overrides, isolates and marks.
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// ANSI escape sequences (colours, cursor moves) that runners put into logs.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// Control characters other than tab, newline and carriage return.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

const hex = (ch: string): string => (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");

/**
 * Makes invisible trouble visible: ANSI sequences removed, bidi controls written as `\u{202E}`,
 * other control characters and lone surrogates replaced by U+FFFD.
 *
 * @example
 * revealControls("a\u202Eb"); // "a\\u{202E}b"
 * @internal */
export const revealControls = (s: string): string =>
  s
    .replace(ANSI, "")
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(BIDI, (ch) => `\\u{${hex(ch)}}`)
    .replace(CONTROL, "\uFFFD");

/**
 * Breaks mentions (`@user`, `@org/team`), cross-references (`#123`, `GH-123`) and autolinks
 * (`https://…`, `www.…`) with a zero-width space, so they render as text and notify nobody.
 *
 * @example
 * neutralise("@alice see #12"); // "@\u200balice see #\u200b12"
 * @internal */
export const neutralise = (s: string): string =>
  s
    .replace(/@/g, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1${ZWSP}-`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\b(www)\./gi, `$1${ZWSP}.`);

// Letters, digits, marks, spaces and `' - .` pass every step of escapeMarkdown unchanged, except
// in `GH-1` and `www.`; most corpus words are such text, and a report escapes 100,000 of them.
const PLAIN_TEXT = /^[\p{L}\p{N}\p{M} '.-]*$/u;
const PLAIN_EXCEPTIONS = /gh-|www\./i;
const isPlainText = (s: string): boolean => PLAIN_TEXT.test(s) && !PLAIN_EXCEPTIONS.test(s);

const HTML_ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/**
 * Untrusted text as one line of Markdown text, safe inside a table cell, emphasis or a heading:
 * no HTML (so no `<!--` markers, no `</details>`), no line breaks, no table pipes, no emphasis,
 * code, math or link syntax, no mentions or references.
 *
 * @example
 * escapeMarkdown("a|b <!-- x --> *c* @d"); // "a\\|b &lt;!-- x --&gt; \\*c\\* @\u200bd"
 * @internal */
export const escapeMarkdown = (s: string): string =>
  isPlainText(s)
    ? s
    : neutralise(
        revealControls(s)
          .replace(/[\r\n\u2028\u2029]+/g, " ")
          .replace(/[&<>]/g, (ch) => HTML_ENTITIES[ch] ?? ch)
          .replace(/[\\`*_[\]~|!$]/g, (ch) => `\\${ch}`),
      );

/**
 * Untrusted text inside an HTML element such as `<summary>`, where Markdown is not parsed.
 *
 * @example
 * escapeHtml("<b>&"); // "&lt;b&gt;&amp;"
 * @internal */
export const escapeHtml = (s: string): string =>
  neutralise(
    revealControls(s)
      .replace(/[\r\n\u2028\u2029]+/g, " ")
      .replace(/[&<>"]/g, (ch) => HTML_ENTITIES[ch] ?? ch),
  );

/**
 * Cuts `s` to at most `max` UTF-16 code units without splitting a surrogate pair.
 *
 * @example
 * cutUnits("a😀", 2); // "a"
 * @internal */
export const cutUnits = (s: string, max: number): string => {
  if (s.length <= max) return s;
  const end = Math.max(0, max);
  const code = s.charCodeAt(end - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
};

/**
 * The last `max` UTF-16 code units of `s` at most, without splitting a surrogate pair.
 *
 * @example
 * tailUnits("😀a", 2); // "a"
 * @internal */
export const tailUnits = (s: string, max: number): string => {
  if (s.length <= max) return s;
  const start = s.length - Math.max(0, max);
  const code = s.charCodeAt(start);
  return s.slice(code >= 0xdc00 && code <= 0xdfff ? start + 1 : start);
};

/**
 * Shortens `s` to `max` code points, marking the cut with `…`.
 *
 * @example
 * shorten("abcdef", 4); // "abc…"
 * @internal */
export const shorten = (s: string, max: number): string => {
  // Never more code points than UTF-16 units: a short string needs no counting.
  if (s.length <= max) return s;
  const points = Array.from(s);
  return points.length <= max ? s : `${points.slice(0, Math.max(0, max - 1)).join("")}…`;
};

/**
 * One untrusted log line made safe for a fenced code block: controls revealed, and `<!--`
 * broken so nothing inside the block can look like one of our hidden markers.
 *
 * @example
 * sanitiseCodeLine("<!-- ml-chatops:report x -->"); // "<\u200b!-- ml-chatops:report x --\u200b>"
 * @internal */
export const sanitiseCodeLine = (line: string): string =>
  revealControls(line).replace(/<!--/g, `<${ZWSP}!--`).replace(/-->/g, `--${ZWSP}>`);

/**
 * A fenced code block holding `lines` literally: its fence is longer than any backtick run in
 * them, so no line can close it.
 *
 * @example
 * codeBlock(["```", "x"]); // "````text\n```\nx\n````"
 * @internal */
export const codeBlock = (lines: ReadonlyArray<string>, info = "text"): string => {
  const body = lines.flatMap((l) => sanitiseCodeLine(l).split(/\r\n|\r|\n|\u2028|\u2029/));
  const longest = body.reduce((m, l) => Math.max(m, ...(l.match(/`+/g) ?? []).map((r) => r.length)), 0);
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...body, fence].join("\n");
};

/**
 * A label for a Mermaid chart: letters, digits and a few safe signs only, bounded, so it can
 * neither end its quoted string nor inject chart syntax.
 *
 * @example
 * mermaidLabel('a"] b\nc'); // "a__ b c"
 * @internal */
export const mermaidLabel = (s: string, max = 24): string => {
  const cleaned = Array.from(revealControls(s).replace(/\s+/g, " "))
    .map((ch) => (/^[\p{L}\p{N} ._:+-]$/u.test(ch) ? ch : "_"))
    .join("")
    .trim();
  return shorten(cleaned.length > 0 ? cleaned : "_", max);
};

/**
 * A URL fit for a Markdown link, or undefined: only http(s), no spaces, quotes, angle brackets,
 * backslashes or backticks.
 *
 * @example
 * safeUrl("https://ci.example/run/1"); // "https://ci.example/run/1"
 * safeUrl("javascript:alert(1)"); // undefined
 * @internal */
export const safeUrl = (url: string): string | undefined =>
  // eslint-disable-next-line no-control-regex
  /^https?:\/\/[^\s<>"'`\\\u0000-\u001F\u007F-\u009F]+$/.test(url) && url.length <= 2000
    ? url.replace(/\(/g, "%28").replace(/\)/g, "%29")
    : undefined;

/**
 * Untrusted text as one inline code span: literal (no Markdown, HTML, links or mentions render
 * inside), on one line, with a backtick fence longer than any backtick run in the text, and
 * `<!--` broken so it cannot look like one of our markers.
 *
 * @example
 * inlineCode("s3://bucket/out/"); // "`s3://bucket/out/`"
 * inlineCode("a`b"); // "`` a`b ``"
 * @internal */
export const inlineCode = (s: string): string => {
  const line = sanitiseCodeLine(s).replace(/[\r\n\u2028\u2029]+/g, " ");
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 || line.startsWith(" ") || line.endsWith(" ") ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
};
