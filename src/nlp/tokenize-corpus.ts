/**
 * Steps a–d over a whole corpus, doing as little work as possible: documents with the same text
 * are tokenized once; terms come from the token cache when present; kuromoji is loaded only when
 * some document still needs it (never for a corpus in Latin script, never on a warm re-run).
 */
import * as TE from "fp-ts/TaskEither";
import type { CorpusDocument, TokenizedDocument } from "./corpus.js";
import type { NlpError } from "./errors.js";
import type { PosRule } from "./filter.js";
import { stepDTerms } from "./keywords.js";
import { preprocessDocument } from "./preprocess.js";
import { needsDictionary, tokenizeDocument } from "./segment.js";
import { tokenCacheKey, type TokenCache } from "./token-cache.js";
import type { Tokenize } from "./tokenizer.js";
import type { UserDictionary } from "./user-dictionary.js";

/**
 * Bump when the way step d turns text into terms changes, so cached tokens are not reused.
 *
 * @example
 * corpusTokenKey(text, opts); // covers STEP_D_REVISION
 */
export const STEP_D_REVISION = "per-line+latin-fast-path+user-dict+mecab-rules/3";

/**
 * How to tokenize a corpus.
 *
 * @example
 * const opts: CorpusTokenizing = {
 *   posFilter: DEFAULT_POS_FILTER,
 *   tokenizerId: "kuromoji@0.1.2 ipadic:…",
 *   loadTokenizer: () => TE.map((k: KuromojiTokenizer) => k.tokenize)(loadKuromojiTokenizer()),
 * };
 */
export type CorpusTokenizing = {
  readonly posFilter: ReadonlyArray<PosRule>;
  /** Names the tokenizer and its dictionary version; part of every cache key. */
  readonly tokenizerId: string;
  /** Called at most once, and only when some document needs the dictionary. */
  readonly loadTokenizer: () => TE.TaskEither<NlpError, Tokenize>;
  readonly cache?: TokenCache | undefined;
  readonly userDictionary?: UserDictionary | undefined;
  /** After each distinct text is tokenized: how many are done of how many need tokenizing. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
};

/**
 * The cache key of one pre-processed text under `opts`.
 *
 * @example
 * corpusTokenKey("python 0", opts); // "9f2c…"
 */
export const corpusTokenKey = (text: string, opts: CorpusTokenizing): string =>
  tokenCacheKey(text, {
    stepD: STEP_D_REVISION,
    tokenizer: opts.tokenizerId,
    posFilter: opts.posFilter,
    userDictionary: opts.userDictionary?.terms ?? [],
  });

/**
 * Steps a–d for every document, in input order: each document's terms before the term filter.
 *
 * @example
 * const tokens = await tokenizeCorpus(docs, opts)();
 * if (E.isRight(tokens)) extractKeywordsFromTokens(tokens.right, DEFAULT_KEYWORD_PARAMS);
 */
export const tokenizeCorpus = (
  docs: ReadonlyArray<CorpusDocument>,
  opts: CorpusTokenizing,
): TE.TaskEither<NlpError, ReadonlyArray<TokenizedDocument>> => {
  const texts = docs.map((d) => preprocessDocument(d.title, d.text));
  const keys = texts.map((t) => corpusTokenKey(t, opts));
  const terms = new Map<string, ReadonlyArray<string>>();
  const todo = new Map<string, string>();
  keys.forEach((key, i) => {
    if (terms.has(key) || todo.has(key)) return;
    const cached = opts.cache?.get(key);
    if (cached === undefined) todo.set(key, texts[i]!);
    else terms.set(key, cached);
  });
  const withTokenizer = [...todo.values()].some((t) => needsDictionary(t, opts.posFilter))
    ? opts.loadTokenizer()
    : TE.right<NlpError, Tokenize>(() => []);
  return TE.map((tokenize: Tokenize) => {
    let done = 0;
    for (const [key, text] of todo) {
      const result = stepDTerms(tokenizeDocument(text, tokenize, opts.posFilter, opts.userDictionary), opts.posFilter);
      terms.set(key, result);
      opts.cache?.set(key, result);
      done += 1;
      opts.onProgress?.(done, todo.size);
    }
    return docs.map((d, i) => ({ id: d.id, tokens: terms.get(keys[i]!) ?? [] }));
  })(withTokenizer);
};
