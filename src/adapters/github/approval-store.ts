/**
 * The approval store of a GitHub bot: the ledger's comment approvals (pending approvals and
 * handled edits in the head of each living comment, see core/ledger/comment-approvals.ts),
 * HMAC-SHA256-signed over the state secret, so an edit by anyone (admins can edit any comment)
 * makes the state invalid rather than trusted. The same bookkeeping goes to the comment
 * reporter, which signs the state anew on every write of the comment.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createCommentApprovalStore, type Bookkeeping, type CommentApprovalStore } from "../../core/ledger/index.js";
import type { Clock, Forge, Seal } from "../../core/ports.js";
import { stateSecretProblem } from "./state-secret.js";

export type GitHubApprovalStoreConfig = {
  /** HMAC key holding ≥ 32 random bytes (`openssl rand -hex 32`); a weaker one throws. */
  readonly secret: string;
  /** An approval older than this is not used (a revoked maintainer's approval cannot run hours later). Default 1 h. */
  readonly maxAgeMs?: number | undefined;
  /**
   * How much later than the bot's own clock at writing the comment may show as last edited before
   * the state counts as restored from its edit history. Default 2 min (clock skew and API latency).
   */
  readonly maxClockSkewMs?: number | undefined;
};

/** An ApprovalStore that also remembers handled edits, for replay idempotency. */
export type GitHubApprovalStore = CommentApprovalStore & {
  /** How the store signs; the comment reporter must sign with the same. */
  readonly bookkeeping: Bookkeeping;
};

/** An HMAC-SHA256 seal over `secret`, compared in constant time. */
const hmacSeal = (secret: string): Seal => {
  const sign = (text: string) => createHmac("sha256", secret).update(text).digest("hex");
  return {
    sign,
    verify: (text, signature) => {
      const expected = Buffer.from(sign(text), "hex");
      const given = Buffer.from(signature, "hex");
      return given.length === expected.length && timingSafeEqual(expected, given);
    },
  };
};

/**
 * Creates the store over the bot's Forge.
 *
 * @example
 * const approvals = createGitHubApprovalStore({ forge }, { secret: process.env.ML_CHATOPS_STATE_SECRET! });
 */
export const createGitHubApprovalStore = (
  deps: { readonly forge: Pick<Forge, "listComments" | "upsertComment">; readonly clock?: Clock | undefined },
  config: GitHubApprovalStoreConfig,
): GitHubApprovalStore => {
  const weak = stateSecretProblem(config.secret, "the approval store's secret");
  if (weak !== undefined) throw new Error(`ml-chatops GitHub approval store: ${weak}`);
  const bookkeeping: Bookkeeping = {
    seal: hmacSeal(config.secret),
    clock: deps.clock,
    maxClockSkewMs: config.maxClockSkewMs,
  };
  return {
    ...createCommentApprovalStore(deps.forge, bookkeeping, { maxAgeMs: config.maxAgeMs }),
    bookkeeping,
  };
};
