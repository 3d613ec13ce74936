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
import type { TrieNode, UserDictionary } from "./user-terms.js";

export {
  splitByUserTerms,
  userTermMorpheme,
  type LinePiece,
  type TrieNode,
  type UserDictionary,
} from "./user-terms.js";

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
      return E.left(
        corpusLineInvalid(
          file,
          i + 1,
          `a user dictionary term must not contain whitespace, got ${JSON.stringify(line.slice(0, 80))}`,
        ),
      );
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
