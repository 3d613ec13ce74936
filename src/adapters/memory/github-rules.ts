/**
 * What GitHub refuses on comments and labels, with the 422 messages it answers, so the in-memory
 * forge refuses exactly the same and code tested against it meets no surprise on the real host.
 */
import { forgeInvalidResponse } from "../../core/errors.js";
import type { ForgeError } from "../../core/errors.js";

/**
 * GitHub rejects a comment body longer than this many characters (code points) with 422.
 *
 * @example
 * [...body].length <= MAX_COMMENT_CHARS;
 * @internal */
export const MAX_COMMENT_CHARS = 65_536;
/**
 * GitHub rejects a label name longer than this.
 *
 * @example
 * label.length <= MAX_LABEL_CHARS;
 * @internal */
export const MAX_LABEL_CHARS = 50;

/**
 * Why GitHub would refuse `body` as a comment (blank, or over {@link MAX_COMMENT_CHARS} code
 * points), as the error `operation` returns; undefined when it is accepted.
 *
 * @example
 * commentBodyError("reply", " ")?._tag; // "ForgeInvalidResponse"
 * @internal */
export const commentBodyError = (operation: string, body: string): ForgeError | undefined => {
  const chars = [...body].length;
  if (body.trim().length === 0) return forgeInvalidResponse(operation, "422 Validation Failed: body cannot be blank");
  if (chars > MAX_COMMENT_CHARS) {
    return forgeInvalidResponse(
      operation,
      `422 Validation Failed: body is too long (maximum is ${MAX_COMMENT_CHARS} characters, got ${chars})`,
    );
  }
  return undefined;
};

/**
 * Why GitHub would refuse `label` as a label name (blank, or over {@link MAX_LABEL_CHARS}
 * characters); undefined when it is accepted.
 *
 * @example
 * labelError("x".repeat(51))?._tag; // "ForgeInvalidResponse"
 * @internal */
export const labelError = (label: string): ForgeError | undefined =>
  label.trim().length === 0 || [...label].length > MAX_LABEL_CHARS
    ? forgeInvalidResponse("addLabel", `422 Validation Failed: label name must be 1 to ${MAX_LABEL_CHARS} characters`)
    : undefined;
