/**
 * Step d's unit of work: a document is tokenized one line at a time, as the mecab command reads
 * its input. Lines in Latin script skip the dictionary: printable ASCII, accented Latin letters
 * (Latin-1, Latin Extended-A/B, Latin Extended Additional) and the symbols of Latin-1 and General
 * Punctuation (curly quotes, dashes, ellipsis). IPADIC has no word starting with any of those
 * letters or digits, so the lattice can only group each run of letters, of digits and of other
 * characters into one unknown word; the symbols that do start words (quotes, dashes) start only
 * words without a letter or digit, which step e drops either way. The fast path does the grouping
 * directly. The character ranges follow IPADIC's char.def classes (ALPHA, NUMERIC, SYMBOL);
 * test/nlp/latin-fast-path.test.ts checks them and those claims against the dictionary.
 */
import type { PosRule } from "./filter.js";
import type { Morpheme, Tokenize } from "./tokenizer.js";
import { splitByUserTerms, userTermMorpheme, type UserDictionary } from "./user-terms.js";

/** Letters of IPADIC's ALPHA class the fast path takes (× and ÷ are ALPHA but start words). @internal */
export const LATIN_LETTERS = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u0236\u1E00-\u1EF9";
/** Symbols of IPADIC's SYMBOL class the fast path takes (besides ASCII ones). @internal */
export const LATIN_SYMBOLS = "\u00A1-\u00BF\u2000-\u206F\u20A0-\u20CF";
const LATIN_LINE = new RegExp(`^[\\x20-\\x7e${LATIN_LETTERS}${LATIN_SYMBOLS}]*$`);
const BLANK_LINE = /^[\s]*$/u;
// Each run of letters, of digits and of other characters becomes one unknown word (spaces, which
// kuromoji makes 記号/空白 and the recipe drops, are left out).
const LATIN_RUN = new RegExp(`[${LATIN_LETTERS}]+|[0-9]+|[^${LATIN_LETTERS}0-9 ]+`, "g");
const LATIN_LETTER = new RegExp(`^[${LATIN_LETTERS}]`);

/**
 * True when the Latin fast path gives the same morphemes' terms as kuromoji under `posFilter`:
 * the fast path yields only nouns (名詞), so a filter that drops some nouns must see kuromoji's
 * finer noun details instead.
 *
 * @example
 * latinFastPathApplies(DEFAULT_POS_FILTER); // true
 * latinFastPathApplies([{ pos: "名詞", posDetail1: "固有名詞" }]); // false
 * @internal */
export const latinFastPathApplies = (posFilter: ReadonlyArray<PosRule>): boolean =>
  !posFilter.some((r) => r.pos === "名詞");

/**
 * True when the line is in Latin script only (see the top of this file), the lines the fast path handles.
 *
 * @example
 * isLatinLine("python 0.0 in 0"); // true
 * isLatinLine("café “naïve” — résumé"); // true
 * isLatinLine("pythonで型"); // false
 * @internal */
export const isLatinLine = (line: string): boolean => LATIN_LINE.test(line);

/**
 * The fast path: the lattice's morphemes for a Latin-script line as far as the recipe's terms go:
 * one unknown-word noun per run of letters, of digits, of other characters (MeCab's limit of 25
 * characters applies); spaces left out, as MeCab skips them.
 *
 * @example
 * tokenizeLatinLine("fastapi 0 c++").map((m) => m.surface); // ["fastapi", "0", "c", "++"]
 * tokenizeLatinLine("a".repeat(27)).length; // 3: "a", "a", then 25 a
 * @internal */
export const tokenizeLatinLine = (line: string): ReadonlyArray<Morpheme> =>
  Array.from(line.matchAll(LATIN_RUN), ([run]) => {
    const c = run.charCodeAt(0);
    const isDigit = c >= 0x30 && c <= 0x39;
    const isAlpha = LATIN_LETTER.test(run);
    const posDetail1 = isAlpha ? "一般" : isDigit ? "数" : "サ変接続";
    return splitLongRun(run).map((surface) => ({ surface, pos: "名詞", posDetail1, basicForm: "*" }));
  }).flat();

// MeCab groups a run into one unknown word only up to 25 characters; a longer run's first
// characters come out one by one until 25 are left (the fast path's characters are all BMP).
const splitLongRun = (run: string): ReadonlyArray<string> =>
  run.length <= MAX_RUN ? [run] : [...run.slice(0, run.length - MAX_RUN), run.slice(run.length - MAX_RUN)];
const MAX_RUN = 25;

/**
 * The lines of a pre-processed document that go to the tokenizer (blank lines carry no terms).
 *
 * @example
 * toLines("talk\n\n型\n"); // ["talk", "型"]
 * @internal */
export const toLines = (text: string): ReadonlyArray<string> => text.split("\n").filter((l) => !BLANK_LINE.test(l));

/**
 * True when tokenizing `text` needs kuromoji (some line is not for the fast path), so a corpus of
 * English only never loads the dictionary.
 *
 * @example
 * needsDictionary("hello world\n0", DEFAULT_POS_FILTER); // false
 * needsDictionary("hello\n世界", DEFAULT_POS_FILTER); // true
 * @internal */
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
 * @internal */
export const tokenizeDocument = (
  text: string,
  tokenize: Tokenize,
  posFilter: ReadonlyArray<PosRule>,
  userDictionary?: UserDictionary,
): ReadonlyArray<Morpheme> => {
  const fast = latinFastPathApplies(posFilter);
  const plain = (line: string): ReadonlyArray<Morpheme> =>
    fast && isLatinLine(line) ? tokenizeLatinLine(line) : tokenize(line);
  return toLines(text).flatMap((line) =>
    userDictionary === undefined
      ? plain(line)
      : splitByUserTerms(line, userDictionary).flatMap((p) => (p.term ? [userTermMorpheme(p.text)] : plain(p.text))),
  );
};
