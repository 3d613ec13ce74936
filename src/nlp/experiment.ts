/**
 * The default `Experiment`: TF-IDF keywords, run as `ml-chatops keywords` inside the checkout, and
 * itself a declared experiment (see {@link tfidfKeywordsSpec}).
 */
import * as E from "fp-ts/Either";
import { invalidParams, type ExperimentError } from "../core/errors.js";
import type { CommandArgs } from "../core/model.js";
import { createDeclaredExperiment } from "../core/declared-experiment.js";
import type { ExperimentSpec } from "../core/experiment-spec.js";
import type { Experiment, ParamSpec } from "../core/ports.js";
import { DEFAULT_KEYWORD_PARAMS, type KeywordParams } from "./keywords.js";
import { formatDocFrequency, parseDocFrequency, type DocFrequency, type PositiveInt } from "./tfidf.js";

/** The experiment id used in commands, run keys and reports. */
export const TFIDF_KEYWORDS_ID = "tfidf-keywords";

const PARAM_SPECS: ReadonlyArray<ParamSpec> = [
  { key: "top", description: "keywords per document, an integer 1-999", default: "10" },
  {
    key: "max_df",
    description: "drop terms in more documents than this: a share 0.0-1.0 or a count >= 1",
    default: "0.5",
  },
  {
    key: "min_df",
    description: "drop terms in fewer documents than this: a share 0.0-1.0 or a count >= 1",
    default: "1",
  },
  { key: "sublinear_tf", description: "use 1 + ln(tf): true or false", default: "false" },
  { key: "norm", description: "row normalisation: l1, l2 or none", default: "l2" },
  { key: "use_idf", description: "weight by inverse document frequency: true or false", default: "true" },
];
const KEYS = PARAM_SPECS.map((s) => s.key);

type Parsed = {
  top: number;
  maxDf: DocFrequency;
  minDf: DocFrequency;
  sublinearTf: boolean;
  norm: KeywordParams["norm"];
  useIdf: boolean;
};

const bool = (key: string, v: string): E.Either<ExperimentError, boolean> =>
  v === "true" || v === "false"
    ? E.right(v === "true")
    : E.left(invalidParams(`${key}: expected true or false, got ${JSON.stringify(v)}`));

const docFreq = (key: string, v: string): E.Either<ExperimentError, DocFrequency> =>
  E.mapLeft((why: string) => invalidParams(`${key}: ${why}`))(parseDocFrequency(v.slice(0, 64)));

const parseAll = (args: CommandArgs): E.Either<ExperimentError, Parsed> => {
  const unknown = Object.keys(args).find((k) => !KEYS.includes(k));
  if (unknown !== undefined) {
    return E.left(
      invalidParams(`unknown parameter ${JSON.stringify(unknown.slice(0, 64))} (allowed: ${KEYS.join(", ")})`),
    );
  }
  const d = DEFAULT_KEYWORD_PARAMS;
  const top = args["top"] ?? String(d.top);
  if (!/^[1-9][0-9]{0,2}$/.test(top)) {
    return E.left(invalidParams(`top: expected an integer from 1 to 999, got ${JSON.stringify(top.slice(0, 64))}`));
  }
  const norm = args["norm"] ?? d.norm;
  if (norm !== "l1" && norm !== "l2" && norm !== "none") {
    return E.left(invalidParams(`norm: expected l1, l2 or none, got ${JSON.stringify(norm.slice(0, 64))}`));
  }
  const maxDf = docFreq("max_df", args["max_df"] ?? formatDocFrequency(d.maxDf));
  const minDf = docFreq("min_df", args["min_df"] ?? formatDocFrequency(d.minDf));
  const sublinearTf = bool("sublinear_tf", args["sublinear_tf"] ?? String(d.sublinearTf));
  const useIdf = bool("use_idf", args["use_idf"] ?? String(d.useIdf));
  if (E.isLeft(maxDf)) return maxDf;
  if (E.isLeft(minDf)) return minDf;
  if (E.isLeft(sublinearTf)) return sublinearTf;
  if (E.isLeft(useIdf)) return useIdf;
  // Same kinds compare without knowing the corpus size; mixed kinds are checked when the corpus is read.
  if (maxDf.right.kind === minDf.right.kind && maxDf.right.value < minDf.right.value) {
    return E.left(
      invalidParams(
        `max_df (${formatDocFrequency(maxDf.right)}) must not be below min_df (${formatDocFrequency(minDf.right)})`,
      ),
    );
  }
  return E.right({
    top: Number(top),
    maxDf: maxDf.right,
    minDf: minDf.right,
    sublinearTf: sublinearTf.right,
    norm,
    useIdf: useIdf.right,
  });
};

const toRecord = (p: Parsed): Readonly<Record<string, string>> => ({
  top: String(p.top),
  max_df: formatDocFrequency(p.maxDf),
  min_df: formatDocFrequency(p.minDf),
  sublinear_tf: String(p.sublinearTf),
  norm: p.norm,
  use_idf: String(p.useIdf),
});

/**
 * Turns experiment parameters (as `parseParams` returns them) into `KeywordParams`, for running
 * the experiment in-process.
 *
 * @example
 * toKeywordParamsFromArgs({ max_df: "0.4" }); // Right({ ...DEFAULT_KEYWORD_PARAMS, maxDf: { kind: "share", value: 0.4 } })
 */
export const toKeywordParamsFromArgs = (args: CommandArgs): E.Either<ExperimentError, KeywordParams> =>
  E.map((p: Parsed) => ({ ...DEFAULT_KEYWORD_PARAMS, ...p, top: p.top as PositiveInt }))(parseAll(args));

/** Where the built-in experiment writes its result, relative to the checkout. @internal */
export const TFIDF_RESULT_PATH = ".ml-chatops/result.json";

/** A document frequency's form: a count (2) or a share with a decimal point (0.5); the CLI checks the range. */
const DOC_FREQUENCY_PATTERN = "^(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$";

/**
 * The built-in experiment written as a declared one, as `.github/ml-chatops.yml` could say it:
 * the installed CLI's `keywords` reads its parameters from the environment and writes the result
 * contract (ranking `keywords`). The CLI checks document frequencies further (a share is at most
 * 1, max_df not below min_df); `parseParams` does those checks before approval too.
 *
 * @example
 * tfidfKeywordsSpec({ corpusPath: "examples/data/sample-talks.jsonl" }).command;
 * // ["ml-chatops", "keywords", "--input=examples/data/sample-talks.jsonl", "--params-from-env", "--result-file=.ml-chatops/result.json"]
 * @internal */
export const tfidfKeywordsSpec = (opts: { readonly corpusPath: string }): ExperimentSpec => {
  const d = DEFAULT_KEYWORD_PARAMS;
  const desc = (key: string): string => PARAM_SPECS.find((p) => p.key === key)?.description ?? key;
  return {
    // Values are joined to their flags with `=`, so a path can never be read as another flag.
    command: [
      "ml-chatops",
      "keywords",
      `--input=${opts.corpusPath}`,
      "--params-from-env",
      `--result-file=${TFIDF_RESULT_PATH}`,
    ],
    params: {
      top: { type: "integer", min: 1, max: 999, default: d.top, description: desc("top") },
      max_df: {
        type: "string",
        pattern: DOC_FREQUENCY_PATTERN,
        default: formatDocFrequency(d.maxDf),
        description: desc("max_df"),
      },
      min_df: {
        type: "string",
        pattern: DOC_FREQUENCY_PATTERN,
        default: formatDocFrequency(d.minDf),
        description: desc("min_df"),
      },
      sublinear_tf: {
        type: "enum",
        values: ["true", "false"],
        default: String(d.sublinearTf),
        description: desc("sublinear_tf"),
      },
      norm: { type: "enum", values: ["l1", "l2", "none"], default: d.norm, description: desc("norm") },
      use_idf: { type: "enum", values: ["true", "false"], default: String(d.useIdf), description: desc("use_idf") },
    },
    result: TFIDF_RESULT_PATH,
    metrics: {},
  };
};

/**
 * The default experiment, built from {@link tfidfKeywordsSpec}. `corpusPath` is the corpus inside
 * the checkout (relative to its root). Parameters reach the CLI as `ML_CHATOPS_PARAM_<KEY>`.
 *
 * @example
 * const exp = createTfidfKeywordsExperiment({ corpusPath: "examples/data/talks.jsonl" });
 * exp.parseParams({ max_df: "0.4" }); // Right({ top: "10", max_df: "0.4", min_df: "1", … })
 * exp.paramEnv({ top: "5" }); // { ML_CHATOPS_PARAM_TOP: "5", ML_CHATOPS_PARAMS_JSON: "{\"top\":5}" }
 */
export const createTfidfKeywordsExperiment = (opts: { readonly corpusPath: string }): Experiment => ({
  ...createDeclaredExperiment(TFIDF_KEYWORDS_ID, tfidfKeywordsSpec(opts)),
  // The richer checks of the CLI (share vs count, max_df >= min_df), with the original help texts.
  params: PARAM_SPECS,
  parseParams: (args) => E.map(toRecord)(parseAll(args)),
});
