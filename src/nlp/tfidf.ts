/**
 * Step f: TF-IDF exactly as scikit-learn's `TfidfVectorizer` computes it on pre-tokenized input
 * (an identity analyzer), kept sparse: one term → score map per document.
 */
import * as E from "fp-ts/Either";
import * as t from "io-ts";
import { emptyVocabulary, invalidKeywordParams, type NlpError } from "./errors.js";
import { compareCodePoints } from "./topk.js";

/** @internal */
export interface PositiveIntBrand {
  readonly PositiveInt: unique symbol;
}
/** An integer ≥ 1. @internal */
export const PositiveInt = t.brand(
  t.number,
  (n): n is t.Branded<number, PositiveIntBrand> => Number.isInteger(n) && n >= 1,
  "PositiveInt",
);
export type PositiveInt = t.TypeOf<typeof PositiveInt>;

/** @internal */
export interface UnitIntervalBrand {
  readonly UnitInterval: unique symbol;
}
/** A number in [0, 1]. @internal */
export const UnitInterval = t.brand(
  t.number,
  (n): n is t.Branded<number, UnitIntervalBrand> => n >= 0 && n <= 1,
  "UnitInterval",
);
export type UnitInterval = t.TypeOf<typeof UnitInterval>;

/**
 * `max_df` / `min_df` as scikit-learn reads them: an integer is a document count, a float is a
 * share of the documents. `"1"` is a count of one document, `"1.0"` all of them.
 *
 * @example
 * const atMostHalf: DocFrequency = { kind: "share", value: 0.5 };
 * const atLeastTwo: DocFrequency = { kind: "count", value: 2 };
 */
export const DocFrequency = t.union([
  t.type({ kind: t.literal("count"), value: PositiveInt }),
  t.type({ kind: t.literal("share"), value: UnitInterval }),
]);
export type DocFrequency = t.TypeOf<typeof DocFrequency>;

/**
 * Reads `max_df`/`min_df` text: digits only is a count (≥ 1); a decimal point or an exponent
 * makes it a share in [0, 1].
 *
 * @example
 * parseDocFrequency("2");   // Right({ kind: "count", value: 2 })
 * parseDocFrequency("1.0"); // Right({ kind: "share", value: 1 })
 * parseDocFrequency("1.5"); // Left("…")
 */
export const parseDocFrequency = (text: string): E.Either<string, DocFrequency> => {
  const expected = `expected a count >= 1 (e.g. 2) or a share in [0, 1] written with a decimal point (e.g. 0.5), got ${JSON.stringify(text)}`;
  if (/^[0-9]+$/.test(text)) {
    const value = Number(text);
    return PositiveInt.is(value) ? E.right({ kind: "count", value }) : E.left(expected);
  }
  if (/^(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][+-]?[0-9]+)?$/.test(text)) {
    const value = Number(text);
    return UnitInterval.is(value) ? E.right({ kind: "share", value }) : E.left(expected);
  }
  return E.left(expected);
};

/**
 * The text form of a document frequency, which `parseDocFrequency` reads back to the same value.
 *
 * @example
 * formatDocFrequency({ kind: "share", value: 1 }); // "1.0"
 * @internal */
export const formatDocFrequency = (d: DocFrequency): string =>
  d.kind === "count" ? String(d.value) : Number.isInteger(d.value) ? d.value.toFixed(1) : String(d.value);

/**
 * Row normalisation.
 *
 * @example
 * Norm.is("l2"); // true
 * @internal */
export const Norm = t.keyof({ l1: null, l2: null, none: null });
export type Norm = t.TypeOf<typeof Norm>;

/**
 * The `TfidfVectorizer` settings we support (same meaning, camelCase names).
 *
 * @example
 * const o: TfidfOptions = { maxDf: { kind: "share", value: 0.5 }, minDf: { kind: "count", value: 1 },
 *   sublinearTf: false, norm: "l2", useIdf: true, smoothIdf: true };
 * @internal */
export type TfidfOptions = {
  readonly maxDf: DocFrequency;
  readonly minDf: DocFrequency;
  readonly sublinearTf: boolean;
  readonly norm: Norm;
  readonly useIdf: boolean;
  readonly smoothIdf: boolean;
};

/**
 * A fitted TF-IDF: the vocabulary after pruning (code point order), its idf (when `useIdf`),
 * and one sparse row per input document, in input order.
 *
 * @example
 * const m = computeTfidf([["a", "b"], ["a"]], options);
 * // Right({ vocabulary: ["a", "b"], idf: Map {…}, rows: [Map {…}, Map {…}] })
 * @internal */
export type TfidfMatrix = {
  readonly vocabulary: ReadonlyArray<string>;
  readonly idf: ReadonlyMap<string, number> | undefined;
  readonly rows: ReadonlyArray<ReadonlyMap<string, number>>;
};

const countTerms = (tokens: ReadonlyArray<string>): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const term of tokens) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
};

const toDocCount = (d: DocFrequency, nDocs: number): number => (d.kind === "count" ? d.value : d.value * nDocs);

// `row` is in code point order of its terms, so sums are taken in vocabulary order.
const normalise = (row: Map<string, number>, norm: Norm): void => {
  if (norm === "none") return;
  let sum = 0;
  for (const v of row.values()) sum += norm === "l2" ? v * v : Math.abs(v);
  if (sum === 0) return;
  const divisor = norm === "l2" ? Math.sqrt(sum) : sum;
  for (const [term, v] of row) row.set(term, v / divisor);
};

/**
 * Fits and applies TF-IDF to already tokenized documents, like
 * `TfidfVectorizer(analyzer=identity, lowercase=False, max_df, min_df, sublinear_tf, norm, use_idf, smooth_idf)`:
 * raw counts; `1 + ln(tf)` when sublinear; idf = ln((1 + n) / (1 + df)) + 1 when smooth, else
 * ln(n / df) + 1; terms with df above `maxDf` or below `minDf` pruned; rows normalised.
 * Fails, like scikit-learn, on an empty vocabulary, on `maxDf` below `minDf`, and when pruning
 * leaves nothing.
 *
 * @example
 * computeTfidf([["python", "型"], ["python"]], { ...options, maxDf: { kind: "share", value: 1 } });
 * @internal */
export const computeTfidf = (
  docs: ReadonlyArray<ReadonlyArray<string>>,
  opts: TfidfOptions,
): E.Either<NlpError, TfidfMatrix> => {
  const counts = docs.map(countTerms);
  const df = new Map<string, number>();
  for (const c of counts) for (const term of c.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  if (df.size === 0) return E.left(emptyVocabulary("the documents contain no terms (perhaps only stop words)"));

  const n = docs.length;
  const maxCount = toDocCount(opts.maxDf, n);
  const minCount = toDocCount(opts.minDf, n);
  if (maxCount < minCount) {
    return E.left(
      invalidKeywordParams(
        `max_df corresponds to fewer documents (${maxCount}) than min_df (${minCount}) for ${n} documents`,
      ),
    );
  }
  const vocabulary = [...df]
    .filter(([, f]) => f <= maxCount && f >= minCount)
    .map(([term]) => term)
    .sort(compareCodePoints);
  if (vocabulary.length === 0) {
    return E.left(emptyVocabulary("after pruning, no terms remain; try a lower min_df or a higher max_df"));
  }

  const smooth = opts.smoothIdf ? 1 : 0;
  const idf = opts.useIdf
    ? new Map(vocabulary.map((term) => [term, Math.log((n + smooth) / ((df.get(term) ?? 0) + smooth)) + 1]))
    : undefined;

  const kept = new Set(vocabulary);
  const rows = counts.map((c) => {
    const row = new Map<string, number>();
    for (const term of [...c.keys()].filter((x) => kept.has(x)).sort(compareCodePoints)) {
      const tf = c.get(term) ?? 0;
      const weight = opts.sublinearTf ? Math.log(tf) + 1 : tf;
      row.set(term, idf === undefined ? weight : weight * (idf.get(term) ?? 1));
    }
    normalise(row, opts.norm);
    return row;
  });
  return E.right({ vocabulary, idf, rows });
};
