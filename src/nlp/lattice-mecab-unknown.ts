/**
 * MeCab's unknown words, where they differ from kuromoji's: a character's type is its class plus
 * char.def's compatible classes, a run of chained types is one word only up to 25 characters, and
 * shorter words of 1…LENGTH characters are offered beside it.
 */
import type { SentenceScratch } from "./lattice-input.js";

/**
 * MeCab's limit on an unknown-word run: the head and at most this many more characters.
 *
 * @example
 * MAX_GROUPING; // 24
 * @internal */
export const MAX_GROUPING = 24;

/**
 * Per sentence: each character's MeCab type (its class and compatible classes, as bits) and where
 * the run of chained types from it ends. Grown as needed and reused (read the fields after
 * `readCharTypes`, which may replace the arrays).
 *
 * @example
 * const charTypes = newCharTypes();
 * readCharTypes(charTypes, sentence, scratch, data.charCompat);
 * @internal */
export type CharTypes = { types: Int32Array; chainEnd: Int32Array };

/**
 * Empty buffers for a first sentence of up to 256 characters.
 *
 * @example
 * const charTypes = newCharTypes();
 * @internal */
export const newCharTypes = (): CharTypes => ({ types: new Int32Array(256), chainEnd: new Int32Array(256) });

/**
 * Fills `t` for `sentence`, whose classes `s` holds; `charCompat` is IPADIC's compatible classes
 * per UTF-16 unit (none for a surrogate).
 *
 * @example
 * readCharTypes(charTypes, sentence, readSentence(sentence, scratch, …), data.charCompat);
 * @internal */
export const readCharTypes = (t: CharTypes, sentence: string, s: SentenceScratch, charCompat: Int32Array): void => {
  if (t.types.length < s.n) {
    t.types = new Int32Array(2 * s.n);
    t.chainEnd = new Int32Array(2 * s.n);
  }
  const { types, chainEnd } = t;
  for (let k = 0; k < s.n; k += 1) {
    const u = sentence.charCodeAt(s.unitStart[k]!);
    types[k] = (1 << s.cls[k]!) | (u < 0xd800 || u > 0xdfff ? (charCompat[u] ?? 0) : 0);
  }
  for (let k = s.n - 1; k >= 0; k -= 1)
    chainEnd[k] = k + 1 < s.n && (types[k]! & types[k + 1]!) !== 0 ? chainEnd[k + 1]! : k + 1;
};

/**
 * MeCab's unknown words at p (tokenizer.cpp): the class run if it is short enough, words of
 * 1…length characters while the characters stay of the head's kind, else (nothing at all) one
 * character. Returns where each word ends, in characters.
 *
 * @example
 * mecabUnknownEnds(s.n, p, true, 0, true, charTypes); // e.g. [p + 3]: the run of three katakana
 * @internal */
export const mecabUnknownEnds = (
  n: number,
  p: number,
  group: boolean,
  length: number,
  noWords: boolean,
  charTypes: CharTypes,
): ReadonlyArray<number> => {
  const { types, chainEnd } = charTypes;
  const ends: number[] = [];
  const head = types[p]!;
  let groupEnd = -1;
  if (group) {
    groupEnd = chainEnd[p]!;
    if (groupEnd - (p + 1) <= MAX_GROUPING) ends.push(groupEnd);
  }
  for (let i = 1, q = p + 1; i <= length && q <= n && q !== groupEnd; i += 1) {
    ends.push(q);
    if (q >= n || (head & types[q]!) === 0) break;
    q += 1;
  }
  if (ends.length === 0 && noWords) ends.push(p + 1);
  return ends;
};
