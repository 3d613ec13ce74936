/**
 * "It failed" is not enough: a test of a failure also checks WHY (the developers' guide). These
 * helpers assert a tagged error's `_tag` and match its reason: every other field of the error
 * (operation, what, detail, reason, id, store, cause) as one line of text.
 */
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";

const describe = (v: unknown): string => {
  if (v instanceof Error) {
    const status = (v as { status?: unknown }).status;
    return `${v.name}: ${v.message}${status === undefined ? "" : ` (status ${String(status)})`}`;
  }
  if (typeof v === "string") return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

/**
 * The reason of a tagged error: its fields other than `_tag`, as `field=value` pairs on one line.
 *
 * @example
 * reasonOf({ _tag: "ForgeNotFound", operation: "getPullRequest", what: "o/r#9" }); // "operation=getPullRequest what=o/r#9"
 */
export const reasonOf = (e: { readonly _tag: string }): string =>
  Object.entries(e)
    .filter(([k]) => k !== "_tag")
    .map(([k, v]) => `${k}=${describe(v)}`)
    .join(" ");

/** Asserts that `e` has the tag and that its reason matches; returns `e` for further checks. */
export const assertError = <T extends { readonly _tag: string }>(e: T, tag: T["_tag"], reason: RegExp): T => {
  assert.equal(e._tag, tag, `expected ${tag}, got ${e._tag}: ${reasonOf(e)}`);
  assert.match(reasonOf(e), reason, `${tag} for another reason`);
  return e;
};

/** Asserts a Left whose error has the tag and a matching reason (and narrows `r` to that Left). */
export function assertLeft<T extends { readonly _tag: string }, A>(
  r: E.Either<T, A>,
  tag: T["_tag"],
  reason: RegExp,
): asserts r is E.Left<T> {
  if (E.isRight(r)) assert.fail(`expected a Left ${tag}, got a Right: ${describe(r.right)}`);
  assertError(r.left, tag, reason);
}

/**
 * A pattern matching `text` literally, for a reason built from a test's own expected text.
 *
 * @example
 * literally("a (b)").test("x a (b)"); // true
 */
export const literally = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
