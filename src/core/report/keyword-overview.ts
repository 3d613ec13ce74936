/**
 * Pictures of a keyword diff that stay readable at any corpus size: a histogram of top-k
 * overlap (a handful of buckets, never one bar per document), the documents that moved most
 * (first, so the table opens on them), and the terms gained and lost most often.
 *
 * @internal
 */
import type { BaselineDiff, DocumentDiff } from "../model.js";
import { escapeMarkdown, shorten } from "./escape.js";

/** @internal One bucket of the overlap histogram. */
export type OverlapBucket = { readonly label: string; readonly count: number };

// Overlap@k moves in steps of 1/k; for k = 10 these are the values 1.0, 0.9, 0.8 and below.
const BUCKETS: ReadonlyArray<{ readonly label: string; readonly min: number }> = [
  { label: "1.0", min: 1 },
  { label: "0.9", min: 0.85 },
  { label: "0.8", min: 0.75 },
  { label: "0.7 or less", min: Number.NEGATIVE_INFINITY },
];

// A float overlap such as 0.8999999 belongs with 0.9: compare at a fixed precision.
const bucketOf = (overlap: number): string =>
  BUCKETS.find((b) => Math.round(overlap * 1e6) / 1e6 >= b.min)?.label ?? "0.7 or less";

/**
 * Documents present on both sides, counted per overlap bucket (every bucket listed, empty ones too).
 *
 * @internal
 * @example
 * overlapHistogram(diff); // [{ label: "1.0", count: 12 }, { label: "0.9", count: 18 }, …]
 */
export const overlapHistogram = (diff: BaselineDiff): ReadonlyArray<OverlapBucket> => {
  const counts = new Map<string, number>(BUCKETS.map((b) => [b.label, 0]));
  for (const d of diff.documents) {
    if (d.presence !== "both") continue;
    const label = bucketOf(d.overlap);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return BUCKETS.map((b) => ({ label: b.label, count: counts.get(b.label) ?? 0 }));
};

const movement = (d: DocumentDiff): number => d.added.length + d.removed.length + d.moved.length;

/**
 * The documents in the order a reviewer wants them: lowest overlap first (a document on one side
 * only counts as 0), then most terms added, removed or moved; ties keep the result's order.
 *
 * @internal
 * @example
 * byMovement(diff)[0]; // the document whose keywords changed most
 */
export const byMovement = (diff: BaselineDiff): ReadonlyArray<DocumentDiff> =>
  diff.documents
    .map((d, i) => ({ d, i, overlap: d.presence === "both" ? d.overlap : 0, moves: movement(d) }))
    .sort((a, b) => a.overlap - b.overlap || b.moves - a.moves || a.i - b.i)
    .map((x) => x.d);

/** @internal How many documents gained or lost a term. */
export type TermCount = { readonly term: string; readonly documents: number };

const before = (a: TermCount, b: TermCount): boolean =>
  a.documents > b.documents || (a.documents === b.documents && a.term < b.term);

/** The `top` most frequent terms, most first; ties by term. Selection, not a sort of every term (a corpus has 100,000). */
const mostFrequent = (lists: ReadonlyArray<ReadonlyArray<string>>, top: number): ReadonlyArray<TermCount> => {
  const counts = new Map<string, number>();
  for (const list of lists) for (const t of new Set(list)) counts.set(t, (counts.get(t) ?? 0) + 1);
  const best: Array<TermCount> = [];
  for (const [term, documents] of counts) {
    const x = { term, documents };
    const last = best[best.length - 1];
    if (best.length >= top && (last === undefined || !before(x, last))) continue;
    let i = best.length;
    while (i > 0 && before(x, best[i - 1] as TermCount)) i -= 1;
    best.splice(i, 0, x);
    if (best.length > top) best.pop();
  }
  return best;
};

/**
 * The terms most often gained and lost across the corpus (documents on both sides only, so a new
 * or dropped document does not drown the signal), most frequent first.
 *
 * @internal
 * @example
 * termChanges(diff, 5); // { gained: [{ term: "fastapi", documents: 3 }, …], lost: […] }
 */
export const termChanges = (
  diff: BaselineDiff,
  top: number,
): { readonly gained: ReadonlyArray<TermCount>; readonly lost: ReadonlyArray<TermCount> } => {
  const both = diff.documents.filter((d) => d.presence === "both");
  return {
    gained: mostFrequent(
      both.map((d) => d.added),
      top,
    ),
    lost: mostFrequent(
      both.map((d) => d.removed),
      top,
    ),
  };
};

/**
 * A Mermaid bar chart of the overlap histogram: four categories whatever the corpus size, the
 * y axis scaled to the largest count.
 *
 * @internal
 * @example
 * renderOverlapHistogram(diff); // "```mermaid\nxychart-beta\n  title \"Top-10 overlap: documents per bucket\"…"
 */
export const renderOverlapHistogram = (diff: BaselineDiff): string | undefined => {
  const buckets = overlapHistogram(diff);
  const total = buckets.reduce((n, b) => n + b.count, 0);
  if (total === 0) return undefined;
  const top = Math.max(1, ...buckets.map((b) => b.count));
  return [
    "```mermaid",
    "xychart-beta",
    `  title "Top-${diff.k} overlap: documents per bucket (${total} documents)"`,
    `  x-axis "overlap" [${buckets.map((b) => `"${b.label}"`).join(", ")}]`,
    `  y-axis "documents" 0 --> ${top}`,
    `  bar [${buckets.map((b) => b.count).join(", ")}]`,
    "```",
  ].join("\n");
};

const termList = (xs: ReadonlyArray<TermCount>): string =>
  xs.length === 0 ? "none" : xs.map((x) => `${escapeMarkdown(shorten(x.term, 40))} (${x.documents})`).join(", ");

/**
 * One line each for the terms gained and lost most often, with the number of documents.
 *
 * @internal
 * @example
 * renderTermChanges(diff); // "- **Terms gained most often:** fastapi (3), …\n- **Terms lost most often:** …"
 */
export const renderTermChanges = (diff: BaselineDiff, top = 10): string | undefined => {
  const { gained, lost } = termChanges(diff, top);
  if (gained.length === 0 && lost.length === 0) return undefined;
  return [
    `- **Terms gained most often** (documents): ${termList(gained)}`,
    `- **Terms lost most often** (documents): ${termList(lost)}`,
  ].join("\n");
};
