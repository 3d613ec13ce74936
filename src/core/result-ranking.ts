/**
 * Rankings of a result: for each list id (a document), its items (term and score), best first.
 * A valid ranking is decoded on a fast path; an invalid one goes through the checked path for
 * the one-line error naming the JSON path.
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import {
  boundedArray,
  boundedRecord,
  boundedString,
  codePoints,
  finiteNumber,
  isObject,
  strictObject,
  type Check,
} from "./json-check.js";
import { RESULT_LIMITS } from "./result-limits.js";

const L = RESULT_LIMITS;
const text = boundedString(1, L.maxTextLength);

const idKey = {
  test: (k: string) =>
    k.length > 0 && k.length <= 2 * RESULT_LIMITS.maxTextLength && codePoints(k) <= RESULT_LIMITS.maxTextLength,
  describe: `1-${RESULT_LIMITS.maxTextLength} characters`,
};

/**
 * One ranked item: a term and its score.
 *
 * @example
 * const item: RankedItem = { term: "python", score: 0.42 };
 */
export type RankedItem = { readonly term: string; readonly score: number };
/**
 * A ranking: for each list id (a document), its items, best first.
 *
 * @example
 * const r: Ranking = { "doc-1": [{ term: "python", score: 0.42 }] };
 */
export type Ranking = Readonly<Record<string, ReadonlyArray<RankedItem>>>;
const rankedItem: Check<RankedItem> = strictObject(["term", "score"], "an object {term, score}", (u, path) =>
  pipe(
    text(u["term"], [...path, "term"]),
    E.flatMap((term) =>
      pipe(
        finiteNumber(u["score"], [...path, "score"]),
        E.map((score) => ({ term, score })),
      ),
    ),
  ),
);

const checkedRanking: Check<Ranking> = boundedRecord(
  L.maxRankedLists,
  idKey,
  boundedArray(L.maxItemsPerList, rankedItem, "ranked items"),
  "ranked lists",
);

const isTerm = (s: string): boolean =>
  s.length >= 1 &&
  (s.length <= L.maxTextLength || (s.length <= 2 * L.maxTextLength && codePoints(s) <= L.maxTextLength));

/** The list decoded as {@link rankedItem} would, when every item is valid; otherwise undefined. */
const quickItems = (u: unknown): ReadonlyArray<RankedItem> | undefined => {
  if (!Array.isArray(u) || u.length > L.maxItemsPerList) return undefined;
  const out: Array<RankedItem> = [];
  for (const x of u as ReadonlyArray<unknown>) {
    if (!isObject(x)) return undefined;
    for (const k in x) if (k !== "term" && k !== "score") return undefined;
    const term = x["term"];
    const score = x["score"];
    if (typeof term !== "string" || !isTerm(term) || typeof score !== "number" || !Number.isFinite(score))
      return undefined;
    out.push({ term, score });
  }
  return out;
};

/** The ranking decoded as {@link checkedRanking} would, when all of it is valid; otherwise undefined. */
const quickRanking = (u: unknown): Ranking | undefined => {
  if (!isObject(u)) return undefined;
  const keys = Object.keys(u);
  if (keys.length > L.maxRankedLists) return undefined;
  const out: Array<readonly [string, ReadonlyArray<RankedItem>]> = [];
  for (const k of keys) {
    const items = idKey.test(k) ? quickItems(u[k]) : undefined;
    if (items === undefined) return undefined;
    out.push([k, items]);
  }
  return Object.fromEntries(out);
};

// A ranking holds about 100,000 items within the byte cap: the checked path (a JSON path and an Either per value)
// takes most of a second on them, so a valid ranking is decoded without it, and anything else
// goes through it for the one-line error naming the path.
/**
 * Decodes one ranking.
 *
 * @example
 * ranking({ "doc-1": [{ term: "python", score: 0.5 }] }, ["rankings", "keywords"]); // Right(…)
 * @internal */
export const ranking: Check<Ranking> = (u, path) => {
  const quick = quickRanking(u);
  return quick === undefined ? checkedRanking(u, path) : E.right(quick);
};
