/**
 * kuromoji's IPADIC as the lattice (lattice.ts) reads it, built from the `.dat.gz` files of the
 * installed kuromoji package. Only what the lattice and the recipe need is kept, packed into
 * typed arrays: the double-array trie (its unused tail cut), each word's left id, right id and
 * cost, the trie-id → word map, the connection costs, compact word features
 * (dictionary-features.ts) and the unknown-word definitions.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { compactFeatures, type CompactFeatures } from "./dictionary-features.js";

/** One character class of IPADIC's char.def, as kuromoji stores it (`length`: MeCab's LENGTH, which kuromoji ignores). @internal */
export type CharClass = {
  readonly name: string;
  readonly invoke: boolean;
  readonly group: boolean;
  readonly length: number;
};

/**
 * The unknown-word part: character classes, each code unit's class, each class's word entries.
 *
 * @example
 * const u: UnknownWords = { classes: [{ name: "DEFAULT", invoke: false, group: true, length: 0 }], entriesByClass: [[0]], features: ["DEFAULT,記号,一般,*,*,*,*,*"] };
 * @internal */
export type UnknownWords = {
  readonly classes: ReadonlyArray<CharClass>;
  /** Unknown-word entry indexes (into `unknownWords`) per class id, in kuromoji's order. */
  readonly entriesByClass: ReadonlyArray<ReadonlyArray<number>>;
  /** Each unknown-word entry's feature CSV (class name first, as in unk_pos.dat). */
  readonly features: ReadonlyArray<string>;
};

/**
 * The dictionary in memory. Word entries are numbered 0…n-1 in tid.dat order; kuromoji's
 * token-info id of entry e is 10·e.
 *
 * @example
 * const data = prepareIpadic(resolveKuromojiDicPath());
 * data.words[3 * 7]; // left id of word entry 7
 * @internal */
export type IpadicData = {
  readonly base: Int32Array;
  readonly check: Int32Array;
  /** left id, right id, cost per word entry. */
  readonly words: Int16Array;
  /** Entries of trie id t: mapIds[mapOffsets[t] … mapOffsets[t+1]). */
  readonly mapOffsets: Int32Array;
  readonly mapIds: Int32Array;
  /** [forward dim, backward dim, costs…]: cost(right, left) at 2 + right·backward + left. */
  readonly connection: Int16Array;
  readonly features: CompactFeatures;
  /** left id, right id, cost per unknown-word entry. */
  readonly unknownWords: Int16Array;
  /** Class id per UTF-16 code unit (unk_char.dat). */
  readonly charClass: Uint8Array;
  /** Bit set of the classes char.def also lists per code unit (unk_compat.dat), for MeCab's grouping. */
  readonly charCompat: Int32Array;
  readonly unknown: UnknownWords;
};

/** The files of kuromoji's dict/ directory this module reads. @internal */
export const IPADIC_FILES = [
  "base.dat",
  "check.dat",
  "tid.dat",
  "tid_pos.dat",
  "tid_map.dat",
  "cc.dat",
  "unk.dat",
  "unk_pos.dat",
  "unk_map.dat",
  "unk_char.dat",
  "unk_compat.dat",
  "unk_invoke.dat",
] as const;
type IpadicFile = (typeof IPADIC_FILES)[number];

/** Bytes of one token-info entry in tid.dat / unk.dat: left, right, cost (int16), feature offset (int32). */
const ENTRY_BYTES = 10;

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const int32s = (b: Uint8Array): Int32Array => {
  const copy = b.byteOffset % 4 === 0 ? b : b.slice();
  return new Int32Array(copy.buffer, copy.byteOffset, Math.floor(copy.byteLength / 4));
};

const trimZeros = (b: Uint8Array): Uint8Array => {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end -= 1;
  return b.subarray(0, Math.min(b.length, (Math.ceil(end / 4) + 1) * 4));
};

// A traversal beyond the arrays finds nothing, as an unused slot (negative check) does.
const trimTrie = (base: Int32Array, check: Int32Array): { base: Int32Array; check: Int32Array } => {
  let end = Math.min(base.length, check.length);
  while (end > 1 && check[end - 1]! < 0) end -= 1;
  return { base: base.slice(0, end), check: check.slice(0, end) };
};

/**
 * tid_map.dat / unk_map.dat: int32 count, then (key, n, n token-info ids)* up to zero padding;
 * as offsets and entry indexes (typed arrays: the word map has about 390k keys).
 */
const readTargetMap = (buf: Uint8Array): { mapOffsets: Int32Array; mapIds: Int32Array } => {
  const v = view(buf);
  const entries: Array<[number, number, number]> = [];
  let maxKey = -1;
  let total = 0;
  for (let p = 4; p + 8 <= buf.byteLength;) {
    const key = v.getInt32(p, true);
    const n = v.getInt32(p + 4, true);
    if (n > 0) {
      entries.push([key, p + 8, n]);
      maxKey = Math.max(maxKey, key);
      total += n;
    }
    p += 8 + 4 * Math.max(n, 0);
  }
  const counts = new Int32Array(maxKey + 2);
  for (const [key, , n] of entries) counts[key + 1]! += n;
  const mapOffsets = new Int32Array(maxKey + 2);
  for (let k = 1; k < mapOffsets.length; k += 1) mapOffsets[k] = mapOffsets[k - 1]! + counts[k]!;
  const mapIds = new Int32Array(total);
  const filled = new Int32Array(maxKey + 1);
  for (const [key, at, n] of entries) {
    for (let i = 0; i < n; i += 1)
      mapIds[mapOffsets[key]! + filled[key]! + i] = v.getInt32(at + 4 * i, true) / ENTRY_BYTES;
    filled[key]! += n;
  }
  return { mapOffsets, mapIds };
};

const packEntries = (tid: Uint8Array): Int16Array => {
  const v = view(tid);
  const n = Math.floor(tid.byteLength / ENTRY_BYTES);
  const out = new Int16Array(3 * n);
  for (let e = 0; e < n; e += 1) {
    out[3 * e] = v.getInt16(e * ENTRY_BYTES, true);
    out[3 * e + 1] = v.getInt16(e * ENTRY_BYTES + 2, true);
    out[3 * e + 2] = v.getInt16(e * ENTRY_BYTES + 4, true);
  }
  return out;
};

const utf8 = new TextDecoder("utf-8");
const cString = (b: Uint8Array, at: number): string => {
  const end = b.indexOf(0, at);
  return utf8.decode(b.subarray(at, end < 0 ? b.length : end));
};

// unk_invoke.dat: per class (invoke byte, group byte, int32 max length, NUL-terminated name),
// then zero padding, which kuromoji reads as more nameless classes no character maps to.
const readClasses = (buf: Uint8Array): ReadonlyArray<CharClass> => {
  const classes: CharClass[] = [];
  for (let p = 0; p + 6 < buf.byteLength;) {
    const name = cString(buf, p + 6);
    if (name === "") break;
    classes.push({ name, invoke: buf[p] === 1, group: buf[p + 1] === 1, length: view(buf).getInt32(p + 2, true) });
    p += 6 + Buffer.byteLength(name) + 1;
  }
  return classes;
};

const readUnknown = (raw: Record<IpadicFile, Uint8Array>): { unknownWords: Int16Array; unknown: UnknownWords } => {
  const unk = trimZeros(raw["unk.dat"]);
  const v = view(unk);
  const n = Math.floor(unk.byteLength / ENTRY_BYTES);
  const features = Array.from({ length: n }, (_, e) =>
    cString(raw["unk_pos.dat"], v.getInt32(e * ENTRY_BYTES + 6, true)),
  );
  const classes = readClasses(raw["unk_invoke.dat"]);
  const byClass = readTargetMap(raw["unk_map.dat"]);
  const entriesOf = (id: number): ReadonlyArray<number> =>
    id + 1 < byClass.mapOffsets.length
      ? Array.from(byClass.mapIds.subarray(byClass.mapOffsets[id], byClass.mapOffsets[id + 1]))
      : [];
  return {
    unknownWords: packEntries(unk),
    unknown: { classes, entriesByClass: classes.map((_, id) => entriesOf(id)), features },
  };
};

/**
 * Reads and packs kuromoji's dictionary files (`read(name)` gives one file's inflated bytes).
 *
 * @example
 * const data = packIpadic((f) => gunzipSync(readFileSync(path.join(dicPath, `${f}.gz`))));
 * @internal */
export const packIpadic = (read: (file: IpadicFile) => Uint8Array): IpadicData => {
  const raw = Object.fromEntries(IPADIC_FILES.map((f) => [f, read(f)])) as Record<IpadicFile, Uint8Array>;
  const tid = trimZeros(raw["tid.dat"]);
  const trie = trimTrie(int32s(raw["base.dat"]), int32s(raw["check.dat"]));
  const cc = raw["cc.dat"].byteOffset % 2 === 0 ? raw["cc.dat"] : raw["cc.dat"].slice();
  return {
    ...trie,
    words: packEntries(tid),
    ...readTargetMap(raw["tid_map.dat"]),
    connection: new Int16Array(cc.buffer, cc.byteOffset, Math.floor(cc.byteLength / 2)).slice(),
    features: compactFeatures(tid, raw["tid_pos.dat"]),
    charClass: raw["unk_char.dat"].slice(0, 65536),
    charCompat: int32s(raw["unk_compat.dat"]).slice(0, 65536),
    ...readUnknown(raw),
  };
};

/**
 * Inflates and packs the dictionary in kuromoji's `dict/` directory (about a second).
 *
 * @example
 * const data = inflateIpadic(resolveKuromojiDicPath());
 * @internal */
export const inflateIpadic = (dicPath: string): IpadicData =>
  packIpadic((f) => {
    const b = gunzipSync(readFileSync(path.join(dicPath, `${f}.gz`)));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  });
