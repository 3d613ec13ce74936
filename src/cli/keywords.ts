/**
 * `ml-chatops keywords`: the TF-IDF keyword experiment as a command. Its flags and `--help` are
 * keywords-options.ts; this module reads the files, runs the recipe and writes the result.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as E from "fp-ts/Either";
import type { KeywordResult } from "../index.js";
import * as TE from "fp-ts/TaskEither";
import {
  createFileTokenCache,
  createWorkerTokenizing,
  dictionaryFingerprint,
  extractKeywordsFromTokens,
  loadKuromojiTokenizer,
  parseCorpus,
  parseTokenizedCorpus,
  parseUserDictionary,
  resolveKuromojiDicPath,
  tokenizeCorpus,
  type NlpError,
  type Tokenize,
  type UserDictionary,
} from "../nlp/index.js";
import { defaultCacheDir, progressReporter } from "./keywords-progress.js";
import type { CliCommand, CliIo } from "./io.js";
import { toKeywordsMarkdown } from "./keywords-markdown.js";
import { toRankingsJson } from "./keywords-env.js";
import { causeOf, data, KEYWORDS_USAGE, oneLine, toKeywordsOptions, usage } from "./keywords-options.js";
import type { Failure, KeywordsOptions } from "./keywords-options.js";

const NAME = "ml-chatops keywords";

const fromNlpError = (e: NlpError): Failure => {
  switch (e._tag) {
    case "CorpusLineInvalid":
      return data(`${e.detail} (${e.file}:${e.line})`);
    case "CorpusDuplicateId":
      return data(`duplicate id ${JSON.stringify(e.id)}, first on line ${e.firstLine} (${e.file}:${e.line})`);
    case "TokenizerUnavailable":
      return data(`kuromoji dictionary could not be loaded: ${causeOf(e.cause)} (${e.dicPath})`);
    case "InvalidKeywordParams":
      return usage(`${e.detail} (--max-df/--min-df)`);
    case "EmptyVocabulary":
      return data(`${e.detail} (corpus)`);
  }
};

const readText = async (io: CliIo, file: string, what: string): Promise<E.Either<Failure, string>> => {
  try {
    return E.right(await readFile(path.resolve(io.cwd, file), "utf8"));
  } catch (e) {
    return E.left(data(`cannot read ${what}: ${causeOf(e)} (${file})`));
  }
};

const toStopWordList = (text: string): ReadonlyArray<string> =>
  text
    .split(/\r?\n/)
    .map((w) => w.trim())
    .filter((w) => w !== "");

const run = async (opts: KeywordsOptions, io: CliIo): Promise<E.Either<Failure, KeywordResult>> => {
  let params = opts.params;
  if (opts.stopWordsFile !== undefined) {
    const words = await readText(io, opts.stopWordsFile, "stop words");
    if (E.isLeft(words)) return words;
    params = { ...params, extraStopWords: toStopWordList(words.right) };
  }
  const text = await readText(io, opts.source.file, "corpus");
  if (E.isLeft(text)) return text;
  if (opts.source.kind === "pretokenized") {
    const docs = parseTokenizedCorpus(opts.source.file, text.right);
    if (E.isLeft(docs)) return E.left(fromNlpError(docs.left));
    return E.mapLeft(fromNlpError)(extractKeywordsFromTokens(docs.right, params));
  }
  const docs = parseCorpus(opts.source.file, text.right);
  if (E.isLeft(docs)) return E.left(fromNlpError(docs.left));
  let userDictionary: UserDictionary | undefined;
  if (opts.userDictionaryFile !== undefined) {
    const dictText = await readText(io, opts.userDictionaryFile, "user dictionary");
    if (E.isLeft(dictText)) return dictText;
    const parsed = parseUserDictionary(opts.userDictionaryFile, dictText.right);
    if (E.isLeft(parsed)) return E.left(fromNlpError(parsed.left));
    userDictionary = parsed.right;
  }
  const cacheDir = opts.noCache
    ? undefined
    : opts.cacheDir !== undefined
      ? path.resolve(io.cwd, opts.cacheDir)
      : defaultCacheDir(io.cwd);
  let dicPath: string;
  let tokenizerId: string;
  try {
    dicPath = resolveKuromojiDicPath();
    tokenizerId = dictionaryFingerprint(dicPath);
  } catch (e) {
    return E.left(data(`kuromoji dictionary could not be found: ${causeOf(e)} (kuromoji package)`));
  }
  const progress = progressReporter(io, opts.quiet);
  const tokens = await tokenizeCorpus(docs.right, {
    posFilter: params.posFilter,
    tokenizerId,
    loadTokenizer: () => {
      progress.phase("loading the kuromoji dictionary");
      return TE.map((k: { readonly tokenize: Tokenize }) => k.tokenize)(
        loadKuromojiTokenizer({ dicPath, cacheDir: cacheDir ?? false }),
      );
    },
    cache: cacheDir === undefined ? undefined : createFileTokenCache({ dir: cacheDir }),
    userDictionary,
    onProgress: progress.update,
    parallel: createWorkerTokenizing({
      dicPath,
      cacheDir: cacheDir ?? false,
      logger: { warn: (message) => io.stderr(`${NAME}: note: ${oneLine(message)}\n`) },
    }).run,
  })();
  progress.finish();
  if (E.isLeft(tokens)) return E.left(fromNlpError(tokens.left));
  return E.mapLeft(fromNlpError)(extractKeywordsFromTokens(tokens.right, params));
};

/**
 * Runs `ml-chatops keywords` with its own argv (after the sub-command name).
 *
 * @example
 * const code = await runKeywords(["--input", "talks.jsonl", "--top", "5"], processIo());
 */
export const runKeywords: CliCommand = async (argv, io) => {
  const fail = (f: Failure): number => {
    io.stderr(`${NAME}: ${oneLine(f.message)}\n`);
    return f.code;
  };
  const opts = toKeywordsOptions(argv, io.env);
  if (E.isLeft(opts)) return fail(opts.left);
  if (opts.right === "help") {
    io.stdout(KEYWORDS_USAGE);
    return 0;
  }
  const options = opts.right;
  const result = await run(options, io);
  if (E.isLeft(result)) return fail(result.left);
  if (options.resultFile !== undefined) {
    const written = await writeText(io, options.resultFile, `${toRankingsJson(result.right)}\n`, true);
    if (E.isLeft(written)) return fail(written.left);
  }
  const body = options.format === "json" ? `${JSON.stringify(result.right)}\n` : toKeywordsMarkdown(result.right);
  if (options.output === undefined) {
    io.stdout(body);
    return 0;
  }
  const written = await writeText(io, options.output, body);
  return E.isLeft(written) ? fail(written.left) : 0;
};

// The result file's folder is created (a declared result path such as out/result.json); --output's is not.
const writeText = async (io: CliIo, file: string, text: string, makeDir = false): Promise<E.Either<Failure, void>> => {
  try {
    const where = path.resolve(io.cwd, file);
    if (makeDir) await mkdir(path.dirname(where), { recursive: true });
    await writeFile(where, text, "utf8");
    return E.right(undefined);
  } catch (e) {
    return E.left(data(`cannot write the result: ${causeOf(e)} (${file})`));
  }
};
