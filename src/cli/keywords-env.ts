/**
 * `ml-chatops keywords --params-from-env --result-file FILE`: the keyword experiment as a
 * declared experiment runs it. The parameters come from `ML_CHATOPS_PARAM_<KEY>` (as
 * `ml-chatops exec` sets them), checked exactly like the flags; the result is written in the
 * result contract's `rankings` form.
 */
import * as E from "fp-ts/Either";
import type { KeywordResult } from "../index.js";
import { parseDocFrequency, type KeywordParams } from "../nlp/index.js";

/** The prefix of every parameter variable. */
export const PARAM_ENV_PREFIX = "ML_CHATOPS_PARAM_";

/**
 * The parameter variables `--params-from-env` reads, each with the flag it stands for.
 *
 * @example
 * KEYWORD_PARAM_ENV.MAX_DF; // "--max-df"
 */
export const KEYWORD_PARAM_ENV = {
  TOP: "--top",
  MAX_DF: "--max-df",
  MIN_DF: "--min-df",
  NORM: "--norm",
  SUBLINEAR_TF: "--sublinear-tf",
  USE_IDF: "--no-idf",
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const bool = (name: string, value: string): E.Either<string, boolean> =>
  value === "true" || value === "false"
    ? E.right(value === "true")
    : E.left(`expected true or false, got ${JSON.stringify(value.slice(0, 64))} (${name})`);

/**
 * Reads the TF-IDF parameters from the environment over `base` (the defaults). An unset
 * variable keeps the default; a set one must be valid, and a `ML_CHATOPS_PARAM_*` variable this
 * experiment does not know is refused rather than ignored. Left: one line naming the variable.
 *
 * @example
 * keywordParamsFromEnv({ ML_CHATOPS_PARAM_TOP: "5" }, DEFAULT_KEYWORD_PARAMS); // Right({ …, top: 5 })
 * keywordParamsFromEnv({ ML_CHATOPS_PARAM_TOP: "0" }, DEFAULT_KEYWORD_PARAMS); // Left('expected a positive integer, got "0" (ML_CHATOPS_PARAM_TOP)')
 */
export const keywordParamsFromEnv = (env: Env, base: KeywordParams): E.Either<string, KeywordParams> => {
  const known = Object.keys(KEYWORD_PARAM_ENV).map((k) => `${PARAM_ENV_PREFIX}${k}`);
  const stray = Object.keys(env)
    .filter((name) => name.startsWith(PARAM_ENV_PREFIX) && env[name] !== undefined && !known.includes(name))
    .sort()[0];
  if (stray !== undefined) {
    return E.left(`unknown parameter variable ${stray} (tfidf-keywords reads ${known.join(", ")})`);
  }
  const read = (key: keyof typeof KEYWORD_PARAM_ENV): { readonly name: string; readonly value: string | undefined } => {
    const name = `${PARAM_ENV_PREFIX}${key}`;
    return { name, value: env[name] };
  };
  let params = base;
  const top = read("TOP");
  if (top.value !== undefined) {
    if (!/^[1-9][0-9]{0,2}$/.test(top.value))
      return E.left(`expected an integer from 1 to 999, got ${JSON.stringify(top.value.slice(0, 64))} (${top.name})`);
    params = { ...params, top: Number(top.value) as KeywordParams["top"] };
  }
  for (const [key, field] of [
    ["MAX_DF", "maxDf"],
    ["MIN_DF", "minDf"],
  ] as const) {
    const v = read(key);
    if (v.value === undefined) continue;
    const df = parseDocFrequency(v.value.slice(0, 64));
    if (E.isLeft(df)) return E.left(`${df.left} (${v.name})`);
    params = { ...params, [field]: df.right };
  }
  const norm = read("NORM");
  if (norm.value !== undefined) {
    if (norm.value !== "l1" && norm.value !== "l2" && norm.value !== "none") {
      return E.left(`expected l1, l2 or none, got ${JSON.stringify(norm.value.slice(0, 64))} (${norm.name})`);
    }
    params = { ...params, norm: norm.value };
  }
  for (const [key, field] of [
    ["SUBLINEAR_TF", "sublinearTf"],
    ["USE_IDF", "useIdf"],
  ] as const) {
    const v = read(key);
    if (v.value === undefined) continue;
    const b = bool(v.name, v.value);
    if (E.isLeft(b)) return b;
    params = { ...params, [field]: b.right };
  }
  return E.right(params);
};

/**
 * The keyword result in the result contract's form,
 * `{"rankings":{"keywords":{"<doc id>":[{"term","score"}]}}}`, as JSON text. Written by hand so
 * the documents stay in corpus order even when ids look like numbers (a JavaScript object would
 * move those first). Ids are unique: the corpus readers refuse a repeated one.
 *
 * @example
 * toRankingsJson({ documents: [{ id: "b", keywords: [] }, { id: "1", keywords: [] }] });
 * // '{"rankings":{"keywords":{"b":[],"1":[]}}}'
 */
export const toRankingsJson = (result: KeywordResult): string => {
  const entries = result.documents.map(
    (doc) => `${JSON.stringify(doc.id)}:${JSON.stringify(doc.keywords.map((k) => ({ term: k.term, score: k.score })))}`,
  );
  return `{"rankings":{"keywords":{${entries.join(",")}}}}`;
};
