/**
 * One sentence prepared for the lattice, in one pass: its characters as kuromoji counts them
 * (a high surrogate and the unit after it are one character), their UTF-8 bytes as kuromoji's
 * trie reads them, each character's class and where its class run ends. Buffers are reused.
 */

/**
 * The prepared sentence; arrays are longer than `n` (reused buffers), read only the first n (+1).
 *
 * @example
 * const s = readSentence("東京", newScratch(), data.charClass, 0, canonical);
 * s.n; // 2
 * @internal */
export type SentenceScratch = {
  n: number;
  bytes: Uint8Array;
  /** Byte offset of character k (k = 0…n). */
  byteStart: Int32Array;
  /** UTF-16 offset of character k (k = 0…n). */
  unitStart: Int32Array;
  cls: Uint8Array;
  /** First character after k's run of characters of the same class. */
  groupEnd: Int32Array;
};

/**
 * Empty buffers, grown on demand.
 *
 * @example
 * const scratch = newScratch();
 * @internal */
export const newScratch = (): SentenceScratch => ({
  n: 0,
  bytes: new Uint8Array(1024),
  byteStart: new Int32Array(257),
  unitStart: new Int32Array(257),
  cls: new Uint8Array(256),
  groupEnd: new Int32Array(256),
});

const grow = (s: SentenceScratch, units: number): void => {
  if (s.cls.length < units) {
    const size = Math.max(units, 2 * s.cls.length);
    s.byteStart = new Int32Array(size + 1);
    s.unitStart = new Int32Array(size + 1);
    s.cls = new Uint8Array(size);
    s.groupEnd = new Int32Array(size);
  }
  if (s.bytes.length < 4 * units) s.bytes = new Uint8Array(Math.max(4 * units, 2 * s.bytes.length));
};

/**
 * Fills `s` from `sentence`. A malformed surrogate pair (kuromoji throws on one) is read as
 * U+FFFD, which no dictionary word contains.
 *
 * @example
 * readSentence(sentence, scratch, data.charClass, defaultClass, canonical);
 * @internal */
export const readSentence = (
  sentence: string,
  s: SentenceScratch,
  charClass: Uint8Array,
  defaultClass: number,
  canonical: ReadonlyArray<number>,
): SentenceScratch => {
  const len = sentence.length;
  grow(s, len);
  const { bytes, byteStart, unitStart, cls } = s;
  let n = 0;
  let b = 0;
  for (let i = 0; i < len;) {
    byteStart[n] = b;
    unitStart[n] = i;
    const u = sentence.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      const low = i + 1 < len ? sentence.charCodeAt(i + 1) : -1;
      if (low >= 0xdc00 && low <= 0xdfff) {
        const cp = (u - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        bytes[b] = 0xf0 | (cp >>> 18);
        bytes[b + 1] = 0x80 | ((cp >>> 12) & 0x3f);
        bytes[b + 2] = 0x80 | ((cp >>> 6) & 0x3f);
        bytes[b + 3] = 0x80 | (cp & 0x3f);
        b += 4;
      } else {
        bytes[b] = 0xef;
        bytes[b + 1] = 0xbf;
        bytes[b + 2] = 0xbd;
        b += 3;
      }
      cls[n] = defaultClass;
      i = Math.min(i + 2, len);
    } else {
      if (u < 0x80) {
        bytes[b++] = u;
      } else if (u < 0x800) {
        bytes[b++] = 0xc0 | (u >>> 6);
        bytes[b++] = 0x80 | (u & 0x3f);
      } else {
        bytes[b++] = 0xe0 | (u >>> 12);
        bytes[b++] = 0x80 | ((u >>> 6) & 0x3f);
        bytes[b++] = 0x80 | (u & 0x3f);
      }
      cls[n] = charClass[u]!;
      i += 1;
    }
    n += 1;
  }
  byteStart[n] = b;
  unitStart[n] = len;
  const { groupEnd } = s;
  for (let k = n - 1; k >= 0; k -= 1) {
    groupEnd[k] = k + 1 < n && canonical[cls[k]!] === canonical[cls[k + 1]!] ? groupEnd[k + 1]! : k + 1;
  }
  s.n = n;
  return s;
};
