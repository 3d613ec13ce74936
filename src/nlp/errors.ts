/**
 * Errors of the NLP layer: tagged data, never thrown. Each one renders to a single line that
 * names what went wrong and where (file, line, field).
 */

/**
 * Why a corpus could not be read, the tokenizer could not be loaded, or TF-IDF could not run.
 *
 * @example
 * const e: NlpError = corpusLineInvalid("corpus.jsonl", 7, 'field "id" must be a string');
 * describeNlpError(e); // 'corpus.jsonl:7: field "id" must be a string'
 */
export type NlpError =
  | { readonly _tag: "CorpusLineInvalid"; readonly file: string; readonly line: number; readonly detail: string }
  | {
      readonly _tag: "CorpusDuplicateId";
      readonly file: string;
      readonly id: string;
      readonly firstLine: number;
      readonly line: number;
    }
  | { readonly _tag: "TokenizerUnavailable"; readonly dicPath: string; readonly cause: unknown }
  | { readonly _tag: "InvalidKeywordParams"; readonly detail: string }
  | { readonly _tag: "EmptyVocabulary"; readonly detail: string };

/**
 * A corpus line that is not valid JSON or lacks a required field.
 *
 * @example
 * corpusLineInvalid("c.jsonl", 3, "not valid JSON");
 * @internal */
export const corpusLineInvalid = (file: string, line: number, detail: string): NlpError => ({
  _tag: "CorpusLineInvalid",
  file,
  line,
  detail,
});

/**
 * Two corpus lines with the same document id.
 *
 * @example
 * corpusDuplicateId("c.jsonl", "talk-1", 2, 9);
 * @internal */
export const corpusDuplicateId = (file: string, id: string, firstLine: number, line: number): NlpError => ({
  _tag: "CorpusDuplicateId",
  file,
  id,
  firstLine,
  line,
});

/**
 * The kuromoji dictionary could not be loaded.
 *
 * @example
 * tokenizerUnavailable("/nowhere/dict", new Error("ENOENT"));
 * @internal */
export const tokenizerUnavailable = (dicPath: string, cause: unknown): NlpError => ({
  _tag: "TokenizerUnavailable",
  dicPath,
  cause,
});

/**
 * A keyword parameter has a bad value or the parameters contradict each other.
 *
 * @example
 * invalidKeywordParams('max_df: expected a share in [0, 1] or a count >= 1, got "-1"');
 * @internal */
export const invalidKeywordParams = (detail: string): NlpError => ({ _tag: "InvalidKeywordParams", detail });

/**
 * No term is left to score (as scikit-learn refuses to fit on an empty vocabulary).
 *
 * @example
 * emptyVocabulary("after pruning, no terms remain; try a lower min_df or a higher max_df");
 * @internal */
export const emptyVocabulary = (detail: string): NlpError => ({ _tag: "EmptyVocabulary", detail });

const causeLine = (cause: unknown): string => {
  if (cause instanceof Error) return (cause.message.split("\n")[0] ?? "").trim() || cause.name;
  return String(cause).split("\n")[0] ?? "";
};

/**
 * One readable line for any NLP error.
 *
 * @example
 * describeNlpError(corpusDuplicateId("c.jsonl", "a", 1, 4)); // 'c.jsonl:4: duplicate id "a" (first on line 1)'
 */
export const describeNlpError = (e: NlpError): string => {
  switch (e._tag) {
    case "CorpusLineInvalid":
      return `${e.file}:${e.line}: ${e.detail}`;
    case "CorpusDuplicateId":
      return `${e.file}:${e.line}: duplicate id ${JSON.stringify(e.id)} (first on line ${e.firstLine})`;
    case "TokenizerUnavailable":
      return `kuromoji dictionary could not be loaded from ${e.dicPath}: ${causeLine(e.cause)}`;
    case "InvalidKeywordParams":
      return `invalid keyword parameters: ${e.detail}`;
    case "EmptyVocabulary":
      return `empty vocabulary: ${e.detail}`;
  }
};
