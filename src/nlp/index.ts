/**
 * `ml-chatops/nlp`: the default experiment, TF-IDF keywords over Japanese and English text.
 *
 * The recipe: (a) title + "\n" + text, NFKC; (b) Markdown links → label, URLs removed, list and
 * heading markers removed; (c) ASCII digit runs → "0", lower-case; (d) kuromoji (IPADIC) one
 * line at a time as MeCab reads text, particles, auxiliary verbs, symbols and dependent verbs
 * dropped, base forms; (e) terms without
 * a letter or digit, one-ASCII-character terms and English stop words dropped; (f) TF-IDF as
 * scikit-learn computes it; (g) top-k, ties by code point order.
 *
 * @example
 * import * as E from "fp-ts/Either";
 * import { DEFAULT_KEYWORD_PARAMS, extractKeywords, loadKuromojiTokenizer, parseCorpus } from "ml-chatops/nlp";
 *
 * const tokenizer = await loadKuromojiTokenizer()();
 * const docs = parseCorpus("talks.jsonl", text);
 * if (E.isRight(tokenizer) && E.isRight(docs)) {
 *   const result = extractKeywords(docs.right, tokenizer.right.tokenize, DEFAULT_KEYWORD_PARAMS);
 * }
 */
export { parseCorpus, parseTokenizedCorpus, type CorpusDocument, type TokenizedDocument } from "./corpus.js";
export { describeNlpError, type NlpError } from "./errors.js";
export { createTfidfKeywordsExperiment, TFIDF_KEYWORDS_ID, toKeywordParamsFromArgs } from "./experiment.js";
export { DEFAULT_KEYWORD_PARAMS, extractKeywords, extractKeywordsFromTokens, KeywordParams } from "./keywords.js";
// The keywords as the result contract (an in-process run hands this back).
export { fromKeywordResult } from "../core/keyword-ranking.js";
export { parseDocFrequency, type DocFrequency } from "./tfidf.js";
export { parseUserDictionary, type UserDictionary } from "./user-dictionary.js";
// Step d over a whole corpus, optionally on worker threads (the `keywords` command's path).
export { tokenizeCorpus, type CorpusTokenizing, type ParallelTerms } from "./tokenize-corpus.js";
export {
  createWorkerTokenizing,
  tokenizeWorkerScript,
  type WorkerTokenizing,
  type WorkerTokenizingOptions,
} from "./tokenize-workers.js";
export { DEFAULT_POS_FILTER, type PosRule } from "./filter.js";
export { createFileTokenCache, type TokenCache } from "./token-cache.js";
export { dictionaryFingerprint } from "./dictionary.js";
export {
  loadKuromojiTokenizer,
  resolveKuromojiDicPath,
  type KuromojiTokenizer,
  type Morpheme,
  type Tokenize,
} from "./tokenizer.js";
