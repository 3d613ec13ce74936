/**
 * Who is calling: tokens (PAT, installation, Actions) looked up in state, App JWTs verified
 * with the App's public key (RS256), expiry checked against the fake's clock.
 */
import { verify } from "node:crypto";
import type { FakeState, FakeToken } from "./state.js";

export type AuthResult =
  | { readonly ok: true; readonly caller: FakeToken }
  | { readonly ok: false; readonly status: 401; readonly message: string };

/** Operations GitHub only accepts with an App JWT. */
export const JWT_OPERATIONS = new Set([
  "apps/get-authenticated",
  "apps/create-installation-access-token",
  "apps/get-repo-installation",
]);

const b64url = (s: string): Buffer => Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");

const verifyJwt = (state: FakeState, jwt: string, nowMs: number): FakeToken | undefined => {
  const [h, p, sig] = jwt.split(".");
  if (h === undefined || p === undefined || sig === undefined) return undefined;
  let payload: { iss?: unknown; exp?: unknown; iat?: unknown };
  try {
    payload = JSON.parse(b64url(p).toString("utf8")) as typeof payload;
  } catch {
    return undefined;
  }
  const app = state.apps.get(Number(payload.iss));
  if (app === undefined) return undefined;
  if (!verify("RSA-SHA256", Buffer.from(`${h}.${p}`), app.publicKey, b64url(sig))) return undefined;
  const now = nowMs / 1000;
  if (
    typeof payload.exp !== "number" ||
    payload.exp <= now ||
    typeof payload.iat !== "number" ||
    payload.iat > now + 60
  )
    return undefined;
  return { user: app.bot, kind: "jwt", app };
};

/** Checks the Authorization header for an operation. */
export const authenticate = (
  state: FakeState,
  operationId: string,
  header: string | undefined,
  nowMs: number,
): AuthResult => {
  if (header === undefined || header === "") return { ok: false, status: 401, message: "Requires authentication" };
  const m = /^(token|bearer)\s+(\S+)$/i.exec(header);
  if (m === null) return { ok: false, status: 401, message: "Bad credentials" };
  const secret = m[2] ?? "";
  if (JWT_OPERATIONS.has(operationId)) {
    const caller = verifyJwt(state, secret, nowMs);
    return caller === undefined
      ? { ok: false, status: 401, message: "A JSON web token could not be decoded" }
      : { ok: true, caller };
  }
  const token = state.tokens.get(secret);
  if (token === undefined || (token.expiresAt !== undefined && token.expiresAt <= nowMs))
    return { ok: false, status: 401, message: "Bad credentials" };
  return { ok: true, caller: token };
};

/**
 * An installation token whose App lacks `permission` at `level`: GitHub answers 403 "Resource not
 * accessible by integration" and names what the endpoint accepts in X-Accepted-GitHub-Permissions.
 */
export const lacksAppPermission = (
  t: FakeToken,
  permission: string,
  level: "read" | "write",
):
  | {
      readonly status: 403;
      readonly body: Readonly<Record<string, string>>;
      readonly headers: Readonly<Record<string, string>>;
    }
  | undefined => {
  if (t.kind !== "installation" || t.app === undefined) return undefined;
  const has = t.app.permissions[permission];
  if (has === level || has === "write") return undefined;
  return {
    status: 403,
    body: {
      message: "Resource not accessible by integration",
      documentation_url: "https://docs.github.com/rest",
      status: "403",
    },
    headers: { "x-accepted-github-permissions": `${permission}=${level}` },
  };
};
