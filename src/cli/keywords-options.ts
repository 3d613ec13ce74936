/**
 * The flags of `ml-chatops keywords`: its `--help`, their checks, and the one-line failures with
 * exit codes the command prints.
 */
import * as E from "fp-ts/Either";
import { DEFAULT_KEYWORD_PARAMS, parseDocFrequency, type KeywordParams } from "../nlp/index.js";
import type { CliIo } from "./io.js";
import { keywordParamsFromEnv } from "./keywords-env.js";
import { parseFlags } from "./parse-flags.js";

/**
 * The `--help` text.
 *
 * @example
 * io.stdout(KEYWORDS_USAGE);
 */
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

/**
 * A failure: the one line to print and the exit code (2 bad usage, 1 bad data).
 *
 * @example
 * const f: Failure = usage("expected l1, l2 or none, got \"l3\" (--norm)");
 */
export type Failure = { readonly code: 1 | 2; readonly message: string };
/** A usage failure (exit code 2): a flag or an ML_CHATOPS_PARAM_* value is wrong. */
export const usage = (message: string): Failure => ({ code: 2, message });
/** A data failure (exit code 1): a file or the corpus is wrong. */
export const data = (message: string): Failure => ({ code: 1, message });
/** `s` on one line, so a message never spans lines on stderr. */
export const oneLine = (s: string): string => s.replace(/[\r\n]+/g, " ").trim();
/** The one-line message of a caught value. */
export const causeOf = (e: unknown): string => oneLine(e instanceof Error ? e.message : String(e));

/**
 * What `ml-chatops keywords` was asked to do, after its flags are checked.
 *
 * @example
 * const opts = toKeywordsOptions(["--input", "talks.jsonl"], {}); // Right({ source: { kind: "input", … }, … })
 */
export type KeywordsOptions = {
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

/**
 * Checks the flags (and, with `--params-from-env`, the ML_CHATOPS_PARAM_* variables); "help" for
 * `--help`. Every refusal is one line naming the flag.
 *
 * @example
 * toKeywordsOptions(["--input", "c.jsonl", "--norm", "l3"], {}); // Left({ code: 2, message: 'expected l1, l2 or none, got "l3" (--norm)' })
 */
export const toKeywordsOptions = (
  argv: ReadonlyArray<string>,
  env: CliIo["env"],
): E.Either<Failure, KeywordsOptions | "help"> => {
  const parsedFlags = parseFlags({
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
  });
  if (E.isLeft(parsedFlags)) return E.left(usage(`${oneLine(parsedFlags.left)} (arguments; see --help)`));
  const { values } = parsedFlags.right;
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
