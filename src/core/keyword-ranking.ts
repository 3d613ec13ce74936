/**
 * The TF-IDF keyword result as the `rankings` part of the result contract: ranking
 * `keywords`, one list per document in corpus order, keywords best first.
 */
import * as O from "fp-ts/Option";
import type { DocumentKeywords, KeywordResult } from "./model.js";
import type { ExperimentResult, RankedItem } from "./result.js";

/**
 * The ranking name `tfidf-keywords` writes.
 *
 * @example
 * result.rankings?.[KEYWORDS_RANKING]; // { "doc-1": [{ term: "xbrl", score: 0.41 }] }
 * @internal */
export const KEYWORDS_RANKING = "keywords";

/**
 * A keyword result (what `extractKeywords` returns) as a result-contract value, ranking
 * `keywords`: what an in-process runner of the keyword experiment hands back. A document id that
 * repeats keeps its first occurrence (the corpus reader already refuses repeated ids).
 *
 * @example
 * fromKeywordResult({ documents: [{ id: "doc-1", keywords: [{ term: "xbrl", score: 0.41 }] }] });
 * // { rankings: { keywords: { "doc-1": [{ term: "xbrl", score: 0.41 }] } } }
 */
export const fromKeywordResult = (kr: KeywordResult): ExperimentResult => {
  const lists: Array<readonly [string, ReadonlyArray<RankedItem>]> = [];
  const seen = new Set<string>();
  for (const d of kr.documents) {
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    lists.push([d.id, d.keywords.map((k) => ({ term: k.term, score: k.score }))]);
  }
  return { rankings: { [KEYWORDS_RANKING]: Object.fromEntries(lists) } };
};

/**
 * The `keywords` ranking of a result as a keyword result, in the ranking's list order; none when
 * the result has no such ranking.
 *
 * @example
 * toKeywordResult({ rankings: { keywords: { a: [{ term: "x", score: 1 }] } } });
 * // some({ documents: [{ id: "a", keywords: [{ term: "x", score: 1 }] }] })
 * @internal */
export const toKeywordResult = (r: ExperimentResult, name: string = KEYWORDS_RANKING): O.Option<KeywordResult> => {
  const ranking = r.rankings?.[name];
  if (ranking === undefined || !Object.prototype.hasOwnProperty.call(r.rankings, name)) return O.none;
  const documents: ReadonlyArray<DocumentKeywords> = Object.entries(ranking).map(([id, items]) => ({
    id,
    keywords: items,
  }));
  return O.some({ documents });
};
