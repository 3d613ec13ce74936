/**
 * `ml-chatops keywords`: the TF-IDF keyword experiment as a command.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as E from "fp-ts/Either";
import type { KeywordResult } from "../core/model.js";
import * as TE from "fp-ts/TaskEither";
import {
  createFileTokenCache,
  createWorkerTokenizing,
  DEFAULT_KEYWORD_PARAMS,
  dictionaryFingerprint,
  extractKeywordsFromTokens,
  loadKuromojiTokenizer,
  parseCorpus,
  parseDocFrequency,
  parseTokenizedCorpus,
  parseUserDictionary,
  resolveKuromojiDicPath,
  tokenizeCorpus,
  type KeywordParams,
  type NlpError,
  type Tokenize,
  type UserDictionary,
} from "../nlp/index.js";
import { defaultCacheDir, progressReporter } from "./keywords-progress.js";
import type { CliCommand, CliIo } from "./io.js";
import { toKeywordsMarkdown } from "./keywords-markdown.js";
import { keywordParamsFromEnv, toRankingsJson } from "./keywords-env.js";

const NAME = "ml-chatops keywords";

/** The `--help` text. */
export const KEYWORDS_USAGE = `Usage: ml-chatops keywords (--input corpus.jsonl | --pretokenized tokens.jsonl) [options]

Extracts TF-IDF keywords per document (the tfidf-keywords experiment).

  --input FILE          JSON Lines corpus, one {"id","title","text"} per line
  --pretokenized FILE   JSON Lines, one {"id","tokens":[...]} per line; skips
                        normalisation and tokenizing, keeps term filtering and TF-IDF
  --top N               keywords per document, 1 to 999 (default 10)
  --max-df X            drop terms in more documents than X: a share written with
                        a decimal point (0.5) or a count (3) (default 0.5)
  --min-df X            drop terms in fewer documents than X, same forms (default 1)
  --sublinear-tf        use 1 + ln(tf) instead of raw counts
  --norm l1|l2|none     row normalisation (default l2)
  --no-idf              do not weight by inverse document frequency
  --no-smooth-idf       idf = ln(n / df) + 1 instead of ln((1 + n) / (1 + df)) + 1
  --stop-words FILE     extra stop words, one per line (blank lines ignored)
  --user-dictionary FILE  terms to keep whole (one per line, e.g. jig-py, 有価証券報告書);
                        off by default
  --cache-dir DIR       token and dictionary cache (default: node_modules/.cache/ml-chatops
                        of the nearest package.json above the working directory)
  --no-cache            neither read nor write any cache
  --quiet               no progress on stderr (progress shows only on a terminal)
  --format json|markdown  output format (default json)
  --output FILE         write the result to FILE instead of stdout
  --params-from-env     read the parameters from ML_CHATOPS_PARAM_TOP, _MAX_DF, _MIN_DF,
                        _NORM, _SUBLINEAR_TF and _USE_IDF (true|false), as "ml-chatops exec"
                        sets them; unset ones keep their defaults; not with those flags
  --result-file FILE    also write the result in the result contract's form:
                        {"rankings":{"keywords":{"<id>":[{"term","score"}]}}}
  -h, --help            show this help

JSON output: {"documents":[{"id":"...","keywords":[{"term":"...","score":0.1234}]}]}
Exit codes: 0 ok, 1 bad data (corpus, files), 2 bad usage (flags, ML_CHATOPS_PARAM_* values).
`;

/** A failure: the one line to print and the exit code. */
type Failure = { readonly code: 1 | 2; readonly message: string };
const usage = (message: string): Failure => ({ code: 2, message });
const data = (message: string): Failure => ({ code: 1, message });
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, " ").trim();
const causeOf = (e: unknown): string => oneLine(e instanceof Error ? e.message : String(e));

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

type Options = {
  readonly source: { readonly kind: "input" | "pretokenized"; readonly file: string };
  readonly params: KeywordParams;
  readonly stopWordsFile: string | undefined;
  readonly userDictionaryFile: string | undefined;
  readonly cacheDir: string | undefined;
  readonly noCache: boolean;
  readonly quiet: boolean;
  readonly format: "json" | "markdown";
  readonly output: string | undefined;
  readonly resultFile: string | undefined;
};

const PARAM_FLAGS = ["top", "max-df", "min-df", "sublinear-tf", "norm", "no-idf"] as const;

const toOptions = (argv: ReadonlyArray<string>, env: CliIo["env"]): E.Either<Failure, Options | "help"> => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        input: { type: "string" },
        pretokenized: { type: "string" },
        top: { type: "string" },
        "max-df": { type: "string" },
        "min-df": { type: "string" },
        "sublinear-tf": { type: "boolean" },
        norm: { type: "string" },
        "no-idf": { type: "boolean" },
        "no-smooth-idf": { type: "boolean" },
        "stop-words": { type: "string" },
        "user-dictionary": { type: "string" },
        "cache-dir": { type: "string" },
        "no-cache": { type: "boolean" },
        quiet: { type: "boolean" },
        format: { type: "string" },
        output: { type: "string" },
        "params-from-env": { type: "boolean" },
        "result-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    return E.left(usage(`${causeOf(e)} (arguments; see --help)`));
  }
  if (values.help === true) return E.right("help");
  if ((values.input === undefined) === (values.pretokenized === undefined)) {
    return E.left(usage("give exactly one of --input or --pretokenized (arguments)"));
  }
  const source =
    values.input !== undefined
      ? { kind: "input" as const, file: values.input }
      : { kind: "pretokenized" as const, file: values.pretokenized ?? "" };
  const fromEnv = values["params-from-env"] === true;
  const both = PARAM_FLAGS.find((f) => values[f] !== undefined);
  if (fromEnv && both !== undefined)
    return E.left(usage(`--${both} and --params-from-env both set the parameters; give one (arguments)`));
  const top = values.top ?? String(DEFAULT_KEYWORD_PARAMS.top);
  // The result contract keeps at most 1,000 items a list; the experiment's own range is 1..999.
  if (!/^[1-9][0-9]{0,2}$/.test(top))
    return E.left(usage(`expected an integer from 1 to 999, got ${JSON.stringify(top.slice(0, 64))} (--top)`));
  const maxDf =
    values["max-df"] === undefined ? E.right(DEFAULT_KEYWORD_PARAMS.maxDf) : parseDocFrequency(values["max-df"]);
  if (E.isLeft(maxDf)) return E.left(usage(`${maxDf.left} (--max-df)`));
  const minDf =
    values["min-df"] === undefined ? E.right(DEFAULT_KEYWORD_PARAMS.minDf) : parseDocFrequency(values["min-df"]);
  if (E.isLeft(minDf)) return E.left(usage(`${minDf.left} (--min-df)`));
  const norm = values.norm ?? DEFAULT_KEYWORD_PARAMS.norm;
  if (norm !== "l1" && norm !== "l2" && norm !== "none") {
    return E.left(usage(`expected l1, l2 or none, got ${JSON.stringify(norm)} (--norm)`));
  }
  const format = values.format ?? "json";
  if (format !== "json" && format !== "markdown") {
    return E.left(usage(`expected json or markdown, got ${JSON.stringify(format)} (--format)`));
  }
  const flagParams: KeywordParams = {
    ...DEFAULT_KEYWORD_PARAMS,
    top: Number(top) as KeywordParams["top"],
    maxDf: maxDf.right,
    minDf: minDf.right,
    sublinearTf: values["sublinear-tf"] === true,
    norm,
    useIdf: values["no-idf"] !== true,
    smoothIdf: values["no-smooth-idf"] !== true,
  };
  const params = fromEnv ? keywordParamsFromEnv(env, flagParams) : E.right(flagParams);
  if (E.isLeft(params)) return E.left(usage(params.left));
  return E.right({
    source,
    params: params.right,
    stopWordsFile: values["stop-words"],
    userDictionaryFile: values["user-dictionary"],
    cacheDir: values["cache-dir"],
    noCache: values["no-cache"] === true,
    quiet: values.quiet === true,
    format,
    output: values.output,
    resultFile: values["result-file"],
  });
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

const run = async (opts: Options, io: CliIo): Promise<E.Either<Failure, KeywordResult>> => {
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
  const opts = toOptions(argv, io.env);
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
