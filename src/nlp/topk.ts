/**
 * Step g: ranking. Ties are broken by term in Unicode code point order, which is also how
 * Python sorts strings (JavaScript's `<` compares UTF-16 code units, which differs for
 * characters outside the Basic Multilingual Plane).
 */
import type { Keyword } from "../core/model.js";

/**
 * Compares two strings by Unicode code points.
 *
 * @example
 * compareCodePoints("\u{1F600}", "\uFF5E"); // 1 (U+1F600 > U+FF5E, though its first UTF-16 unit is smaller)
 * @internal */
export const compareCodePoints = (a: string, b: string): number => {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(j) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  const restA = a.length - i;
  const restB = b.length - j;
  return restA === restB ? 0 : restA < restB ? -1 : 1;
};

/**
 * The `k` best-scored terms: score descending, ties by term in code point order.
 *
 * @example
 * topK(new Map([["b", 0.5], ["a", 0.5], ["c", 0.9]]), 2);
 * // [{ term: "c", score: 0.9 }, { term: "a", score: 0.5 }]
 * @internal */
export const topK = (scores: ReadonlyMap<string, number>, k: number): ReadonlyArray<Keyword> =>
  [...scores]
    .sort(([ta, sa], [tb, sb]) => (sa !== sb ? sb - sa : compareCodePoints(ta, tb)))
    .slice(0, Math.max(0, k))
    .map(([term, score]) => ({ term, score }));
