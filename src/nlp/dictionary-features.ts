/**
 * A compact store for IPADIC word features. kuromoji keeps one CSV string per dictionary entry
 * (surface, six part-of-speech fields, base form, reading, pronunciation): 36 MB for 390k
 * entries. The recipe needs no reading or pronunciation, and the six part-of-speech fields take
 * only a few thousand distinct values, so each entry becomes a 16-bit index into a table of those
 * plus an offset into a blob of "surface" or "surface\tbase form" strings: about 8 MB.
 */

/** Bytes of one token-info entry in tid.dat: left id, right id, cost (int16 each), feature offset (int32). */
const ENTRY_BYTES = 10;

/**
 * The compact features, every part as bytes so it can be cached as files.
 *
 * @example
 * const f = compactFeatures(tid, tidPos);
 * featureReader(f)(2); // { surface: "東京", pos: "名詞", … }
 * @internal */
export type CompactFeatures = {
  /** uint16 per entry: index into `posTable`. */
  readonly posIndex: Uint8Array;
  /** uint32 per entry: offset of the entry's NUL-terminated string in `strings`. */
  readonly strOffsets: Uint8Array;
  readonly strings: Uint8Array;
  /** The distinct part-of-speech field groups, UTF-8, one per line. */
  readonly posTable: Uint8Array;
};

const utf8 = new TextDecoder("utf-8");

const cString = (buf: Uint8Array, at: number): string => {
  const end = buf.indexOf(0, at);
  return utf8.decode(buf.subarray(at, end < 0 ? buf.length : end));
};

/**
 * Builds the compact store from kuromoji's tid.dat and tid_pos.dat. Works on the UTF-8 bytes
 * (a comma is one byte in UTF-8) so that 390k entries take a fraction of a second.
 *
 * @example
 * const f = compactFeatures(raw["tid.dat"], raw["tid_pos.dat"]);
 * @internal */
export const compactFeatures = (tid: Uint8Array, tidPos: Uint8Array): CompactFeatures => {
  const view = new DataView(tid.buffer, tid.byteOffset, tid.byteLength);
  const bytes = Buffer.from(tidPos.buffer, tidPos.byteOffset, tidPos.byteLength);
  const entries = Math.floor(tid.byteLength / ENTRY_BYTES);
  const posIndex = new Uint16Array(entries);
  const strOffsets = new Uint32Array(entries);
  const table = new Map<string, number>();
  // Upper bound: every entry's surface and base form plus separators.
  let strings = new Uint8Array(1 << 20);
  let size = 0;
  const commas: number[] = [];
  for (let e = 0; e < entries; e += 1) {
    const start = view.getInt32(e * ENTRY_BYTES + 6, true);
    let end = bytes.indexOf(0, start);
    if (end < 0) end = bytes.length;
    commas.length = 0;
    for (let i = start; i < end && commas.length < 8; i += 1) if (bytes[i] === 0x2c) commas.push(i);
    const at = (k: number): number => commas[k] ?? end;
    // latin1 is a byte-exact key for the table; the table is decoded as UTF-8 once, at the end.
    const pos = bytes.toString("latin1", at(0) + 1, at(6));
    let index = table.get(pos);
    if (index === undefined) {
      index = table.size;
      if (index > 0xffff) throw new Error("more than 65536 part-of-speech groups in the dictionary");
      table.set(pos, index);
    }
    posIndex[e] = index;
    const surface = bytes.subarray(start, at(0));
    const base = bytes.subarray(at(6) + 1, at(7));
    const same = surface.equals(base);
    const need = surface.length + (same ? 1 : base.length + 2);
    if (size + need > strings.length) {
      const grown = new Uint8Array(Math.max(strings.length * 2, size + need));
      grown.set(strings.subarray(0, size));
      strings = grown;
    }
    strOffsets[e] = size;
    strings.set(surface, size);
    size += surface.length;
    if (!same) {
      strings[size] = 0x09;
      strings.set(base, size + 1);
      size += base.length + 1;
    }
    strings[size] = 0;
    size += 1;
  }
  const posTable = Buffer.from([...table.keys()].join("\n"), "latin1");
  return {
    posIndex: new Uint8Array(posIndex.buffer),
    strOffsets: new Uint8Array(strOffsets.buffer),
    strings: strings.slice(0, size),
    posTable: new Uint8Array(posTable.buffer, posTable.byteOffset, posTable.byteLength),
  };
};

// A shared buffer (the dictionary posted to worker threads) is viewed in place, as a plain one is.
const aligned = (b: Uint8Array, width: number): ArrayBufferLike => (b.byteOffset % width === 0 ? b : b.slice()).buffer;

/** A morpheme's dictionary fields: part of speech, its first detail, the base form (`*` for none). @internal */
export type WordFeatures = {
  readonly surface: string;
  readonly pos: string;
  readonly posDetail1: string;
  readonly basicForm: string;
};

/**
 * Word entry e's features from the compact store, as kuromoji's IPADIC formatter reads them from
 * the CSV line (surface, then six part-of-speech fields, then the base form).
 *
 * @example
 * const features = featureReader(compact);
 * features(20); // { surface: "東京", pos: "名詞", posDetail1: "固有名詞", basicForm: "東京" }
 * @internal */
export const featureReader = (f: CompactFeatures): ((entry: number) => WordFeatures) => {
  const pa = aligned(f.posIndex, 2);
  const sa = aligned(f.strOffsets, 4);
  const posIndex = new Uint16Array(pa, pa === f.posIndex.buffer ? f.posIndex.byteOffset : 0, f.posIndex.byteLength / 2);
  const strOffsets = new Uint32Array(
    sa,
    sa === f.strOffsets.buffer ? f.strOffsets.byteOffset : 0,
    f.strOffsets.byteLength / 4,
  );
  const table = utf8
    .decode(f.posTable)
    .split("\n")
    .map((line) => line.split(","));
  return (e) => {
    const s = e >= 0 && e < posIndex.length ? cString(f.strings, strOffsets[e]!) : "";
    const tab = s.indexOf("\t");
    const surface = tab < 0 ? s : s.slice(0, tab);
    const fields = table[posIndex[e] ?? -1] ?? [];
    return { surface, pos: fields[0] ?? "", posDetail1: fields[1] ?? "", basicForm: tab < 0 ? s : s.slice(tab + 1) };
  };
};
