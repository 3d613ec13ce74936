/**
 * The webhook entry for custom bots: verify, decode, answer fast, then do the work. GitHub gives
 * up after 10 s and never redelivers by itself, so the answer never waits for the pipeline; the
 * work after the ack is retried here when GitHub or a store was unavailable.
 */
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { describeError, type PipelineError } from "../../core/errors.js";
import type { RepoPullNumber } from "../../core/model.js";
import type { Pipeline } from "../../core/pipeline.js";
import type { Clock, Forge, Logger } from "../../core/ports.js";
import type { GitHubApprovalStore } from "./approval-store.js";
import { replyConfigInvalid } from "./config-invalid-reply.js";
import { commentKey, decodeGitHubEvent, type EventOptions, type GitHubEvent } from "./events.js";
import type { RepoConfig, RepoConfigError } from "./repo-config.js";
import { verifySignature } from "./signature.js";

/** A pipeline and the repository's event settings, for one repository. */
export type RepoPipeline = { readonly pipeline: Pipeline; readonly config: RepoConfig };

export type WebhookDeps = {
  /** Builds (or returns a cached) pipeline for a repository, e.g. from its `.github/ml-chatops.yml`. */
  readonly pipelineFor: (repo: { readonly owner: string; readonly repo: string }) => TE.TaskEither<RepoConfigError, RepoPipeline>;
  /** Where redeliveries are recognised (`claim`). */
  readonly approvals: Pick<GitHubApprovalStore, "claim">;
  /** For the one reply that names a bad repository config (claimed by 👀, once per comment). */
  readonly forge: Pick<Forge, "reply" | "react">;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
};

export type WebhookConfig = {
  readonly secret: string;
  /** The bot's own user id (its comments are ignored, its labels are the only run signal). */
  readonly botId: number;
  /** Bodies above this are refused with 413. Default 25 MiB, GitHub's own cap. */
  readonly maxBodyBytes?: number | undefined;
  /** App mode: deliveries without `installation` are ignored. */
  readonly requireInstallation?: boolean | undefined;
  /** Attempts of the work after the ack when GitHub or a store is unavailable. Default 3. */
  readonly attempts?: number | undefined;
  /** Edits, allow-listed bots, stale-comment window (see `EventOptions`). */
  readonly events?: Pick<EventOptions, "allowEdits" | "allowedBotIds" | "maxCommentAgeMs"> | undefined;
};

export type WebhookRequest = { readonly rawBody: Uint8Array; readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>> };

/** The HTTP answer, and the work started after it (await it in tests or for graceful shutdown). */
export type WebhookResponse = { readonly status: number; readonly body: string; readonly work: Promise<void> };

export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;
const DONE = Promise.resolve();

const header = (h: WebhookRequest["headers"], name: string): string | undefined => {
  const v = h[name] ?? h[name.toLowerCase()] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(v) ? v[0] : (v as string | undefined);
};

const prOf = (e: GitHubEvent): RepoPullNumber | undefined => (e._tag === "Ignored" ? undefined : e.event.pr);

const retryable = (e: PipelineError | RepoConfigError): boolean => e._tag === "ForgeUnavailable" || e._tag === "StoreUnavailable";

/**
 * Creates `handleWebhook`.
 *
 * @example
 * const handleWebhook = createGitHubWebhookHandler({ pipelineFor, approvals, forge }, { secret, botId: 4242 });
 * const { status, body } = await handleWebhook({ rawBody, headers });
 */
export const createGitHubWebhookHandler = (deps: WebhookDeps, config: WebhookConfig) => {
  const log = deps.logger;
  const maxBody = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const attempts = config.attempts ?? 3;
  const now = () => deps.clock?.now() ?? new Date();
  const sleep = (ms: number) => deps.clock?.sleep(ms)() ?? new Promise<void>((r) => setTimeout(r, ms));

  const dispatch = (rp: RepoPipeline, e: GitHubEvent): TE.TaskEither<PipelineError, string> => {
    switch (e._tag) {
      case "Comment":
        return pipe(rp.pipeline.onComment(e.event), TE.map((o) => `comment ${e.event.comment.id}: ${o._tag}${"reason" in o ? ` (${o.reason})` : ""}`));
      case "Label":
        return pipe(rp.pipeline.onLabel(e.event), TE.map((o) => `label ${e.event.label}: ${o._tag}${"reason" in o ? ` (${o.reason})` : ""}`));
      case "Push":
      case "Closed":
        return pipe(rp.pipeline.onPush(e.event), TE.map(() => `${e._tag.toLowerCase()}: pending approval dropped`));
      case "Ignored":
        return TE.right(`ignored: ${e.reason}`);
    }
  };

  const badConfigReply = (e: GitHubEvent, detail: string): TE.TaskEither<PipelineError, string> =>
    e._tag === "Comment"
      ? pipe(
          replyConfigInvalid(deps.forge, e.event, detail),
          TE.map(() => `config invalid: ${detail}`),
        )
      : TE.right(`config invalid: ${detail}`);

  const work = (delivery: string, e: GitHubEvent & { readonly _tag: Exclude<GitHubEvent["_tag"], "Ignored"> }): Promise<void> => {
    const pr = e.event.pr;
    const keys = [`delivery:${delivery}`, ...(e._tag === "Comment" ? [commentKey(e.event)] : [])];
    const claimAll: TE.TaskEither<PipelineError, boolean> = pipe(
      TE.traverseSeqArray((k: string) => deps.approvals.claim(pr, k))(keys),
      // Any key seen before means this is a redelivery or a replay of handled content.
      TE.map((fresh) => fresh.every((x) => x)),
    );
    const attempt = (n: number): Promise<void> =>
      pipe(
        deps.pipelineFor(pr),
        TE.foldW(
          (err) => (err._tag === "RepoConfigInvalid" ? badConfigReply(e, err.detail) : TE.left<PipelineError, string>(err)),
          (rp) => dispatch(rp, e),
        ),
      )().then(async (r) => {
        if (E.isRight(r)) return log?.info(`delivery ${delivery}: ${r.right}`);
        if (retryable(r.left) && n < attempts) {
          log?.warn(`delivery ${delivery}: ${describeError(r.left)}; retrying (${n}/${attempts})`);
          await sleep(1000 * 2 ** n);
          return attempt(n + 1);
        }
        log?.error(`delivery ${delivery}: failed: ${describeError(r.left)}`);
      });
    return claimAll().then((claimed) => {
      if (E.isLeft(claimed)) return log?.error(`delivery ${delivery}: could not record it, not handled: ${describeError(claimed.left)}`);
      if (!claimed.right) return log?.info(`delivery ${delivery}: duplicate (redelivered or replayed); nothing to do`);
      return attempt(1);
    });
  };

  const handle = async (req: WebhookRequest): Promise<WebhookResponse> => {
    const answer = (status: number, body: string, w: Promise<void> = DONE): WebhookResponse => ({ status, body, work: w });
    if (req.rawBody.byteLength > maxBody) return answer(413, "payload too large");
    const ctype = header(req.headers, "content-type") ?? "";
    if (!/^application\/json\b/i.test(ctype)) return answer(415, "content type must be application/json");
    const event = header(req.headers, "x-github-event");
    const delivery = header(req.headers, "x-github-delivery");
    const signature = header(req.headers, "x-hub-signature-256");
    if (event === undefined || delivery === undefined || signature === undefined) return answer(400, "missing X-GitHub-Event, X-GitHub-Delivery or X-Hub-Signature-256");
    if (!verifySignature(config.secret, req.rawBody, signature)) {
      log?.warn(`delivery ${delivery}: bad signature; rejected`);
      return answer(401, "signature does not match");
    }
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(req.rawBody).toString("utf8"));
    } catch {
      return answer(400, "body is not JSON");
    }
    const opts: EventOptions = { ...config.events, botId: config.botId, requireInstallation: config.requireInstallation, now: now() };
    const decoded = decodeGitHubEvent(event, payload, opts);
    if (E.isLeft(decoded)) {
      log?.warn(`delivery ${delivery}: ${decoded.left}`);
      return answer(400, decoded.left);
    }
    const e = decoded.right;
    if (e._tag === "Ignored" || prOf(e) === undefined) {
      log?.info(`delivery ${delivery}: ignored: ${e._tag === "Ignored" ? e.reason : "no pull request"}`);
      return answer(202, `ignored: ${e._tag === "Ignored" ? e.reason : "no pull request"}`);
    }
    return answer(202, "accepted", work(delivery, e));
  };
  // Hostile input must never take the server down: anything unexpected is a 400, logged.
  return async (req: WebhookRequest): Promise<WebhookResponse> => {
    try {
      return await handle(req);
    } catch (e) {
      log?.error(`webhook: unexpected failure: ${e instanceof Error ? e.message : String(e)}`);
      return { status: 400, body: "could not process the delivery", work: DONE };
    }
  };
};
