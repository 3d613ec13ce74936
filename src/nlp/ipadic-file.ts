/**
 * The prepared dictionary as one file: a magic line, a JSON header naming each section's offset,
 * length and element type, then the sections, each 8-byte aligned. Reading it is one file read
 * and typed-array views over that buffer: nothing is inflated or copied. `npm run build` writes
 * it into dist/ (scripts/prepare-dictionary.ts), so an installed package never inflates.
 */
import type { CompactFeatures } from "./dictionary-features.js";
import type { IpadicData, UnknownWords } from "./ipadic-data.js";

const MAGIC = "ml-chatops ipadic\n";

type Kind = "i32" | "i16" | "u8";
type Section = { readonly name: string; readonly kind: Kind; readonly offset: number; readonly length: number };
type Header = {
  readonly fingerprint: string;
  readonly unknown: UnknownWords;
  readonly sections: ReadonlyArray<Section>;
};

const bytesOf = (a: Int32Array | Int16Array | Uint8Array): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const sectionsOf = (d: IpadicData): ReadonlyArray<[string, Kind, Int32Array | Int16Array | Uint8Array]> => [
  ["base", "i32", d.base],
  ["check", "i32", d.check],
  ["words", "i16", d.words],
  ["mapOffsets", "i32", d.mapOffsets],
  ["mapIds", "i32", d.mapIds],
  ["connection", "i16", d.connection],
  ["unknownWords", "i16", d.unknownWords],
  ["charClass", "u8", d.charClass],
  ["charCompat", "i32", d.charCompat],
  ["posIndex", "u8", d.features.posIndex],
  ["strOffsets", "u8", d.features.strOffsets],
  ["strings", "u8", d.features.strings],
  ["posTable", "u8", d.features.posTable],
];

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * The file's bytes for `data`; `fingerprint` names the dictionary it was prepared from.
 *
 * @example
 * writeFileSync("dist/ipadic.bin", encodeIpadic(data, dictionaryFingerprint(dicPath)));
 * @internal */
export const encodeIpadic = (data: IpadicData, fingerprint: string): Uint8Array => {
  const parts = sectionsOf(data);
  // Offsets are relative to the end of the header, so the header's own length does not matter.
  let at = 0;
  const sections = parts.map(([name, kind, a]) => {
    const s = { name, kind, offset: at, length: a.byteLength };
    at = align8(at + a.byteLength);
    return s;
  });
  const header = Buffer.from(JSON.stringify({ fingerprint, unknown: data.unknown, sections } satisfies Header));
  const start = align8(MAGIC.length + 4 + header.byteLength);
  const out = new Uint8Array(start + at);
  out.set(Buffer.from(MAGIC, "latin1"), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.byteLength, true);
  out.set(header, MAGIC.length + 4);
  parts.forEach(([, , a], i) => out.set(bytesOf(a), start + sections[i]!.offset));
  return out;
};

/**
 * The fingerprint stored in a prepared file, or undefined when `bytes` is not one.
 *
 * @example
 * ipadicFingerprint(readFileSync("dist/ipadic.bin")); // "kuromoji@0.1.2 ipadic 61b6…"
 * @internal */
export const ipadicFingerprint = (bytes: Uint8Array): string | undefined => readHeader(bytes)?.header.fingerprint;

const readHeader = (bytes: Uint8Array): { header: Header; start: number } | undefined => {
  if (
    bytes.byteLength < MAGIC.length + 4 ||
    Buffer.from(bytes.buffer, bytes.byteOffset, MAGIC.length).toString("latin1") !== MAGIC
  ) {
    return undefined;
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  if (MAGIC.length + 4 + length > bytes.byteLength) return undefined;
  try {
    const header = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset + MAGIC.length + 4, length).toString("utf8"),
    ) as Header;
    return { header, start: align8(MAGIC.length + 4 + length) };
  } catch {
    return undefined;
  }
};

/**
 * Views over a prepared file's bytes (copied once if `bytes` is not 8-byte aligned). Undefined
 * when the bytes are not a complete prepared file.
 *
 * @example
 * const data = decodeIpadic(readFileSync("dist/ipadic.bin"));
 * @internal */
export const decodeIpadic = (input: Uint8Array): IpadicData | undefined => {
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const read = readHeader(bytes);
  if (read === undefined) return undefined;
  const { header, start } = read;
  const get = new Map<string, Int32Array | Int16Array | Uint8Array>();
  for (const s of header.sections) {
    const at = bytes.byteOffset + start + s.offset;
    if (start + s.offset + s.length > bytes.byteLength) return undefined;
    const buf = bytes.buffer;
    get.set(
      s.name,
      s.kind === "i32"
        ? new Int32Array(buf, at, s.length / 4)
        : s.kind === "i16"
          ? new Int16Array(buf, at, s.length / 2)
          : new Uint8Array(buf, at, s.length),
    );
  }
  const need = <T>(name: string): T => {
    const a = get.get(name);
    if (a === undefined) throw new Error(`prepared dictionary: section ${name} missing`);
    return a as T;
  };
  const features: CompactFeatures = {
    posIndex: need("posIndex"),
    strOffsets: need("strOffsets"),
    strings: need("strings"),
    posTable: need("posTable"),
  };
  return {
    base: need("base"),
    check: need("check"),
    words: need("words"),
    mapOffsets: need("mapOffsets"),
    mapIds: need("mapIds"),
    connection: need("connection"),
    unknownWords: need("unknownWords"),
    charClass: need("charClass"),
    charCompat: need("charCompat"),
    features,
    unknown: header.unknown,
  };
};
