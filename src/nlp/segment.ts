/**
 * Step d's unit of work: a document is tokenized one line at a time, as the mecab command reads
 * its input. Lines of printable ASCII skip kuromoji: its IPADIC has no half-width ASCII entries,
 * so it would only group character classes into unknown-word nouns, which the fast path does directly.
 */
import type { PosRule } from "./filter.js";
import type { Morpheme, Tokenize } from "./tokenizer.js";
import { splitByUserTerms, userTermMorpheme, type UserDictionary } from "./user-dictionary.js";

const ASCII_LINE = /^[\x20-\x7e]*$/;
const BLANK_LINE = /^[\s]*$/u;
// kuromoji's character classes for ASCII (IPADIC char.def): ALPHA, NUMERIC, SYMBOL, each grouped
// into one unknown word per run; SPACE becomes 記号/空白.
const LATIN_RUN = /[A-Za-z]+|[0-9]+|[^A-Za-z0-9 ]+/g;

/**
 * True when the Latin fast path gives the same morphemes' terms as kuromoji under `posFilter`:
 * the fast path yields only nouns (名詞), so a filter that drops some nouns must see kuromoji's
 * finer noun details instead.
 *
 * @example
 * latinFastPathApplies(DEFAULT_POS_FILTER); // true
 * latinFastPathApplies([{ pos: "名詞", posDetail1: "固有名詞" }]); // false
 */
export const latinFastPathApplies = (posFilter: ReadonlyArray<PosRule>): boolean =>
  !posFilter.some((r) => r.pos === "名詞");

/**
 * True when the line is printable ASCII only (space to tilde), the lines the fast path handles.
 *
 * @example
 * isLatinLine("python 0.0 in 0"); // true
 * isLatinLine("pythonで型"); // false
 */
export const isLatinLine = (line: string): boolean => ASCII_LINE.test(line);

/**
 * The fast path: kuromoji's morphemes for a printable-ASCII line, spaces left out (kuromoji makes
 * them 記号, which the recipe drops, and they have no letter or digit either way).
 *
 * @example
 * tokenizeLatinLine("fastapi 0 c++").map((m) => m.surface); // ["fastapi", "0", "c", "++"]
 */
export const tokenizeLatinLine = (line: string): ReadonlyArray<Morpheme> =>
  Array.from(line.matchAll(LATIN_RUN), ([run]) => {
    const c = run.charCodeAt(0);
    const isDigit = c >= 0x30 && c <= 0x39;
    const isAlpha = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    return { surface: run, pos: "名詞", posDetail1: isAlpha ? "一般" : isDigit ? "数" : "サ変接続", basicForm: "*" };
  });

/**
 * The lines of a pre-processed document that go to the tokenizer (blank lines carry no terms).
 *
 * @example
 * toLines("talk\n\n型\n"); // ["talk", "型"]
 */
export const toLines = (text: string): ReadonlyArray<string> => text.split("\n").filter((l) => !BLANK_LINE.test(l));

/**
 * True when tokenizing `text` needs kuromoji (some line is not for the fast path), so a corpus of
 * English only never loads the dictionary.
 *
 * @example
 * needsDictionary("hello world\n0", DEFAULT_POS_FILTER); // false
 * needsDictionary("hello\n世界", DEFAULT_POS_FILTER); // true
 */
export const needsDictionary = (text: string, posFilter: ReadonlyArray<PosRule>): boolean => {
  const fast = latinFastPathApplies(posFilter);
  return toLines(text).some((l) => !fast || !isLatinLine(l));
};

/**
 * Step d's tokenizing: line by line, fast path where it applies, kuromoji elsewhere; with a user
 * dictionary, its terms are cut out of each line first and kept whole. `tokenize` is only called
 * for text that needs it.
 *
 * @example
 * tokenizeDocument("talk 0\n型を書く", tk.tokenize, DEFAULT_POS_FILTER);
 */
export const tokenizeDocument = (
  text: string,
  tokenize: Tokenize,
  posFilter: ReadonlyArray<PosRule>,
  userDictionary?: UserDictionary,
): ReadonlyArray<Morpheme> => {
  const fast = latinFastPathApplies(posFilter);
  const plain = (line: string): ReadonlyArray<Morpheme> => (fast && isLatinLine(line) ? tokenizeLatinLine(line) : tokenize(line));
  return toLines(text).flatMap((line) =>
    userDictionary === undefined
      ? plain(line)
      : splitByUserTerms(line, userDictionary).flatMap((p) => (p.term ? [userTermMorpheme(p.text)] : plain(p.text))),
  );
};
