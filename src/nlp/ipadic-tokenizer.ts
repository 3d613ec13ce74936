/**
 * Morphemes from the lattice's best path: known words read their features from the compact
 * store (each entry decoded once, then shared), unknown words take the unknown entry's part of
 * speech and their own surface, as kuromoji's IPADIC formatter does.
 */
import { featureReader, type WordFeatures } from "./dictionary-features.js";
import type { IpadicData } from "./ipadic-data.js";
import { createLatticeSearch, sentencesOf, type LatticeRules, type LatticeStats } from "./lattice.js";
import type { Morpheme, Tokenize } from "./morpheme.js";

/**
 * The rules a tokenizer follows where kuromoji and MeCab differ: the lattice's (see
 * `LatticeRules`) and `cutSentences`, kuromoji's cut after 、 and 。 (MeCab reads the whole line).
 *
 * @example
 * const rules: TokenizerRules = { ...KUROMOJI_RULES, skipSpaces: true };
 * @internal */
export type TokenizerRules = LatticeRules & { readonly cutSentences: boolean };

/** Stock kuromoji's morphemes. @internal */
export const KUROMOJI_RULES: TokenizerRules = { cutSentences: true, skipSpaces: false, mecabUnknown: false };

/**
 * MeCab's rules, the recipe's default: on the shared corpora they make our terms MeCab's on 110
 * of 111 documents (kuromoji's rules: 83), see test/nlp/parity.test.ts.
 * @internal */
export const MECAB_RULES: TokenizerRules = { cutSentences: false, skipSpaces: true, mecabUnknown: true };

/**
 * A tokenizer over prepared IPADIC data, by default with stock kuromoji's morphemes.
 *
 * @example
 * const tokenize = createIpadicTokenizer(prepareIpadic(dicPath));
 * tokenize("東京に行く").map((m) => m.surface); // ["東京", "に", "行く"]
 * @internal */
export const createIpadicTokenizer = (
  data: IpadicData,
  stats?: LatticeStats,
  rules: TokenizerRules = KUROMOJI_RULES,
): Tokenize => {
  const search = createLatticeSearch(data, stats, rules);
  const features = featureReader(data.features);
  const known = new Map<number, WordFeatures>();
  const unknown = data.unknown.features.map((csv) => {
    const f = csv.split(",");
    return { pos: f[1] ?? "", posDetail1: f[2] ?? "", basicForm: f[7] ?? "" };
  });
  const word = (e: number): WordFeatures => {
    let w = known.get(e);
    if (w === undefined) {
      w = features(e);
      known.set(e, w);
    }
    return w;
  };
  return (text) => {
    const out: Morpheme[] = [];
    for (const sentence of rules.cutSentences ? sentencesOf(text) : text === "" ? [] : [text]) {
      for (const w of search(sentence)) {
        if (w.entry >= 0) out.push(word(w.entry));
        else {
          const u = unknown[-1 - w.entry];
          out.push({
            surface: sentence.slice(w.from, w.to),
            pos: u?.pos ?? "",
            posDetail1: u?.posDetail1 ?? "",
            basicForm: u?.basicForm ?? "",
          });
        }
      }
    }
    return out;
  };
};
