/**
 * Steps a–d over a whole corpus, doing as little work as possible: documents with the same text
 * are tokenized once; terms come from the token cache when present; kuromoji is loaded only when
 * some document still needs it (never for a corpus in Latin script, never on a warm re-run); many
 * documents may be tokenized elsewhere at once (`parallel`: worker threads, tokenize-workers.ts).
 */
import { pipe } from "fp-ts/function";
import * as O from "fp-ts/Option";
import * as T from "fp-ts/Task";
import * as TE from "fp-ts/TaskEither";
import type { CorpusDocument, TokenizedDocument } from "./corpus.js";
import type { NlpError } from "./errors.js";
import type { PosRule } from "./filter.js";
import { posFilteredTerms } from "./pos-terms.js";
import { preprocessDocument } from "./preprocess.js";
import { needsDictionary, tokenizeDocument } from "./segment.js";
import { tokenCacheKey, type TokenCache } from "./token-cache.js";
import type { Tokenize } from "./tokenizer.js";
import type { UserDictionary } from "./user-dictionary.js";

/**
 * The revision of how a pre-processed text becomes terms (tokenizing, part-of-speech filter, term
 * choice): bump it when that changes, so cached tokens are not reused. Its value is unchanged
 * from when it was named after the recipe step, so existing token caches stay valid.
 *
 * @example
 * corpusTokenKey(text, opts); // covers TOKENIZING_REVISION
 * @internal */
export const TOKENIZING_REVISION = "per-line+latin-fast-path+user-dict+mecab-rules/3";

/**
 * Step d for many texts at once, elsewhere (worker threads: `createWorkerTokenizing`): each
 * text's terms in order, exactly as `tokenizeDocument` + `posFilteredTerms` give them here, or none to
 * have them tokenized here instead (too few texts to pay, or no worker could start).
 *
 * @example
 * const never: ParallelTerms = () => T.of(O.none);
 */
export type ParallelTerms = (
  texts: ReadonlyArray<string>,
  job: {
    readonly posFilter: ReadonlyArray<PosRule>;
    readonly userDictionary: UserDictionary | undefined;
    readonly onProgress: (done: number, total: number) => void;
  },
) => T.Task<O.Option<ReadonlyArray<ReadonlyArray<string>>>>;

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
  /** Tried first for the texts that need tokenizing, when some of them need the dictionary. */
  readonly parallel?: ParallelTerms | undefined;
};

/**
 * The cache key of one pre-processed text under `opts`.
 *
 * @example
 * corpusTokenKey("python 0", opts); // "9f2c…"
 * @internal */
export const corpusTokenKey = (text: string, opts: CorpusTokenizing): string =>
  tokenCacheKey(text, {
    // The field's name is part of every persisted key: renaming it would invalidate every token cache.
    stepD: TOKENIZING_REVISION,
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
  const todoTexts = [...todo.values()];
  const onProgress = (done: number, total: number): void => opts.onProgress?.(done, total);
  const needed = todoTexts.some((t) => needsDictionary(t, opts.posFilter));
  const here = (): TE.TaskEither<NlpError, ReadonlyArray<ReadonlyArray<string>>> =>
    pipe(
      needed ? opts.loadTokenizer() : TE.right<NlpError, Tokenize>(() => []),
      TE.map((tokenize) =>
        todoTexts.map((text, i) => {
          const result = posFilteredTerms(
            tokenizeDocument(text, tokenize, opts.posFilter, opts.userDictionary),
            opts.posFilter,
          );
          onProgress(i + 1, todoTexts.length);
          return result;
        }),
      ),
    );
  const elsewhere: T.Task<O.Option<ReadonlyArray<ReadonlyArray<string>>>> =
    needed && opts.parallel !== undefined
      ? opts.parallel(todoTexts, { posFilter: opts.posFilter, userDictionary: opts.userDictionary, onProgress })
      : T.of(O.none);
  return pipe(
    TE.fromTask<O.Option<ReadonlyArray<ReadonlyArray<string>>>, NlpError>(elsewhere),
    TE.flatMap(O.match(here, (done) => TE.right(done))),
    TE.map((results) => {
      [...todo.keys()].forEach((key, i) => {
        const result = results[i] ?? [];
        terms.set(key, result);
        opts.cache?.set(key, result);
      });
      return docs.map((d, i) => ({ id: d.id, tokens: terms.get(keys[i]!) ?? [] }));
    }),
  );
};
