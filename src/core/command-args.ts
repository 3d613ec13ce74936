/**
 * The `key=value` argument grammar of a command line (SECURITY-CHECKLIST 68).
 *
 * - Arguments are separated by spaces or tabs.
 * - Keys match {@link ARG_KEY}; a key may appear once.
 * - A value is either a bare word (no spaces) or a double-quoted string, which may hold spaces.
 *   There are no escapes: a value cannot contain `"`, and `\` is rejected rather than given a
 *   meaning, so what a reviewer reads is exactly what runs.
 * - A value has at most {@link MAX_VALUE_LENGTH} code points and none of: control characters,
 *   format characters (bidi controls U+202A–U+202E and U+2066–U+2069, zero-width characters),
 *   line or paragraph separators, spaces other than U+0020, and the shell and Markdown
 *   metacharacters `` ` `` `$` `;` `|` `&` `<` `>` `\` `'` `"`.
 * - At most {@link MAX_ARGS} arguments.
 *
 * @internal
 */
import * as E from "fp-ts/Either";
import type { CommandArgs } from "./model.js";

/**
 * Allowed argument keys.
 *
 * @example
 * ARG_KEY.test("max_df"); // true
 * @internal */
export const ARG_KEY = /^[a-z][a-z0-9_-]{0,31}$/;
/**
 * Most arguments one command may carry.
 *
 * @example
 * parseArgs("a=1 b=2").right.length <= MAX_ARGS;
 * @internal */
export const MAX_ARGS = 10;
/**
 * Longest value, in code points.
 *
 * @example
 * Array.from(value).length <= MAX_VALUE_LENGTH;
 * @internal */
export const MAX_VALUE_LENGTH = 256;

const METACHARACTER_NAMES: Readonly<Record<string, string>> = {
  "`": "a backtick",
  $: "a dollar sign",
  ";": "a semicolon",
  "|": "a pipe",
  "&": "an ampersand",
  "<": "a less-than sign",
  ">": "a greater-than sign",
  "\\": "a backslash",
  "'": "a single quote",
  '"': "a double quote",
};

const codePoint = (ch: string): string => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** Why `ch` may not appear in a value, or undefined when it may. */
const forbidden = (ch: string): string | undefined => {
  const name = METACHARACTER_NAMES[ch];
  if (name !== undefined) return name;
  if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(ch))
    return `the invisible or control character ${codePoint(ch)}`;
  if (/\p{Zs}/u.test(ch) && ch !== " ") return `the non-ASCII space ${codePoint(ch)}`;
  return undefined;
};

/**
 * A token as it may be shown in a reply: bounded, and with anything that could mean something to
 * Markdown, HTML or a terminal (mentions, markers, backticks, bidi controls) written as `\u{…}`.
 *
 * @example
 * describeToken("@alice"); // "\"\\u{40}alice\""
 * @internal */
export const describeToken = (token: string): string => {
  const points = Array.from(token);
  const shown = points
    .slice(0, 40)
    .map((ch) =>
      /^[\p{L}\p{N} ._=:/+,-]$/u.test(ch) ? ch : `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`,
    )
    .join("");
  return `"${shown}${points.length > 40 ? "…" : ""}"`;
};

const checkValue = (key: string, value: string): string | undefined => {
  const points = Array.from(value);
  if (points.length > MAX_VALUE_LENGTH) {
    return `the value of ${key} is ${points.length} characters long; at most ${MAX_VALUE_LENGTH} are allowed`;
  }
  for (const ch of points) {
    const why = forbidden(ch);
    if (why !== undefined) return `the value of ${key} contains ${why}, which is not allowed`;
  }
  return undefined;
};

const isSpace = (ch: string | undefined): boolean => ch === " " || ch === "\t";

type Token = { readonly key: string; readonly value: string; readonly end: number };

/** Reads one `key=value` starting at `at` (which is not a space). */
const readArg = (s: string, at: number, index: number): E.Either<string, Token> => {
  let i = at;
  while (i < s.length && s[i] !== "=" && !isSpace(s[i])) i += 1;
  const key = s.slice(at, i);
  if (s[i] !== "=") {
    return E.left(`argument ${index} ${describeToken(key)} is not of the form key=value`);
  }
  if (!ARG_KEY.test(key)) {
    return E.left(
      `argument ${index} has the key ${describeToken(key)}; keys are a lower-case letter followed by up to 31 of a-z, 0-9, _ and -`,
    );
  }
  i += 1;
  if (s[i] === '"') {
    const close = s.indexOf('"', i + 1);
    if (close === -1) return E.left(`the value of ${key} has an opening " but no closing "`);
    if (close + 1 < s.length && !isSpace(s[close + 1])) {
      return E.left(`the quoted value of ${key} must be followed by a space or the end of the line`);
    }
    return E.right({ key, value: s.slice(i + 1, close), end: close + 1 });
  }
  const start = i;
  while (i < s.length && !isSpace(s[i])) i += 1;
  if (i === start) return E.left(`${key}= has no value; write ${key}="" for an empty value`);
  return E.right({ key, value: s.slice(start, i), end: i });
};

/**
 * Parses the arguments after a sub-command into a record, or explains the first problem.
 *
 * @example
 * parseArgs('max_df=0.4 stop_words="foo bar"'); // Right({ max_df: "0.4", stop_words: "foo bar" })
 * parseArgs("x=$(id)"); // Left("the value of x contains a dollar sign, which is not allowed")
 * @internal */
export const parseArgs = (s: string): E.Either<string, CommandArgs> => {
  const seen = new Map<string, string>();
  let i = 0;
  for (;;) {
    while (isSpace(s[i])) i += 1;
    if (i >= s.length) return E.right(Object.fromEntries(seen));
    if (seen.size === MAX_ARGS) return E.left(`too many arguments; at most ${MAX_ARGS} are allowed`);
    const arg = readArg(s, i, seen.size + 1);
    if (E.isLeft(arg)) return arg;
    const { key, value, end } = arg.right;
    if (seen.has(key)) return E.left(`the key ${key} is given more than once`);
    const bad = checkValue(key, value);
    if (bad !== undefined) return E.left(bad);
    seen.set(key, value);
    i = end;
  }
};
