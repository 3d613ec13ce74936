/**
 * Checks an AWS Signature Version 4 `Authorization` header the way AWS does: parse the
 * credential scope, rebuild the canonical request from the signed headers, recompute the
 * signature with the known test secret. Returns the failure as an AWS error, or undefined.
 */
import { createHash, createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** The error AWS would answer with. */
export type SigV4Failure = { readonly status: number; readonly type: string; readonly message: string };

/** Credentials and scope the emulator accepts. */
export type SigV4Expectation = {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  readonly service: string;
  /** Wall clock used for the skew check (the SDK signs with real time, not a test clock). */
  readonly now: () => Date;
  /** Headers that must be signed (default: the awsJson set host, x-amz-date, x-amz-target, content-type). */
  readonly requiredSignedHeaders?: ReadonlyArray<string>;
  /** The raw query string (without `?`), for REST protocols; default none. */
  readonly query?: string;
};

const JSON_SIGNED_HEADERS: ReadonlyArray<string> = ["host", "x-amz-date", "x-amz-target", "content-type"];

/** The canonical query string: pairs as sent (already URI-encoded), sorted by name then value. */
const canonicalQuery = (raw: string | undefined): string =>
  (raw ?? "")
    .split("&")
    .filter((p) => p.length > 0)
    .map((p) => (p.includes("=") ? p : `${p}=`))
    .sort((a, b) => {
      const [ka = "", va = ""] = a.split("=");
      const [kb = "", vb = ""] = b.split("=");
      return ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0;
    })
    .join("&");

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

const sha256hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(",") : v;
};

const fail = (status: number, type: string, message: string): SigV4Failure => ({ status, type, message });

/** Parses `20261127T153306Z`. */
const parseAmzDate = (s: string): Date | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
};

const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * Verifies one request. `body` is the raw request body.
 *
 * @example
 * const failure = verifySigV4("POST", "/", req.headers, raw, expectation);
 */
export const verifySigV4 = (
  method: string,
  path: string,
  h: IncomingHttpHeaders,
  body: Buffer,
  want: SigV4Expectation,
): SigV4Failure | undefined => {
  const auth = header(h, "authorization");
  if (auth === undefined) return fail(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  const m = AUTH.exec(auth);
  if (!m)
    return fail(
      400,
      "IncompleteSignatureException",
      `Authorization header is not AWS4-HMAC-SHA256 with a credential scope: ${auth.slice(0, 60)}`,
    );
  const [, akid, day, region, service, signed, sig] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (akid !== want.accessKeyId)
    return fail(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
  if (region !== want.region)
    return fail(403, "InvalidSignatureException", `Credential should be scoped to a valid region, not '${region}'.`);
  if (service !== want.service)
    return fail(403, "InvalidSignatureException", `Credential should be scoped to correct service: '${want.service}'.`);
  const signedList = signed.split(";");
  for (const required of want.requiredSignedHeaders ?? JSON_SIGNED_HEADERS) {
    if (!signedList.includes(required))
      return fail(403, "InvalidSignatureException", `'${required}' must be a signed header.`);
  }
  const amzDate = header(h, "x-amz-date") ?? "";
  const when = parseAmzDate(amzDate);
  if (!when || !amzDate.startsWith(day))
    return fail(
      400,
      "IncompleteSignatureException",
      "X-Amz-Date is missing or does not match the credential scope date.",
    );
  if (Math.abs(want.now().getTime() - when.getTime()) > MAX_SKEW_MS)
    return fail(403, "InvalidSignatureException", "Signature expired.");
  const payloadHash = sha256hex(body);
  const claimed = header(h, "x-amz-content-sha256");
  if (claimed !== undefined && claimed !== payloadHash)
    return fail(
      403,
      "InvalidSignatureException",
      "The provided x-amz-content-sha256 header does not match what was computed.",
    );
  const canonHeaders = signedList
    .map(
      (k) =>
        `${k}:${String(header(h, k) ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const canonical = [method, path, canonicalQuery(want.query), canonHeaders, signed, payloadHash].join("\n");
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    amzDate,
    `${day}/${region}/${service}/aws4_request`,
    sha256hex(canonical),
  ].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${want.secretAccessKey}`, day), region), service), "aws4_request");
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  if (expected !== sig) {
    return fail(
      403,
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided.",
    );
  }
  return undefined;
};
