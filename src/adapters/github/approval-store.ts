/**
 * An ApprovalStore with no database: per pull request, the bot keeps one small bookkeeping
 * comment whose hidden marker carries the pending approval and recently handled delivery keys,
 * HMAC-signed so an edit by anyone (admins can edit any comment) makes it invalid rather than
 * trusted. Only comments authored by the bot are read (the Forge guarantees that).
 *
 * Freshness (SECURITY-CHECKLIST 84): anyone who can edit the comment can also copy an older,
 * validly signed revision back from its edit history (restoring a consumed approval or dropping
 * claimed delivery keys). So the signed state carries a version and the time the bot wrote it,
 * and a state whose comment was edited more than `maxClockSkewMs` after that time was not
 * written by the bot then: it is refused as corrupt. A restore inside that window can only bring
 * back what the 👀/🚀 reaction claims below already guard.
 *
 * Concurrency: operations on one pull request are serialised within the process. Comments have
 * no conditional update, so two processes can lose each other's writes here. That cannot start a
 * run twice: the pipeline claims each comment (👀) and each start (🚀) through reactions, which
 * GitHub adds atomically. A lost write can only drop a pending approval (nothing runs; comment
 * again), so one worker per repository (an Actions concurrency group) is still the smooth setup.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import * as t from "io-ts";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { storeCorrupt, storeUnavailable, type ForgeError, type StoreError } from "../../core/errors.js";
import { Approval, type RepoPullNumber } from "../../core/model.js";
import type { ApprovalStore, Clock, Forge } from "../../core/ports.js";
import type { GitHubForge, OwnComment } from "./forge.js";
import { stateSecretProblem } from "./state-secret.js";

const MARKER = "<!-- ml-chatops:approvals -->";
const DATA = /<!-- ml-chatops:approvals:v2 ([A-Za-z0-9_-]+) ([0-9a-f]{64}) -->/;
const MAX_KEYS = 100;

/** `version` counts the bot's writes; `writtenAt` is its clock at the write (both signed). */
const State = t.type({
  pending: t.union([Approval, t.null]),
  keys: t.array(t.string),
  version: t.number,
  writtenAt: t.string,
});
type State = t.TypeOf<typeof State>;
type Content = Pick<State, "pending" | "keys"> & { readonly version: number };
const EMPTY: Content = { pending: null, keys: [], version: 0 };

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

/** An ApprovalStore that also remembers handled deliveries, for redelivery idempotency. */
export type GitHubApprovalStore = ApprovalStore & {
  /**
   * Records `key` (e.g. `delivery:<id>`, `comment:<id>:created`) for the pull request; true when
   * it was new, false when it was seen before (a redelivery or replay to drop).
   */
  readonly claim: (pr: RepoPullNumber, key: string) => TE.TaskEither<StoreError, boolean>;
};

const prId = (pr: RepoPullNumber): string => `${pr.owner}/${pr.repo}#${pr.number}`.toLowerCase();
const STORE = "github-approvals";
const fromForge = (e: ForgeError): StoreError => storeUnavailable(STORE, e);

/**
 * Creates the store over the bot's Forge.
 *
 * @example
 * const approvals = createGitHubApprovalStore({ forge }, { secret: process.env.ML_CHATOPS_STATE_SECRET! });
 */
export const createGitHubApprovalStore = (
  deps: {
    readonly forge: Pick<Forge, "upsertComment"> & Pick<GitHubForge, "findOwnComment">;
    readonly clock?: Clock | undefined;
  },
  config: GitHubApprovalStoreConfig,
): GitHubApprovalStore => {
  const weak = stateSecretProblem(config.secret, "the approval store's secret");
  if (weak !== undefined) throw new Error(`ml-chatops GitHub approval store: ${weak}`);
  const maxAgeMs = config.maxAgeMs ?? 60 * 60 * 1000;
  const maxSkewMs = config.maxClockSkewMs ?? 2 * 60 * 1000;
  const now = () => (deps.clock?.now() ?? new Date()).getTime();
  const sign = (pr: RepoPullNumber, data: string) =>
    createHmac("sha256", config.secret)
      .update(`v2\n${prId(pr)}\n${data}`)
      .digest("hex");

  const parse = (pr: RepoPullNumber, comment: OwnComment): E.Either<StoreError, Content> => {
    const m = DATA.exec(comment.body);
    if (m === null) return E.left(storeCorrupt(STORE, `bookkeeping comment on ${prId(pr)} has no state`));
    const [, data = "", sig = ""] = m;
    const expected = Buffer.from(sign(pr, data), "hex");
    if (!timingSafeEqual(expected, Buffer.from(sig, "hex")))
      return E.left(storeCorrupt(STORE, `bookkeeping comment on ${prId(pr)} was altered (bad signature)`));
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(data, "base64url").toString("utf8"));
    } catch {
      return E.left(storeCorrupt(STORE, "state is not JSON"));
    }
    return pipe(
      State.decode(json),
      E.mapLeft(() => storeCorrupt(STORE, "state does not match its codec")),
      E.filterOrElse(
        (st) => Date.parse(comment.updatedAt) - Date.parse(st.writtenAt) <= maxSkewMs,
        (st) =>
          storeCorrupt(
            STORE,
            `bookkeeping comment on ${prId(pr)} holds state version ${st.version} written at ${st.writtenAt} but was edited at ${comment.updatedAt} (an older revision restored)`,
          ),
      ),
    );
  };

  const render = (pr: RepoPullNumber, s: Content): string => {
    const state: State = {
      pending: s.pending,
      keys: s.keys,
      version: s.version + 1,
      writtenAt: new Date(now()).toISOString(),
    };
    const data = Buffer.from(JSON.stringify(State.encode(state)), "utf8").toString("base64url");
    const what =
      s.pending === null ? "no approval pending" : `approval pending for \`${s.pending.pinnedSha.slice(0, 7)}\``;
    return `${MARKER}\n<sub>ml-chatops bookkeeping: ${what}. Edits invalidate it.</sub>\n<!-- ml-chatops:approvals:v2 ${data} ${sign(pr, data)} -->`;
  };

  const read = (pr: RepoPullNumber): TE.TaskEither<StoreError, Content> =>
    pipe(
      deps.forge.findOwnComment(pr, MARKER),
      TE.mapError(fromForge),
      TE.flatMap(
        O.match(
          () => TE.right(EMPTY),
          (c) => TE.fromEither(parse(pr, c)),
        ),
      ),
    );
  const write = (pr: RepoPullNumber, s: Content): TE.TaskEither<StoreError, void> =>
    pipe(
      deps.forge.upsertComment(pr, MARKER, render(pr, s)),
      TE.mapError(fromForge),
      TE.map(() => undefined),
    );

  // One read-modify-write at a time per pull request.
  const tails = new Map<string, Promise<unknown>>();
  const serial =
    <A>(pr: RepoPullNumber, task: TE.TaskEither<StoreError, A>): TE.TaskEither<StoreError, A> =>
    () => {
      const key = prId(pr);
      const run = (tails.get(key) ?? Promise.resolve()).then(() => task());
      tails.set(
        key,
        run.catch(() => undefined),
      );
      return run;
    };
  // `take` refuses a corrupt state (nothing runs on it); the other operations start over from an
  // empty state, dropping the unverifiable pending approval, so a corrupt comment cannot wedge a PR.
  const update = <A>(
    pr: RepoPullNumber,
    f: (s: Content) => { readonly next: Content | undefined; readonly out: A },
    strict = false,
  ) =>
    serial(
      pr,
      pipe(
        read(pr),
        TE.orElse((e) => (strict || e._tag !== "StoreCorrupt" ? TE.left(e) : TE.right(EMPTY))),
        TE.flatMap((s) => {
          const { next, out } = f(s);
          return next === undefined
            ? TE.right(out)
            : pipe(
                write(pr, next),
                TE.map(() => out),
              );
        }),
      ),
    );

  const fresh = (a: Approval): boolean => now() - Date.parse(a.approvedAt) <= maxAgeMs;

  return {
    save: (approval) => update(approval.pr, (s) => ({ next: { ...s, pending: approval }, out: undefined })),
    take: (pr) =>
      update(
        pr,
        (s) =>
          s.pending === null
            ? { next: undefined, out: O.none }
            : {
                next: { ...s, pending: null, keys: [...s.keys, `approval:${s.pending.id}`].slice(-MAX_KEYS) },
                out: fresh(s.pending) ? O.some(s.pending) : O.none,
              },
        true,
      ),
    revoke: (pr) =>
      update(pr, (s) => ({ next: s.pending === null ? undefined : { ...s, pending: null }, out: undefined })),
    claim: (pr, key) =>
      update(pr, (s) =>
        s.keys.includes(key)
          ? { next: undefined, out: false }
          : { next: { ...s, keys: [...s.keys, key].slice(-MAX_KEYS) }, out: true },
      ),
  };
};
