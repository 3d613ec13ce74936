/**
 * A faster, leaner load of kuromoji's IPADIC than `kuromoji.builder().build()`:
 * - the `.dat.gz` files are inflated by node:zlib synchronously, or read already inflated from a
 *   cache directory (built on first use, replaced atomically);
 * - the zero padding kuromoji's builder leaves at the end of the token-info and unknown-word
 *   buffers (about 28 MB of 84 MB) is cut off; their readers only address written entries;
 * - the trie-id → token-ids map is kept as two typed arrays (offsets and ids) instead of a JS
 *   object of ~390k small arrays, which is what makes kuromoji's own load slow and large;
 * - word features are kept compactly without reading and pronunciation (dictionary-features.ts).
 * The result is a kuromoji `Tokenizer` over the same data, so morphemes are identical apart from
 * the missing reading and pronunciation (test/nlp/dictionary.test.ts checks that on the corpora).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { compactFeatures, featureReader } from "./dictionary-features.js";

const localRequire = createRequire(import.meta.url);

/** Bump when the cached layout changes. */
const CACHE_LAYOUT = "2";

const FILES = [
  "base.dat", "check.dat", "tid.dat", "tid_pos.dat", "cc.dat",
  "unk.dat", "unk_pos.dat", "unk_map.dat", "unk_char.dat", "unk_compat.dat", "unk_invoke.dat",
] as const;
type DictFile = (typeof FILES)[number];
// Read by offset only, so trailing zeros can go (a few kept for the last string's terminator).
const TRIMMABLE: ReadonlySet<DictFile> = new Set(["tid.dat", "tid_pos.dat", "unk.dat", "unk_pos.dat"]);

// Everything the tokenizer is built from, as bytes (so it caches as files).
const CACHED = [
  "base.dat", "check.dat", "tid.dat", "cc.dat",
  "unk.dat", "unk_pos.dat", "unk_map.dat", "unk_char.dat", "unk_compat.dat", "unk_invoke.dat",
  "map_offsets.bin", "map_ids.bin", "feat_pos.bin", "feat_off.bin", "feat_str.bin", "feat_table.txt",
] as const;
type RawDictionary = Record<(typeof CACHED)[number], Uint8Array>;

/** kuromoji's internal modules, as far as this loader touches them. */
type KuromojiInternals = {
  readonly DynamicDictionaries: new () => {
    loadTrie(base: Int32Array, check: Int32Array): void;
    loadConnectionCosts(cc: Int16Array): void;
    loadUnknownDictionaries(...buffers: [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint32Array, Uint8Array]): void;
    token_info_dictionary: {
      loadDictionary(b: Uint8Array): void;
      loadPosVector(b: Uint8Array): void;
      target_map: unknown;
      getFeatures: (tokenInfoId: string) => string;
    };
  };
  readonly Tokenizer: new (dic: unknown) => { tokenize(text: string): ReadonlyArray<KuromojiToken> };
};

/**
 * The fields of a kuromoji token the recipe reads.
 *
 * @example
 * const t: KuromojiToken = { surface_form: "東京", pos: "名詞", pos_detail_1: "固有名詞", basic_form: "東京" };
 */
export type KuromojiToken = {
  readonly surface_form: string;
  readonly pos: string;
  readonly pos_detail_1: string;
  readonly basic_form: string;
};

const asView = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const trimZeros = (b: Uint8Array): Uint8Array => {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end -= 1;
  const keep = Math.min(b.length, (Math.ceil(end / 4) + 1) * 4);
  return b.subarray(0, keep);
};

// tid_map.dat: int32 count, then (trie id, n, n token ids)* up to zero padding.
const toTargetMap = (buf: Uint8Array): { mapOffsets: Int32Array; mapIds: Int32Array } => {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const entries: Array<[number, number]> = [];
  let maxKey = 0;
  let total = 0;
  for (let p = 4; p + 8 <= buf.byteLength; ) {
    const key = view.getInt32(p, true);
    const n = view.getInt32(p + 4, true);
    if (n > 0) {
      entries.push([key, p + 8]);
      maxKey = Math.max(maxKey, key);
      total += n;
    }
    p += 8 + 4 * Math.max(n, 0);
  }
  const counts = new Int32Array(maxKey + 2);
  for (const [key, at] of entries) counts[key + 1] = view.getInt32(at - 4, true);
  const mapOffsets = new Int32Array(maxKey + 2);
  for (let k = 1; k < mapOffsets.length; k += 1) mapOffsets[k] = mapOffsets[k - 1]! + counts[k]!;
  const mapIds = new Int32Array(total);
  for (const [key, at] of entries) {
    const n = counts[key + 1]!;
    for (let i = 0; i < n; i += 1) mapIds[mapOffsets[key]! + i] = view.getInt32(at + 4 * i, true);
  }
  return { mapOffsets, mapIds };
};

const inflate = (dicPath: string): RawDictionary => {
  const read = (f: string): Uint8Array => asView(gunzipSync(readFileSync(path.join(dicPath, `${f}.gz`))));
  // slice(): a copy, so the padding's memory is released with the inflated buffer.
  const files = Object.fromEntries(FILES.map((f) => [f, TRIMMABLE.has(f) ? trimZeros(read(f)).slice() : read(f)])) as Record<DictFile, Uint8Array>;
  const { mapOffsets, mapIds } = toTargetMap(read("tid_map.dat"));
  const { "tid_pos.dat": tidPos, ...rest } = files;
  const features = compactFeatures(files["tid.dat"], tidPos);
  return {
    ...rest,
    "map_offsets.bin": toBytes(mapOffsets),
    "map_ids.bin": toBytes(mapIds),
    "feat_pos.bin": features.posIndex,
    "feat_off.bin": features.strOffsets,
    "feat_str.bin": features.strings,
    "feat_table.txt": features.posTable,
  };
};

/**
 * Identifies the dictionary at `dicPath` (kuromoji version, file sizes, this loader's layout);
 * token caches include it in their keys.
 *
 * @example
 * dictionaryFingerprint(resolveKuromojiDicPath()); // "kuromoji@0.1.2 ipadic 61b6caefce123cf5"
 */
export const dictionaryFingerprint = (dicPath: string): string => `kuromoji@${kuromojiVersion(dicPath)} ipadic ${cacheKey(dicPath)}`;

const kuromojiVersion = (dicPath: string): string =>
  String((JSON.parse(readFileSync(path.join(dicPath, "..", "package.json"), "utf8")) as { version?: string }).version);

const cacheKey = (dicPath: string): string => {
  const version = kuromojiVersion(dicPath);
  const sizes = [...FILES, "tid_map.dat"].map((f) => `${f}:${statSync(path.join(dicPath, `${f}.gz`)).size}`).join(",");
  return createHash("sha256").update(`${CACHE_LAYOUT}|${version}|${path.resolve(dicPath)}|${sizes}`).digest("hex").slice(0, 16);
};

type Manifest = Record<string, number>;

const toBytes = (a: Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const toInt32 = (b: Uint8Array): Int32Array => {
  const copy = b.byteOffset % 4 === 0 ? b : b.slice();
  return new Int32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
};

const readCache = (dir: string): RawDictionary | undefined => {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
    const files = Object.fromEntries(
      CACHED.map((f) => {
        const b = asView(readFileSync(path.join(dir, f)));
        if (b.byteLength !== manifest[f]) throw new Error(`${f}: size mismatch`);
        return [f, b];
      }),
    ) as RawDictionary;
    return files;
  } catch {
    return undefined;
  }
};

const writeCache = (dir: string, raw: RawDictionary): void => {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(tmp, { recursive: true });
    const manifest: Manifest = {};
    for (const f of CACHED) {
      writeFileSync(path.join(tmp, f), raw[f]);
      manifest[f] = raw[f].byteLength;
    }
    writeFileSync(path.join(tmp, "manifest.json"), JSON.stringify(manifest));
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch {
    // A cache that cannot be written only costs speed next time.
    rmSync(tmp, { recursive: true, force: true });
  }
};

/**
 * Builds a kuromoji tokenizer from `dicPath`, through `cacheDir` when given. Throws on a missing
 * or unreadable dictionary (the caller wraps it into an `NlpError`).
 *
 * @example
 * const tk = buildKuromoji("/…/node_modules/kuromoji/dict", "node_modules/.cache/ml-chatops");
 * tk.tokenize("東京に行く");
 */
export const buildKuromoji = (
  dicPath: string,
  cacheDir?: string,
): { tokenize(text: string): ReadonlyArray<KuromojiToken> } => {
  const dir = cacheDir === undefined ? undefined : path.join(cacheDir, `kuromoji-dict-${cacheKey(dicPath)}`);
  let raw = dir === undefined ? undefined : readCache(dir);
  if (raw === undefined) {
    raw = inflate(dicPath);
    if (dir !== undefined) writeCache(dir, raw);
  }
  const base = path.dirname(localRequire.resolve("kuromoji/package.json"));
  const k: KuromojiInternals = {
    DynamicDictionaries: localRequire(path.join(base, "src", "dict", "DynamicDictionaries.js")) as KuromojiInternals["DynamicDictionaries"],
    Tokenizer: localRequire(path.join(base, "src", "Tokenizer.js")) as KuromojiInternals["Tokenizer"],
  };
  const dic = new k.DynamicDictionaries();
  dic.loadTrie(toInt32(raw["base.dat"]), toInt32(raw["check.dat"]));
  dic.token_info_dictionary.loadDictionary(raw["tid.dat"]);
  dic.token_info_dictionary.loadPosVector(new Uint8Array(0));
  dic.token_info_dictionary.getFeatures = featureReader({
    posIndex: raw["feat_pos.bin"],
    strOffsets: raw["feat_off.bin"],
    strings: raw["feat_str.bin"],
    posTable: raw["feat_table.txt"],
  });
  const mapOffsets = toInt32(raw["map_offsets.bin"]);
  const mapIds = toInt32(raw["map_ids.bin"]);
  // ViterbiBuilder reads `target_map[trieId]` and iterates the ids; a view answers that.
  dic.token_info_dictionary.target_map = new Proxy(
    {},
    {
      get: (_t, key) => {
        const id = typeof key === "string" ? Number(key) : NaN;
        if (!(id >= 0 && id + 1 < mapOffsets.length)) return undefined;
        return mapIds.subarray(mapOffsets[id], mapOffsets[id + 1]);
      },
    },
  );
  const cc = raw["cc.dat"].byteOffset % 2 === 0 ? raw["cc.dat"] : raw["cc.dat"].slice();
  dic.loadConnectionCosts(new Int16Array(cc.buffer, cc.byteOffset, cc.byteLength / 2));
  const compat = toInt32(raw["unk_compat.dat"]);
  dic.loadUnknownDictionaries(
    raw["unk.dat"],
    raw["unk_pos.dat"],
    raw["unk_map.dat"],
    raw["unk_char.dat"],
    new Uint32Array(compat.buffer, compat.byteOffset, compat.length),
    raw["unk_invoke.dat"],
  );
  return new k.Tokenizer(dic);
};
