/**
 * Keyword diff of a result against the baseline, per document and for the corpus.
 *
 * Decisions:
 * - Documents are matched by id; if an id repeats within one result, its first occurrence counts.
 * - Only the top `k` terms of each side are compared (keywords are already ranked); a term
 *   repeated within one document counts at its first rank.
 * - overlap@k = |top-k(new) ∩ top-k(base)| / max(|top-k(new)|, |top-k(base)|), which is the
 *   textbook `/ k` whenever both sides have at least k terms, and does not punish short documents
 *   for having fewer than k terms. Both sides empty → 1 (nothing changed).
 * - A document on one side only has overlap 0, all its terms added (new-only) or removed
 *   (baseline-only), and counts as changed.
 * - A document changed when a term was added, removed or moved rank.
 * - meanOverlap averages over documents present on both sides; with none, it is 1 when both
 *   results have no documents at all and 0 otherwise.
 * - Document order: the new result's order, then baseline-only documents in baseline order.
 */
import type { BaselineDiff, DocumentDiff, DocumentKeywords, KeywordResult, RankMove } from "./model.js";

/**
 * Default number of top terms compared.
 *
 * @example
 * diffKeywords(result, baseline).k === DEFAULT_DIFF_K; // true
 * @internal */
export const DEFAULT_DIFF_K = 10;

const topTerms = (doc: DocumentKeywords, k: number): ReadonlyArray<string> => {
  const seen = new Set<string>();
  for (const kw of doc.keywords) {
    if (seen.size === k) break;
    seen.add(kw.term);
  }
  return [...seen];
};

const firstById = (result: KeywordResult): ReadonlyMap<string, DocumentKeywords> => {
  const byId = new Map<string, DocumentKeywords>();
  for (const d of result.documents) if (!byId.has(d.id)) byId.set(d.id, d);
  return byId;
};

/**
 * Compares the top-k terms of one document present on both sides.
 *
 * @example
 * diffDocument("d1", ["a", "b", "c"], ["b", "a", "d"]);
 * // { id: "d1", added: ["c"], removed: ["d"], moved: [{ term: "a", from: 2, to: 1 }, { term: "b", from: 1, to: 2 }],
 * //   overlap: 2 / 3, presence: "both" }
 * @internal */
export const diffDocument = (id: string, fresh: ReadonlyArray<string>, base: ReadonlyArray<string>): DocumentDiff => {
  const baseRank = new Map(base.map((t, i) => [t, i + 1] as const));
  const freshSet = new Set(fresh);
  const moved: Array<RankMove> = [];
  let common = 0;
  fresh.forEach((term, i) => {
    const from = baseRank.get(term);
    if (from === undefined) return;
    common += 1;
    if (from !== i + 1) moved.push({ term, from, to: i + 1 });
  });
  const denominator = Math.max(fresh.length, base.length);
  return {
    id,
    added: fresh.filter((t) => !baseRank.has(t)),
    removed: base.filter((t) => !freshSet.has(t)),
    moved,
    overlap: denominator === 0 ? 1 : common / denominator,
    presence: "both",
  };
};

const isChanged = (d: DocumentDiff): boolean =>
  d.presence !== "both" || d.added.length > 0 || d.removed.length > 0 || d.moved.length > 0;

/**
 * Diffs a keyword result against the baseline: added and removed terms, rank moves (1-based)
 * and overlap@k per document; documents changed and mean overlap for the corpus.
 * `k` below 1 or not finite falls back to {@link DEFAULT_DIFF_K}; fractions are floored.
 *
 * @example
 * const diff = diffKeywords(
 *   { documents: [{ id: "a", keywords: [{ term: "x", score: 0.9 }, { term: "y", score: 0.5 }] }] },
 *   { documents: [{ id: "a", keywords: [{ term: "x", score: 0.8 }, { term: "z", score: 0.4 }] }] },
 *   2,
 * );
 * // diff.documents[0].overlap === 0.5; diff.documentsChanged === 1; diff.meanOverlap === 0.5
 * @internal */
export const diffKeywords = (
  result: KeywordResult,
  baseline: KeywordResult,
  k: number = DEFAULT_DIFF_K,
): BaselineDiff => {
  const kk = Number.isFinite(k) && k >= 1 ? Math.floor(k) : DEFAULT_DIFF_K;
  const fresh = firstById(result);
  const base = firstById(baseline);
  const documents: Array<DocumentDiff> = [];
  for (const [id, doc] of fresh) {
    const other = base.get(id);
    const terms = topTerms(doc, kk);
    documents.push(
      other === undefined
        ? { id, added: terms, removed: [], moved: [], overlap: 0, presence: "new-only" }
        : diffDocument(id, terms, topTerms(other, kk)),
    );
  }
  for (const [id, doc] of base) {
    if (!fresh.has(id)) {
      documents.push({ id, added: [], removed: topTerms(doc, kk), moved: [], overlap: 0, presence: "baseline-only" });
    }
  }
  const shared = documents.filter((d) => d.presence === "both");
  const meanOverlap =
    shared.length > 0
      ? shared.reduce((sum, d) => sum + d.overlap, 0) / shared.length
      : fresh.size === 0 && base.size === 0
        ? 1
        : 0;
  return { k: kk, documents, documentsChanged: documents.filter(isChanged).length, meanOverlap };
};
