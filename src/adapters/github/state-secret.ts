/**
 * How much randomness a state secret holds, by a simple, conservative estimate, so a guessable
 * key for the signed bookkeeping state (32 × `a`, a short password) is refused up front
 * (SECURITY-CHECKLIST 84).
 *
 * The estimate: the shortest repeating unit of the secret (`abab…` counts as `ab`) times the bits
 * per character of the smallest alphabet it fits (hex 4, base64/base64url 6, printable ASCII
 * 6.5), and it must use a plausible number of distinct characters for a random string of that
 * alphabet. `openssl rand -hex 32` (64 hex digits) and `openssl rand -base64 32` both pass.
 */

/** The randomness a state secret must hold: 32 bytes. @internal */
export const MIN_STATE_SECRET_BITS = 256;

/** The one-line advice that ends every refusal. @internal */
export const MAKE_STATE_SECRET = "make one with `openssl rand -hex 32`";

/** The length of the shortest unit whose repetition is `s` (KMP failure function). */
const periodOf = (s: string): number => {
  const fail = new Array<number>(s.length).fill(0);
  for (let i = 1, k = 0; i < s.length; i += 1) {
    while (k > 0 && s[i] !== s[k]) k = fail[k - 1] ?? 0;
    if (s[i] === s[k]) k += 1;
    fail[i] = k;
  }
  const p = s.length - (fail[s.length - 1] ?? 0);
  return s.length % p === 0 ? p : s.length;
};

const bitsPerChar = (s: string): number => {
  if (/^[0-9a-f]+$/.test(s) || /^[0-9A-F]+$/.test(s)) return 4;
  if (/^[A-Za-z0-9+/_-]+$/.test(s)) return 6;
  return Math.log2(95);
};

/**
 * The estimated bits of randomness in `secret` (0 for the empty string).
 *
 * @example
 * stateSecretBits("a".repeat(32)); // 4
 * @internal */
export const stateSecretBits = (secret: string): number => {
  const body = secret.replace(/=+$/, "");
  if (body.length === 0) return 0;
  const unit = body.slice(0, periodOf(body));
  const perChar = bitsPerChar(unit);
  const chars = Array.from(unit);
  const distinct = new Set(chars).size;
  // A random string of n characters over an alphabet of 2^b shows about min(n, 2^b) distinct
  // ones; far fewer means it is not random (`aaaabbbb…`): count only what the distinct ones carry.
  const expected = Math.min(chars.length, 2 ** perChar);
  const bits = chars.length * (distinct * 2 >= expected ? perChar : Math.log2(Math.max(distinct, 1)));
  return Math.floor(bits);
};

/**
 * Why `secret` cannot sign state, in one line naming `where`, or undefined when it is strong enough.
 *
 * @example
 * stateSecretProblem("a".repeat(32), "ML_CHATOPS_STATE_SECRET");
 * // "ML_CHATOPS_STATE_SECRET holds about 4 bits of randomness; it needs 256 (32 random bytes): make one with `openssl rand -hex 32`"
 */
export const stateSecretProblem = (secret: string, where: string): string | undefined => {
  if (secret === "")
    return `${where} is not set; it needs ${MIN_STATE_SECRET_BITS / 8} random bytes: ${MAKE_STATE_SECRET}`;
  const bits = stateSecretBits(secret);
  return bits >= MIN_STATE_SECRET_BITS
    ? undefined
    : `${where} holds about ${bits} bits of randomness; it needs ${MIN_STATE_SECRET_BITS} (${MIN_STATE_SECRET_BITS / 8} random bytes): ${MAKE_STATE_SECRET}`;
};
