/**
 * The demo's bundled baseline (examples/data/baseline.json): how it is computed, and how it is
 * read. It is our own keyword extractor's output on the sample corpus with settings different
 * from the demo's defaults, so the demo always shows a real diff.
 *
 * Regenerate: `npx tsx src/cli/main.ts demo --write-baseline examples/data/baseline.json`
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as E from "fp-ts/Either";
import { parseBaselineFile, type BaselineFile } from "../adapters/local/index.js";
import { describeError, type BaselineMeta, type KeywordResult, type Sha } from "../index.js";
import {
  describeNlpError,
  extractKeywords,
  fromKeywordResult,
  parseCorpus,
  TFIDF_KEYWORDS_ID,
  toKeywordParamsFromArgs,
} from "../nlp/index.js";
import type { Tokenize } from "../nlp/index.js";

/** The settings the bundled baseline was computed with (the demo default is max_df=0.5). */
export const DEMO_BASELINE_PARAMS: Readonly<Record<string, string>> = { max_df: "0.8", top: "10" };

/** Provenance recorded in the bundled baseline: placeholders, as no real PR produced it. */
export const DEMO_BASELINE_META: BaselineMeta = {
  pr: { owner: "demo", repo: "talk-keywords", number: 0 },
  sha: "0000000000000000000000000000000000000000" as Sha,
  promotedBy: { login: "ml-chatops-demo", id: 0 },
  promotedAt: "2026-01-01T00:00:00.000Z",
  params: DEMO_BASELINE_PARAMS,
  forced: false,
};

/** Files the demo reads, resolved from the package root (never the working directory). */
export const demoPaths = (): { readonly root: string; readonly corpus: string; readonly baseline: string } => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  return {
    root,
    corpus: join(root, "examples", "data", "sample-talks.jsonl"),
    baseline: join(root, "examples", "data", "baseline.json"),
  };
};

/**
 * Runs the keyword experiment in-process on a corpus text with command-style parameters.
 *
 * @example
 * computeKeywords(tokenize, text, "sample-talks.jsonl", { max_df: "0.4" });
 */
export const computeKeywords = (
  tokenize: Tokenize,
  corpusText: string,
  corpusFile: string,
  args: Readonly<Record<string, string>>,
): E.Either<string, KeywordResult> => {
  const params = toKeywordParamsFromArgs(args);
  if (E.isLeft(params)) return E.left(describeError(params.left));
  const docs = parseCorpus(corpusFile, corpusText);
  if (E.isLeft(docs)) return E.left(describeNlpError(docs.left));
  const result = extractKeywords(docs.right, tokenize, params.right);
  return E.isLeft(result) ? E.left(describeNlpError(result.left)) : E.right(result.right);
};

/**
 * Computes the content of examples/data/baseline.json from the sample corpus.
 *
 * @example
 * const file = buildDemoBaseline(tokenize, corpusText, "examples/data/sample-talks.jsonl");
 */
export const buildDemoBaseline = (
  tokenize: Tokenize,
  corpusText: string,
  corpusFile: string,
): E.Either<string, BaselineFile> =>
  E.map((result: KeywordResult): BaselineFile => ({
    [TFIDF_KEYWORDS_ID]: { result: fromKeywordResult(result), meta: DEMO_BASELINE_META },
  }))(computeKeywords(tokenize, corpusText, corpusFile, DEMO_BASELINE_PARAMS));

/**
 * Reads and decodes a baseline file; the error names the file and field.
 *
 * @example
 * const baseline = await loadBaselineFile(demoPaths().baseline);
 */
export const loadBaselineFile = async (file: string): Promise<E.Either<string, BaselineFile>> => {
  try {
    const parsed = parseBaselineFile(await readFile(file, "utf8"), file);
    return E.isLeft(parsed) ? E.left(describeError(parsed.left)) : parsed;
  } catch (e) {
    return E.left(`cannot read the baseline ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
};
