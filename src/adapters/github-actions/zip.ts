/**
 * A minimal zip reader for downloaded artifacts. The archive is untrusted data: it is parsed in
 * memory, entries are looked up by exact name, nothing is written to disk or executed, and sizes
 * are capped before and during inflation.
 */
import * as E from "fp-ts/Either";
import { crc32, inflateRawSync } from "node:zlib";

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** One file of the archive, not yet extracted. */
type Entry = {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
  readonly offset: number;
};

const findEocd = (buf: Buffer): number => {
  // The end record is 22 bytes plus a comment of at most 65,535 bytes.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
};

const listEntries = (buf: Buffer): E.Either<string, ReadonlyArray<Entry>> => {
  const eocd = findEocd(buf);
  if (eocd < 0) return E.left("not a zip archive (no end-of-central-directory record)");
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) return E.left("zip64 archives are not supported");
  if (count > 1000) return E.left(`too many entries (${count})`);
  const entries: Array<Entry> = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
      return E.left(`corrupt central directory at entry ${i + 1}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressed: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      offset: buf.readUInt32LE(p + 42),
      name: buf.subarray(p + 46, p + 46 + nameLen).toString("utf8"),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return E.right(entries);
};

/**
 * The content of the entry called exactly `name` (stored or deflated), at most `maxBytes` long.
 *
 * @example
 * readZipEntry(zipBytes, "result.json", 5_000_000); // Right(<Buffer …>)
 * @internal */
export const readZipEntry = (zip: Uint8Array, name: string, maxBytes: number): E.Either<string, Buffer | undefined> => {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const listed = listEntries(buf);
  if (E.isLeft(listed)) return listed;
  const entry = listed.right.find((e) => e.name === name);
  if (entry === undefined) return E.right(undefined);
  if (entry.size > maxBytes) return E.left(`${name} is ${entry.size} bytes, more than the ${maxBytes} allowed`);
  const h = entry.offset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== LOCAL) return E.left(`corrupt local header of ${name}`);
  // Declared twice: the local header must agree with the central directory (unless bit 3 says
  // the sizes follow the data), or one reader's file is not another's.
  const declared = [
    buf.readUInt16LE(h + 8),
    buf.readUInt32LE(h + 14),
    buf.readUInt32LE(h + 18),
    buf.readUInt32LE(h + 22),
  ];
  if (
    (entry.flags & 0x08) === 0 &&
    declared.join() !== [entry.method, entry.crc, entry.compressed, entry.size].join()
  ) {
    return E.left(`${name}: the local header and the central directory disagree`);
  }
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, start + entry.compressed);
  if (data.length !== entry.compressed) return E.left(`${name} is truncated`);
  let out: Buffer;
  if (entry.method === 0) out = Buffer.from(data);
  else if (entry.method === 8) {
    try {
      // The declared size is the archive's claim; the output cap is what holds (zip bombs lie).
      out = inflateRawSync(data, { maxOutputLength: maxBytes });
    } catch (e) {
      if (e instanceof RangeError)
        return E.left(`${name} inflates past the cap of ${maxBytes} bytes (it declared ${entry.size})`);
      return E.left(`${name} does not inflate: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else return E.left(`${name} uses unsupported compression method ${entry.method}`);
  if (out.length !== entry.size) return E.left(`${name}: size mismatch (declared ${entry.size}, actual ${out.length})`);
  if (crc32(out) >>> 0 !== entry.crc) return E.left(`${name}: CRC mismatch`);
  return E.right(out);
};
