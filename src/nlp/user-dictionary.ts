/**
 * A user dictionary for kuromoji, which has none: terms listed one per line come out as single
 * terms. Each line is cut around the listed terms it contains (a trie walk, longest match first),
 * the terms become single nouns and the text between them is tokenized as usual. Cutting the
 * text rather than merging tokens afterwards also finds a term inside a longer token, such as
 * インメモリー inside kuromoji's one unknown word インメモリーデータベース.
 */
import * as E from "fp-ts/Either";
import { corpusLineInvalid, type NlpError } from "./errors.js";
import { foldDigitsAndCase } from "./preprocess.js";
import type { Morpheme } from "./tokenizer.js";

type TrieNode = { readonly next: Map<string, TrieNode>; end: boolean };

/**
 * A parsed user dictionary.
 *
 * @example
 * const d = parseUserDictionary("terms.txt", "jig-py\nfastapi\n");
 * if (E.isRight(d)) d.right.terms; // ["jig-py", "fastapi"]
 */
export type UserDictionary = {
  /** The terms, normalised as document text is (NFKC, ASCII digits → 0, lower case). */
  readonly terms: ReadonlyArray<string>;
  readonly root: TrieNode;
};

const newNode = (): TrieNode => ({ next: new Map(), end: false });

/**
 * Reads a user dictionary: one term per line; blank lines and lines starting with `#` are
 * skipped; a term with whitespace inside is an error naming its line.
 *
 * @example
 * parseUserDictionary("terms.txt", "# tools\nFastAPI\n有価証券報告書\n"); // Right({ terms: ["fastapi", "有価証券報告書"], … })
 * parseUserDictionary("terms.txt", "fast api"); // Left(CorpusLineInvalid terms.txt:1)
 */
export const parseUserDictionary = (file: string, text: string): E.Either<NlpError, UserDictionary> => {
  const root = newNode();
  const terms: string[] = [];
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const term = foldDigitsAndCase(line.normalize("NFKC"));
    if (/\s/u.test(term)) {
      return E.left(corpusLineInvalid(file, i + 1, `a user dictionary term must not contain whitespace, got ${JSON.stringify(line.slice(0, 80))}`));
    }
    let node = root;
    for (const ch of term) {
      const child = node.next.get(ch) ?? newNode();
      node.next.set(ch, child);
      node = child;
    }
    if (!node.end) terms.push(term);
    node.end = true;
  }
  return E.right({ terms, root });
};

const isAsciiAlnum = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z0-9]$/.test(ch);

/**
 * A piece of a line: plain text for the tokenizer, or a user term kept whole.
 *
 * @example
 * const piece: LinePiece = { text: "jig-py", term: true };
 */
export type LinePiece = { readonly text: string; readonly term: boolean };

/**
 * Cuts a line around the user terms it contains, longest match first, left to right. A term that
 * starts or ends with an ASCII letter or digit must not continue a word there, so `api` does not
 * match inside `rapid`; Japanese terms match anywhere, as they would in MeCab's user dictionary.
 *
 * @example
 * splitByUserTerms("jig-pyとインメモリーデータベース", dict);
 * // [{ text: "jig-py", term: true }, { text: "と", term: false }, { text: "インメモリー", term: true }, { text: "データベース", term: false }]
 */
export const splitByUserTerms = (line: string, dict: UserDictionary): ReadonlyArray<LinePiece> => {
  if (dict.terms.length === 0) return [{ text: line, term: false }];
  const chars = Array.from(line);
  const lower = chars.map((c) => c.toLowerCase());
  const pieces: LinePiece[] = [];
  let plain = "";
  for (let i = 0; i < chars.length; ) {
    let node: TrieNode | undefined = dict.root;
    let end = -1;
    for (let j = i; j < chars.length; j += 1) {
      node = node.next.get(lower[j]!);
      if (node === undefined) break;
      if (node.end) end = j + 1;
    }
    const ok =
      end > i &&
      !(isAsciiAlnum(chars[i]) && isAsciiAlnum(chars[i - 1])) &&
      !(isAsciiAlnum(chars[end - 1]) && isAsciiAlnum(chars[end]));
    if (ok) {
      if (plain !== "") pieces.push({ text: plain, term: false });
      plain = "";
      pieces.push({ text: chars.slice(i, end).join(""), term: true });
      i = end;
    } else {
      plain += chars[i];
      i += 1;
    }
  }
  if (plain !== "") pieces.push({ text: plain, term: false });
  return pieces;
};

/**
 * The morpheme a user term becomes: a proper noun whose term is the listed spelling.
 *
 * @example
 * userTermMorpheme("fastapi"); // { surface: "fastapi", pos: "名詞", posDetail1: "固有名詞", basicForm: "fastapi" }
 */
export const userTermMorpheme = (text: string): Morpheme => ({
  surface: text,
  pos: "名詞",
  posDetail1: "固有名詞",
  basicForm: text.toLowerCase(),
});
