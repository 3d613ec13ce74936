/**
 * Steps d (part-of-speech filter, term choice) and e (term filter) of the default recipe.
 */
import * as t from "io-ts";
import { ENGLISH_STOP_WORDS } from "./stop-words.js";
import type { Morpheme } from "./tokenizer.js";

/**
 * Drops a morpheme whose part of speech is `pos` and, when given, whose first detail is `posDetail1`.
 *
 * @example
 * const rule: PosRule = { pos: "動詞", posDetail1: "非自立" };
 */
export const PosRule = t.intersection([t.type({ pos: t.string }), t.partial({ posDetail1: t.string })]);
export type PosRule = t.TypeOf<typeof PosRule>;

/**
 * The default part-of-speech filter: particles, auxiliary verbs, symbols and dependent verbs.
 *
 * @example
 * DEFAULT_POS_FILTER.length; // 4
 */
export const DEFAULT_POS_FILTER: ReadonlyArray<PosRule> = [
  { pos: "助詞" },
  { pos: "助動詞" },
  { pos: "記号" },
  { pos: "動詞", posDetail1: "非自立" },
];

import { isDroppedByPos, toTerm } from "./pos-terms.js";

export { isDroppedByPos, toTerm };

const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const isOneAsciiChar = (term: string): boolean => term.length === 1 && term.charCodeAt(0) < 0x80;

/**
 * Step e for one term: it has a letter or digit (any script), is not a single ASCII character,
 * and is not a stop word.
 *
 * @example
 * isKeptTerm("python", ENGLISH_STOP_WORDS); // true
 * isKeptTerm("x", ENGLISH_STOP_WORDS); // false
 * isKeptTerm("the", ENGLISH_STOP_WORDS); // false
 * @internal */
export const isKeptTerm = (term: string, stopWords: ReadonlySet<string>): boolean =>
  HAS_LETTER_OR_DIGIT.test(term) && !isOneAsciiChar(term) && !stopWords.has(term);

/**
 * scikit-learn's English stop words plus `extra`.
 *
 * @example
 * toStopWords(["talk"]).has("talk"); // true
 * @internal */
export const toStopWords = (extra: ReadonlyArray<string>): ReadonlySet<string> =>
  extra.length === 0 ? ENGLISH_STOP_WORDS : new Set([...ENGLISH_STOP_WORDS, ...extra]);

/**
 * Step e over a token list (the `--pretokenized` path starts here).
 *
 * @example
 * filterTerms(["the", "python", "型", "-"], ENGLISH_STOP_WORDS); // ["python", "型"]
 * @internal */
export const filterTerms = (tokens: ReadonlyArray<string>, stopWords: ReadonlySet<string>): ReadonlyArray<string> =>
  tokens.filter((term) => isKeptTerm(term, stopWords));

/**
 * Steps d and e: morphemes to terms.
 *
 * @example
 * toTerms(tokenize("pythonで型を書いた"), DEFAULT_POS_FILTER, ENGLISH_STOP_WORDS); // ["python", "型", "書く"]
 * @internal */
export const toTerms = (
  morphemes: ReadonlyArray<Morpheme>,
  posFilter: ReadonlyArray<PosRule>,
  stopWords: ReadonlySet<string>,
): ReadonlyArray<string> => filterTerms(morphemes.filter((m) => !isDroppedByPos(m, posFilter)).map(toTerm), stopWords);
