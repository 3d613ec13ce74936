/**
 * A path inside the checkout, as experiment specs and results name files: relative, POSIX
 * separators, no `..` segment, no control characters. The runner resolves it against the
 * checkout's root, so it can never point outside it by name (links are the runner's check).
 */

/**
 * The rule as a regular expression source, shared with `schema/result.json` (a test checks they
 * agree): not absolute (`/x`, `~/x`, `C:x`), no backslash or control character, no `..` segment.
 *
 * @example
 * new RegExp(RELATIVE_PATH_PATTERN, "u").test("out/result.json"); // true
 * @internal */
export const RELATIVE_PATH_PATTERN = "^(?![/~])(?![A-Za-z]:)(?!(?:.*/)?\\.\\.(?:/|$))[^\\\\\\u0000-\\u001f\\u007f]+$";

const RELATIVE_PATH = new RegExp(RELATIVE_PATH_PATTERN, "u");

/** Longest path accepted, in code points. @internal */
export const MAX_RELATIVE_PATH_LENGTH = 300;

/**
 * True for a relative path that stays inside the checkout by name.
 *
 * @example
 * isRelativePath("out/result.json"); // true
 * isRelativePath("../secrets"); // false
 * isRelativePath("/etc/passwd"); // false
 * @internal */
export const isRelativePath = (s: string): boolean => s.length <= 2 * MAX_RELATIVE_PATH_LENGTH && RELATIVE_PATH.test(s);
