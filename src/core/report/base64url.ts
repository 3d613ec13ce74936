/**
 * UTF-8 + base64url (RFC 4648 §5, no padding) in plain TypeScript: core may not use `Buffer`,
 * and `btoa`/`TextEncoder` are not in the ES library we compile against.
 *
 * @internal
 */
import * as O from "fp-ts/Option";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const toUtf8 = (s: string): ReadonlyArray<number> => {
  const out: Array<number> = [];
  for (const ch of s) {
    let cp = ch.codePointAt(0) ?? 0xfffd;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
};

/** Strict UTF-8 decoding: overlong forms, surrogates and truncated sequences are rejected. */
const fromUtf8 = (bytes: ReadonlyArray<number>): O.Option<string> => {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (n < 0 || i + n > bytes.length - 1) return O.none;
    let cp = n === 0 ? b : b & (0x3f >> n);
    for (let j = 1; j <= n; j += 1) {
      const c = bytes[i + j] ?? 0;
      if ((c & 0xc0) !== 0x80) return O.none;
      cp = (cp << 6) | (c & 63);
    }
    const min = [0, 0x80, 0x800, 0x10000][n] ?? 0;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return O.none;
    out += String.fromCodePoint(cp);
    i += n + 1;
  }
  return O.some(out);
};

/**
 * Encodes text as base64url of its UTF-8 bytes.
 *
 * @example
 * encodeBase64Url("hi"); // "aGk"
 * @internal */
export const encodeBase64Url = (text: string): string => {
  const bytes = toUtf8(text);
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const chunk = (a << 16) | (b << 8) | c;
    const chars = i + 1 >= bytes.length ? 2 : i + 2 >= bytes.length ? 3 : 4;
    for (let j = 0; j < chars; j += 1) out += ALPHABET[(chunk >> (18 - 6 * j)) & 63];
  }
  return out;
};

/**
 * Decodes base64url (no padding) into text; none for anything malformed.
 *
 * @example
 * decodeBase64Url("aGk"); // some("hi")
 * @internal */
export const decodeBase64Url = (s: string): O.Option<string> => {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return O.none;
  const bytes: Array<number> = [];
  for (let i = 0; i < s.length; i += 4) {
    const group = s.slice(i, i + 4);
    let chunk = 0;
    for (let j = 0; j < 4; j += 1) chunk = (chunk << 6) | (j < group.length ? ALPHABET.indexOf(group[j] ?? "A") : 0);
    bytes.push((chunk >> 16) & 255);
    if (group.length > 2) bytes.push((chunk >> 8) & 255);
    if (group.length > 3) bytes.push(chunk & 255);
  }
  return fromUtf8(bytes);
};
