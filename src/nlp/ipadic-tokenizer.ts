/**
 * Morphemes from the lattice's best path: known words read their features from the compact
 * store (each entry decoded once, then shared), unknown words take the unknown entry's part of
 * speech and their own surface, as kuromoji's IPADIC formatter does.
 */
import { featureReader, type WordFeatures } from "./dictionary-features.js";
import type { IpadicData } from "./ipadic-data.js";
import { createLatticeSearch, sentencesOf, type LatticeStats } from "./lattice.js";
import type { Morpheme, Tokenize } from "./morpheme.js";

/**
 * A tokenizer over prepared IPADIC data with kuromoji's morphemes.
 *
 * @example
 * const tokenize = createIpadicTokenizer(prepareIpadic(dicPath));
 * tokenize("東京に行く").map((m) => m.surface); // ["東京", "に", "行く"]
 */
export const createIpadicTokenizer = (data: IpadicData, stats?: LatticeStats): Tokenize => {
  const search = createLatticeSearch(data, stats);
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
    for (const sentence of sentencesOf(text)) {
      for (const w of search(sentence)) {
        if (w.entry >= 0) out.push(word(w.entry));
        else {
          const u = unknown[-1 - w.entry];
          out.push({ surface: sentence.slice(w.from, w.to), pos: u?.pos ?? "", posDetail1: u?.posDetail1 ?? "", basicForm: u?.basicForm ?? "" });
        }
      }
    }
    return out;
  };
};
