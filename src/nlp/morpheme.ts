/** What a tokenizer gives the keyword recipe. */

/**
 * One morpheme as the keyword recipe needs it (a subset of kuromoji's IPADIC features).
 *
 * @example
 * const m: Morpheme = { surface: "話し", pos: "動詞", posDetail1: "自立", basicForm: "話す" };
 */
export type Morpheme = {
  readonly surface: string;
  readonly pos: string;
  readonly posDetail1: string;
  /** `*` when the dictionary has no base form (unknown words). */
  readonly basicForm: string;
};

/**
 * Splits a text into morphemes.
 *
 * @example
 * const whitespace: Tokenize = (text) =>
 *   text.split(/\s+/).filter((w) => w !== "").map((w) => ({ surface: w, pos: "名詞", posDetail1: "一般", basicForm: w }));
 */
export type Tokenize = (text: string) => ReadonlyArray<Morpheme>;
