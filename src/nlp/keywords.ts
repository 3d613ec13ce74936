/**
 * The keyword experiment end to end: corpus → terms (steps a–e) → TF-IDF (f) → top-k (g).
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as t from "io-ts";
import type { KeywordResult } from "../core/model.js";
import type { CorpusDocument, TokenizedDocument } from "./corpus.js";
import { invalidKeywordParams, type NlpError } from "./errors.js";
import { DEFAULT_POS_FILTER, filterTerms, PosRule, toStopWords } from "./filter.js";
import { preprocessDocument } from "./preprocess.js";
import { tokenizeDocument } from "./segment.js";
import { posFilteredTerms } from "./pos-terms.js";
import { computeTfidf, DocFrequency, formatDocFrequency, Norm, PositiveInt, type UnitInterval } from "./tfidf.js";
import type { Tokenize } from "./tokenizer.js";
import type { UserDictionary } from "./user-dictionary.js";
import { topK } from "./topk.js";

/**
 * Every knob of the keyword recipe.
 *
 * @example
 * const p: KeywordParams = { ...DEFAULT_KEYWORD_PARAMS, top: 5, sublinearTf: true };
 */
export const KeywordParams = t.type({
  /** Keywords per document. */
  top: PositiveInt,
  maxDf: DocFrequency,
  minDf: DocFrequency,
  sublinearTf: t.boolean,
  norm: Norm,
  useIdf: t.boolean,
  smoothIdf: t.boolean,
  /** Morphemes matching any rule are dropped (step d). */
  posFilter: t.readonlyArray(PosRule),
  /** Dropped in step e, on top of scikit-learn's English stop words. */
  extraStopWords: t.readonlyArray(t.string),
});
export type KeywordParams = t.TypeOf<typeof KeywordParams>;

/**
 * The default recipe: top 10, max_df 0.5 (a share), min_df 1 (a count), raw tf, l2 norm, smooth idf.
 *
 * @example
 * formatDocFrequency(DEFAULT_KEYWORD_PARAMS.maxDf); // "0.5"
 */
export const DEFAULT_KEYWORD_PARAMS: KeywordParams = {
  top: 10 as PositiveInt,
  maxDf: { kind: "share", value: 0.5 as UnitInterval },
  minDf: { kind: "count", value: 1 as PositiveInt },
  sublinearTf: false,
  norm: "l2",
  useIdf: true,
  smoothIdf: true,
  posFilter: DEFAULT_POS_FILTER,
  extraStopWords: [],
};

const KeywordParamsInput = t.exact(t.partial(KeywordParams.props));

/**
 * Decodes a partial parameter object and fills the rest from `DEFAULT_KEYWORD_PARAMS`.
 *
 * @example
 * toKeywordParams({ top: 5 }); // Right({ ...DEFAULT_KEYWORD_PARAMS, top: 5 })
 * toKeywordParams({ top: 0 }); // Left(InvalidKeywordParams: 'top: expected PositiveInt, got 0')
 * @internal */
export const toKeywordParams = (input: unknown): E.Either<NlpError, KeywordParams> => {
  // t.exact would silently drop a misspelt key (say `max_df` for `maxDf`); refuse it instead.
  const allowed = Object.keys(KeywordParams.props);
  const unknown =
    typeof input === "object" && input !== null ? Object.keys(input).find((k) => !allowed.includes(k)) : undefined;
  if (unknown !== undefined) {
    return E.left(invalidKeywordParams(`unknown key ${JSON.stringify(unknown)} (allowed: ${allowed.join(", ")})`));
  }
  return pipe(
    KeywordParamsInput.decode(input),
    E.mapLeft((errors) => {
      const first = errors[0];
      const path =
        first?.context
          .map((c) => c.key)
          .filter((k) => k !== "")
          .join(".") ?? "";
      const expected = first?.context[first.context.length - 1]?.type.name ?? "a valid value";
      return invalidKeywordParams(`${path || "params"}: expected ${expected}, got ${JSON.stringify(first?.value)}`);
    }),
    E.map((given) => ({ ...DEFAULT_KEYWORD_PARAMS, ...given })),
  );
};

/**
 * One line describing the TF-IDF settings, e.g. for logs and report headers.
 *
 * @example
 * describeKeywordParams(DEFAULT_KEYWORD_PARAMS);
 * // "top=10 max_df=0.5 min_df=1 sublinear_tf=false norm=l2 use_idf=true smooth_idf=true"
 * @internal */
export const describeKeywordParams = (p: KeywordParams): string =>
  `top=${p.top} max_df=${formatDocFrequency(p.maxDf)} min_df=${formatDocFrequency(p.minDf)} ` +
  `sublinear_tf=${p.sublinearTf} norm=${p.norm} use_idf=${p.useIdf} smooth_idf=${p.smoothIdf}`;

const rank = (
  ids: ReadonlyArray<string>,
  terms: ReadonlyArray<ReadonlyArray<string>>,
  params: KeywordParams,
): E.Either<NlpError, KeywordResult> =>
  pipe(
    computeTfidf(terms, params),
    E.map((m) => ({
      documents: ids.map((id, i) => ({ id, keywords: topK(m.rows[i] ?? new Map<string, number>(), params.top) })),
    })),
  );

/**
 * Steps a–d for one document: the terms before the term filter, i.e. what `--pretokenized` takes.
 * Lines are tokenized one at a time (see segment.ts).
 *
 * @example
 * documentTerms({ id: "a", title: "Talk", text: "型を書いた" }, tk.tokenize, DEFAULT_POS_FILTER); // ["talk", "型", "書く"]
 * @internal */
export const documentTerms = (
  doc: CorpusDocument,
  tokenize: Tokenize,
  posFilter: ReadonlyArray<PosRule>,
  userDictionary?: UserDictionary,
): ReadonlyArray<string> =>
  posFilteredTerms(
    tokenizeDocument(preprocessDocument(doc.title, doc.text), tokenize, posFilter, userDictionary),
    posFilter,
  );

export { posFilteredTerms } from "./pos-terms.js";

/**
 * The default experiment on a raw corpus: steps a–g. Documents keep their input order; scores
 * keep full precision.
 *
 * @example
 * const tk = await loadKuromojiTokenizer()();
 * if (E.isRight(tk)) extractKeywords(docs, tk.right.tokenize, DEFAULT_KEYWORD_PARAMS);
 */
export const extractKeywords = (
  docs: ReadonlyArray<CorpusDocument>,
  tokenize: Tokenize,
  params: KeywordParams,
): E.Either<NlpError, KeywordResult> =>
  extractKeywordsFromTokens(
    docs.map((d) => ({ id: d.id, tokens: documentTerms(d, tokenize, params.posFilter) })),
    params,
  );

/**
 * The experiment on pre-tokenized documents: skips steps a–d, applies e–g (for parity checks).
 *
 * @example
 * extractKeywordsFromTokens([{ id: "a", tokens: ["python", "型"] }], DEFAULT_KEYWORD_PARAMS);
 */
export const extractKeywordsFromTokens = (
  docs: ReadonlyArray<TokenizedDocument>,
  params: KeywordParams,
): E.Either<NlpError, KeywordResult> => {
  const stopWords = toStopWords(params.extraStopWords);
  return rank(
    docs.map((d) => d.id),
    docs.map((d) => filterTerms(d.tokens, stopWords)),
    params,
  );
};
