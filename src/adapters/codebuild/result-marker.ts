/**
 * The result travels through the build log as marker lines:
 *
 *   ML_CHATOPS_RESULT v1 <i>/<n> <sha256 hex of the whole JSON> <base64 chunk>
 *
 * `i` runs from 1 to `n`; the chunks, joined in order and base64-decoded, are the UTF-8 JSON whose
 * SHA-256 is the checksum. Lines are short enough for any log pipeline; a cut, reordered or edited
 * line is detected. Only lines that start with the marker count (a command echo does not).
 */
import { createHash } from "node:crypto";
import * as E from "fp-ts/Either";

/**
 * The first word of every marker line.
 *
 * @example
 * line.startsWith(`${RESULT_MARKER} `);
 * @internal */
export const RESULT_MARKER = "ML_CHATOPS_RESULT";
const VERSION = "v1";
const LINE = /^ML_CHATOPS_RESULT v1 (\d{1,6})\/(\d{1,6}) ([0-9a-f]{64}) ([A-Za-z0-9+/=]+)$/;
const DEFAULT_CHUNK = 3_000;

const sha256hex = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

/**
 * Encodes a JSON text as marker lines (without newlines).
 *
 * @example
 * encodeResultMarkers('{"documents":[]}'); // ["ML_CHATOPS_RESULT v1 1/1 <sha> eyJkb2N1bWVudHMiOltdfQ=="]
 */
export const encodeResultMarkers = (json: string, chunkChars = DEFAULT_CHUNK): ReadonlyArray<string> => {
  const sum = sha256hex(json);
  const b64 = Buffer.from(json, "utf8").toString("base64");
  const size = Math.max(4, chunkChars - (chunkChars % 4));
  const chunks: string[] = [];
  for (let i = 0; i < b64.length; i += size) chunks.push(b64.slice(i, i + size));
  if (chunks.length === 0) chunks.push("");
  return chunks.map((c, i) => `${RESULT_MARKER} ${VERSION} ${i + 1}/${chunks.length} ${sum} ${c}`);
};

/** True when a log line claims to be a marker line (well-formed or not). @internal */
export const isMarkerLine = (line: string): boolean => line.startsWith(`${RESULT_MARKER} `);

type Chunk = { readonly i: number; readonly n: number; readonly sum: string; readonly data: string };

/**
 * Finds the result in log lines and returns its JSON text, or a one-line reason. When the log
 * holds several results, the last complete one wins.
 *
 * @example
 * decodeResultMarkers(encodeResultMarkers("{}")); // Right("{}")
 * @internal */
export const decodeResultMarkers = (
  lines: ReadonlyArray<string>,
  maxChars = Number.MAX_SAFE_INTEGER,
): E.Either<string, string> => {
  const bySum = new Map<string, Map<number, Chunk>>();
  const sizes = new Map<string, number>();
  const order: string[] = [];
  // Capped while collecting, before anything is joined or decoded (SECURITY-CHECKLIST 81).
  const maxB64 = (maxChars * 4) / 3 + 4;
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r?\n$/, "").trimEnd();
    if (!isMarkerLine(line)) continue;
    const m = LINE.exec(line);
    if (!m) return E.left(`malformed ${RESULT_MARKER} line ${index + 1} of the build log`);
    const chunk: Chunk = { i: Number(m[1]), n: Number(m[2]), sum: m[3] ?? "", data: m[4] ?? "" };
    if (chunk.i < 1 || chunk.i > chunk.n)
      return E.left(`${RESULT_MARKER} line ${index + 1}: chunk ${chunk.i}/${chunk.n} is out of range`);
    const set = bySum.get(chunk.sum) ?? new Map<number, Chunk>();
    const seen = set.get(chunk.i);
    if (seen !== undefined && (seen.data !== chunk.data || seen.n !== chunk.n)) {
      return E.left(`${RESULT_MARKER} line ${index + 1}: chunk ${chunk.i} differs from an earlier copy`);
    }
    if ([...set.values()].some((c) => c.n !== chunk.n))
      return E.left(`${RESULT_MARKER} line ${index + 1}: chunk count changed`);
    if (seen === undefined) {
      const size = (sizes.get(chunk.sum) ?? 0) + chunk.data.length;
      if (size > maxB64) return E.left(`${RESULT_MARKER} result larger than ${maxChars} characters`);
      sizes.set(chunk.sum, size);
    }
    set.set(chunk.i, chunk);
    bySum.set(chunk.sum, set);
    if (!order.includes(chunk.sum)) order.push(chunk.sum);
  }
  const last = order[order.length - 1];
  if (last === undefined) return E.left(`no ${RESULT_MARKER} lines in the build log`);
  const set = bySum.get(last) ?? new Map<number, Chunk>();
  const n = set.values().next().value?.n ?? 0;
  const missing = Array.from({ length: n }, (_, k) => k + 1).filter((i) => !set.has(i));
  if (missing.length > 0)
    return E.left(
      `${RESULT_MARKER} incomplete: chunk${missing.length > 1 ? "s" : ""} ${missing.slice(0, 5).join(", ")} of ${n} missing`,
    );
  const b64 = Array.from({ length: n }, (_, k) => set.get(k + 1)?.data ?? "").join("");
  if (b64.length > maxB64) return E.left(`${RESULT_MARKER} result larger than ${maxChars} characters`);
  const json = Buffer.from(b64, "base64").toString("utf8");
  if (sha256hex(json) !== last) return E.left(`${RESULT_MARKER} checksum mismatch: the result was altered or cut`);
  return E.right(json);
};
