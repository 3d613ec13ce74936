/**
 * The comparison with the current best, as codecs: the keyword diff of one ranking, one metric's
 * verdict, tables matched by title, and the whole result diff a report carries.
 */
import * as t from "io-ts";

// ---------------------------------------------------------------------------
// baseline comparison

/** A term whose rank changed between the baseline and the new result (ranks are 1-based). */
export const RankMove = t.type({ term: t.string, from: t.number, to: t.number });
export type RankMove = t.TypeOf<typeof RankMove>;

/** How one document's keywords changed against the baseline. */
export const DocumentDiff = t.type({
  id: t.string,
  /** In the new top-k, not in the baseline's. */
  added: t.readonlyArray(t.string),
  /** In the baseline's top-k, not in the new. */
  removed: t.readonlyArray(t.string),
  moved: t.readonlyArray(RankMove),
  /** |new ∩ baseline| / k, in [0, 1]. */
  overlap: t.number,
  /** `both`, or the side the document is missing from. */
  presence: t.keyof({ both: null, "new-only": null, "baseline-only": null }),
});
export type DocumentDiff = t.TypeOf<typeof DocumentDiff>;

/** A keyword result compared with the current best. */
export const BaselineDiff = t.type({
  k: t.number,
  documents: t.readonlyArray(DocumentDiff),
  documentsChanged: t.number,
  meanOverlap: t.number,
});
export type BaselineDiff = t.TypeOf<typeof BaselineDiff>;

/** How a metric compares with the current best. `missing`: in the baseline, not in this run. `changed`: no goal declared. */
export const MetricVerdict = t.keyof({
  better: null,
  worse: null,
  unchanged: null,
  new: null,
  missing: null,
  changed: null,
});
export type MetricVerdict = t.TypeOf<typeof MetricVerdict>;

const NullableNumber = t.union([t.number, t.null]);

/** One metric of this run against the current best. */
export const MetricDiff = t.type({
  name: t.string,
  value: NullableNumber,
  baseline: NullableNumber,
  /** value − baseline; null when either is missing. */
  delta: NullableNumber,
  /** delta / |baseline|; null when either is missing or the baseline is 0. */
  relativeDelta: NullableNumber,
  goal: t.union([t.keyof({ max: null, min: null }), t.null]),
  threshold: t.number,
  verdict: MetricVerdict,
});
export type MetricDiff = t.TypeOf<typeof MetricDiff>;

/** One ranking of this run against the baseline's ranking of the same name. */
export const RankingDiff = t.type({ name: t.string, diff: BaselineDiff });
export type RankingDiff = t.TypeOf<typeof RankingDiff>;

/** A table of this run and the baseline's table of the same title, if any. */
export const TableComparison = t.type({
  index: t.number,
  title: t.string,
  baselineIndex: t.union([t.number, t.null]),
  /** Same columns and row count: shown side by side with per-cell deltas. */
  sameShape: t.boolean,
});
export type TableComparison = t.TypeOf<typeof TableComparison>;

/** A result compared with the current best, part by part. */
export const ResultDiff = t.intersection([
  t.type({
    metrics: t.readonlyArray(MetricDiff),
    rankings: t.readonlyArray(RankingDiff),
    tables: t.readonlyArray(TableComparison),
    /** False when there is no current best: every metric is then `new`. */
    hasBaseline: t.boolean,
  }),
  /** The primary metric's name, when the experiment declares one. */
  t.partial({ primary: t.string }),
]);
export type ResultDiff = t.TypeOf<typeof ResultDiff>;
