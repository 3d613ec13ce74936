/**
 * Where the prepared IPADIC comes from, fastest first:
 * 1. the file `npm run build` ships in the package (`dist/ipadic.bin`, scripts/prepare-dictionary.ts),
 *    used when it was prepared from the installed kuromoji's dictionary (same fingerprint);
 * 2. the same file in a cache directory, written by an earlier run;
 * 3. kuromoji's `.dat.gz` files, inflated and packed (about a second), then written to the cache.
 * Either file is read in one go and used in place (ipadic-file.ts).
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { inflateIpadic, IPADIC_FILES, type IpadicData } from "./ipadic-data.js";
import { decodeIpadic, encodeIpadic, ipadicFingerprint } from "./ipadic-file.js";

/** Bump when the prepared layout changes. */
const LAYOUT = "4";

/** The prepared file's name, in dist/ and in cache directories. @internal */
export const PREPARED_DICTIONARY_FILE = "ipadic.bin";

const kuromojiVersion = (dicPath: string): string =>
  String((JSON.parse(readFileSync(path.join(dicPath, "..", "package.json"), "utf8")) as { version?: string }).version);

/**
 * Identifies the dictionary at `dicPath` (kuromoji version, its files' sizes, this loader's
 * layout, not where it is installed); token caches include it in their keys, prepared files
 * carry it.
 *
 * @example
 * dictionaryFingerprint(resolveKuromojiDicPath()); // "kuromoji@0.1.2 ipadic 61b6caefce123cf5"
 */
export const dictionaryFingerprint = (dicPath: string): string => {
  const version = kuromojiVersion(dicPath);
  const sizes = IPADIC_FILES.map((f) => `${f}:${statSync(path.join(dicPath, `${f}.gz`)).size}`).join(",");
  const hash = createHash("sha256").update(`${LAYOUT}|${version}|${sizes}`).digest("hex").slice(0, 16);
  return `kuromoji@${version} ipadic ${hash}`;
};

/**
 * The root of the ml-chatops package that holds this module (the folder of its package.json),
 * or undefined when there is none (a bundle copied elsewhere).
 *
 * @example
 * packageRoot(); // "/…/node_modules/ml-chatops"
 * @internal */
export const packageRoot = (): string | undefined => {
  // import.meta.url also works in the CJS build: tsup's `shims` rewrites it from __filename.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "ml-chatops") return dir;
      } catch {
        // Not our package.json; keep looking upwards.
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
};

/**
 * The prepared file inside this package (dist/ipadic.bin beside the package.json that holds
 * this module), whether or not it exists.
 *
 * @example
 * shippedDictionaryPath(); // "/…/node_modules/ml-chatops/dist/ipadic.bin"
 * @internal */
export const shippedDictionaryPath = (): string => {
  const root = packageRoot();
  return root === undefined
    ? path.join(path.dirname(fileURLToPath(import.meta.url)), PREPARED_DICTIONARY_FILE)
    : path.join(root, "dist", PREPARED_DICTIONARY_FILE);
};

// Read into shared memory, so worker threads can be handed the very same bytes (no copy each).
const readShared = (file: string): Uint8Array => {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size;) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) throw new Error(`${file}: ended after ${at} of ${size} bytes`);
      at += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
};

const readPrepared = (file: string, fingerprint: string): IpadicData | undefined => {
  try {
    const bytes = readShared(file);
    return ipadicFingerprint(bytes) === fingerprint ? decodeIpadic(bytes) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The prepared file's bytes of loaded dictionary data in one shared buffer, to post to worker
 * threads (`decodeIpadic(new Uint8Array(buffer))` there): the buffer read from the shipped or
 * cached file itself, else (inflated data) the data encoded into a new one.
 *
 * @example
 * const buffer = sharedIpadicBuffer(loadIpadic(dicPath, cacheDir), dicPath);
 * @internal */
export const sharedIpadicBuffer = (
  loaded: { readonly data: IpadicData; readonly source: IpadicSource },
  dicPath: string,
): SharedArrayBuffer => {
  const whole = loaded.data.base.buffer;
  if (loaded.source !== "inflated" && whole instanceof SharedArrayBuffer) return whole;
  const bytes = encodeIpadic(loaded.data, dictionaryFingerprint(dicPath));
  const shared = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(shared).set(bytes);
  return shared;
};

/**
 * Writes the prepared file for `dicPath` to `file` (atomically: a temporary file renamed into place).
 *
 * @example
 * writePreparedDictionary(resolveKuromojiDicPath(), "dist/ipadic.bin");
 * @internal */
export const writePreparedDictionary = (
  dicPath: string,
  file: string,
  data: IpadicData = inflateIpadic(dicPath),
): number => {
  const bytes = encodeIpadic(data, dictionaryFingerprint(dicPath));
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } finally {
    if (existsSync(tmp)) rmSync(tmp, { force: true });
  }
  return bytes.byteLength;
};

/**
 * How the dictionary was found, for tests and the benchmark.
 *
 * @example
 * loadIpadic(dicPath, cacheDir).source; // "shipped"
 * @internal */
export type IpadicSource = "shipped" | "cache" | "inflated";

/**
 * The prepared dictionary for `dicPath`: shipped, else cached in `cacheDir`, else inflated (and
 * then cached in `cacheDir` when given). Throws when kuromoji's files cannot be read.
 *
 * @example
 * const { data } = loadIpadic(resolveKuromojiDicPath(), "node_modules/.cache/ml-chatops");
 * @internal */
export const loadIpadic = (
  dicPath: string,
  cacheDir?: string,
  shipped: string = shippedDictionaryPath(),
): { readonly data: IpadicData; readonly source: IpadicSource } => {
  const fingerprint = dictionaryFingerprint(dicPath);
  const fromPackage = readPrepared(shipped, fingerprint);
  if (fromPackage !== undefined) return { data: fromPackage, source: "shipped" };
  const cached = cacheDir === undefined ? undefined : path.join(cacheDir, PREPARED_DICTIONARY_FILE);
  const fromCache = cached === undefined ? undefined : readPrepared(cached, fingerprint);
  if (fromCache !== undefined) return { data: fromCache, source: "cache" };
  const data = inflateIpadic(dicPath);
  if (cached !== undefined) {
    try {
      writePreparedDictionary(dicPath, cached, data);
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  }
  return { data, source: "inflated" };
};
