/**
 * `X-Hub-Signature-256` verification: HMAC-SHA256 over the raw bytes, compared in constant time.
 * Malformed headers (missing, `sha1=`, odd or short hex) are rejected before any compare, so
 * `timingSafeEqual` never sees buffers of different lengths and never throws.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const HEADER = /^sha256=([0-9a-f]{64})$/;

/**
 * True when `header` is the signature of `rawBody` under `secret`.
 *
 * @example
 * verifySignature("It's a Secret to Everybody", Buffer.from("Hello, World!"),
 *   "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"); // true
 */
export const verifySignature = (secret: string, rawBody: Uint8Array, header: string | undefined): boolean => {
  const m = HEADER.exec(header ?? "");
  if (m === null || m[1] === undefined) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(m[1], "hex"));
};

/**
 * The header value GitHub would send for `rawBody` (for tests and for forwarding).
 *
 * @example
 * signBody("secret", Buffer.from("{}")); // "sha256=…"
 * @internal */
export const signBody = (secret: string, rawBody: Uint8Array): string =>
  `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
