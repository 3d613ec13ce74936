/**
 * GitHub's size limits, enforced before we send: a body over the limit is a 422 and the report
 * would be lost entirely, so an oversize body is cut (the reporter budgets well below this).
 */

/** Comment and issue bodies: at most this many characters. @internal */
export const GITHUB_BODY_LIMIT = 65536;
/** Check-run output summary and text. @internal */
export const GITHUB_CHECK_OUTPUT_LIMIT = 65535;

const NOTE = "\n\n…(truncated to fit GitHub's 65,536-character limit)";

/**
 * Returns `body`, or its head cut so the whole stays within `limit` characters (UTF-16 units,
 * which never undercounts GitHub's character count), with a note.
 *
 * @example
 * fitCommentBody("x".repeat(70000)).length <= 65536; // true
 * @internal */
export const fitCommentBody = (body: string, limit: number = GITHUB_BODY_LIMIT): string => {
  if (body.length <= limit) return body;
  let cut = limit - NOTE.length;
  // Do not split a surrogate pair.
  const code = body.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return body.slice(0, cut) + NOTE;
};
