/**
 * A user dictionary for kuromoji, which has none: terms listed one per line come out as single
 * terms. After a line is tokenized, runs of adjacent morphemes whose surfaces spell a listed term
 * are merged into one noun (longest match first, left to right). A run only matches from a
 * morpheme's start to a morpheme's end, so a term never matches inside a word.
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

/** Where each morpheme starts in `line`, found by scanning forward (surfaces appear in order). */
const offsetsIn = (line: string, morphemes: ReadonlyArray<Morpheme>): ReadonlyArray<number> => {
  let cursor = 0;
  return morphemes.map((m) => {
    const at = line.indexOf(m.surface, cursor);
    const start = at < 0 ? cursor : at;
    cursor = start + m.surface.length;
    return start;
  });
};

/**
 * Merges runs of adjacent morphemes of `line` that spell a user term into one noun morpheme.
 *
 * @example
 * mergeUserTerms("jig-py is fast", tokenizeLatinLine("jig-py is fast"), dict).map((m) => m.surface);
 * // ["jig-py", "is", "fast"]
 */
export const mergeUserTerms = (
  line: string,
  morphemes: ReadonlyArray<Morpheme>,
  dict: UserDictionary,
): ReadonlyArray<Morpheme> => {
  if (dict.terms.length === 0 || morphemes.length === 0) return morphemes;
  const starts = offsetsIn(line, morphemes);
  const out: Morpheme[] = [];
  for (let i = 0; i < morphemes.length; ) {
    let node: TrieNode | undefined = dict.root;
    let best = -1;
    let spelled = "";
    let matched = "";
    for (let j = i; j < morphemes.length && node !== undefined; j += 1) {
      // Only morphemes that touch each other (no space between) form a run.
      if (j > i && starts[j] !== starts[j - 1]! + morphemes[j - 1]!.surface.length) break;
      for (const ch of morphemes[j]!.surface.toLowerCase()) {
        node = node.next.get(ch);
        if (node === undefined) break;
      }
      if (node === undefined) break;
      spelled += morphemes[j]!.surface;
      if (node.end) {
        best = j;
        matched = spelled;
      }
    }
    if (best > i) {
      out.push({ surface: matched, pos: "名詞", posDetail1: "固有名詞", basicForm: matched.toLowerCase() });
      i = best + 1;
    } else {
      out.push(morphemes[i]!);
      i += 1;
    }
  }
  return out;
};
