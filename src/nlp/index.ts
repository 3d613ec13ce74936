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
export { CorpusDocument, TokenizedDocument, parseCorpus, parseTokenizedCorpus } from "./corpus.js";
export {
  corpusDuplicateId,
  corpusLineInvalid,
  describeNlpError,
  emptyVocabulary,
  invalidKeywordParams,
  tokenizerUnavailable,
  type NlpError,
} from "./errors.js";
export { createTfidfKeywordsExperiment, TFIDF_KEYWORDS_ID, toKeywordParamsFromArgs } from "./experiment.js";
export {
  DEFAULT_POS_FILTER,
  filterTerms,
  isDroppedByPos,
  isKeptTerm,
  PosRule,
  toStopWords,
  toTerm,
  toTerms,
} from "./filter.js";
export {
  DEFAULT_KEYWORD_PARAMS,
  describeKeywordParams,
  documentTerms,
  posFilteredTerms,
  extractKeywords,
  extractKeywordsFromTokens,
  KeywordParams,
  toKeywordParams,
} from "./keywords.js";
export { foldDigitsAndCase, preprocessDocument, stripMarkup, toDocumentText } from "./preprocess.js";
export { ENGLISH_STOP_WORDS } from "./stop-words.js";
export {
  computeTfidf,
  DocFrequency,
  formatDocFrequency,
  Norm,
  parseDocFrequency,
  type TfidfMatrix,
  type TfidfOptions,
} from "./tfidf.js";
export { dictionaryFingerprint } from "./dictionary.js";
export {
  isLatinLine,
  latinFastPathApplies,
  needsDictionary,
  tokenizeDocument,
  tokenizeLatinLine,
  toLines,
} from "./segment.js";
export { createFileTokenCache, tokenCacheKey, type TokenCache } from "./token-cache.js";
export {
  corpusTokenKey,
  TOKENIZING_REVISION,
  tokenizeCorpus,
  type CorpusTokenizing,
  type ParallelTerms,
} from "./tokenize-corpus.js";
export {
  createWorkerTokenizing,
  DEFAULT_DOCUMENTS_PER_WORKER,
  tokenizeWorkerScript,
  workerCountFor,
  type WorkerTokenizing,
  type WorkerTokenizingOptions,
} from "./tokenize-workers.js";
export {
  parseUserDictionary,
  splitByUserTerms,
  userTermMorpheme,
  type LinePiece,
  type UserDictionary,
} from "./user-dictionary.js";
export {
  defaultDictionaryCacheDir,
  loadKuromojiTokenizer,
  resolveKuromojiDicPath,
  type KuromojiTokenizer,
  type Morpheme,
  type Tokenize,
} from "./tokenizer.js";
export { compareCodePoints, topK } from "./topk.js";
