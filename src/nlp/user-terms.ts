/**
 * Cutting lines around a user dictionary's terms (see user-dictionary.ts, which parses the list),
 * in a module that loads neither fp-ts nor io-ts, so the tokenizer's worker threads start fast.
 */
import type { Morpheme } from "./morpheme.js";

/** One node of the terms' trie, keyed by character. @internal */
export type TrieNode = { readonly next: Map<string, TrieNode>; end: boolean };

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

const isAsciiAlnum = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z0-9]$/.test(ch);

/**
 * A piece of a line: plain text for the tokenizer, or a user term kept whole.
 *
 * @example
 * const piece: LinePiece = { text: "jig-py", term: true };
 * @internal */
export type LinePiece = { readonly text: string; readonly term: boolean };

/**
 * Cuts a line around the user terms it contains, longest match first, left to right. A term that
 * starts or ends with an ASCII letter or digit must not continue a word there, so `api` does not
 * match inside `rapid`; Japanese terms match anywhere, as they would in MeCab's user dictionary.
 *
 * @example
 * splitByUserTerms("jig-pyとインメモリーデータベース", dict);
 * // [{ text: "jig-py", term: true }, { text: "と", term: false }, { text: "インメモリー", term: true }, { text: "データベース", term: false }]
 * @internal */
export const splitByUserTerms = (line: string, dict: UserDictionary): ReadonlyArray<LinePiece> => {
  if (dict.terms.length === 0) return [{ text: line, term: false }];
  const chars = Array.from(line);
  const lower = chars.map((c) => c.toLowerCase());
  const pieces: LinePiece[] = [];
  let plain = "";
  for (let i = 0; i < chars.length;) {
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
 * @internal */
export const userTermMorpheme = (text: string): Morpheme => ({
  surface: text,
  pos: "名詞",
  posDetail1: "固有名詞",
  basicForm: text.toLowerCase(),
});
