/**
 * The webhook entry for custom bots: verify, decode, answer fast, then do the work. GitHub gives
 * up after 10 s and never redelivers by itself, so the answer never waits for the pipeline; the
 * work after the ack is retried here when GitHub or a store was unavailable.
 */
import * as E from "fp-ts/Either";
import type { RepoPullNumber } from "../../core/model.js";
import { describeDelivery, handleGitHubDelivery, type EventWorkDeps } from "./event-work.js";
import { decodeGitHubEvent, type EventOptions, type GitHubEvent } from "./events.js";
import { verifySignature } from "./signature.js";

export type { RepoPipeline } from "./event-work.js";

/**
 * What the handler needs: see `EventWorkDeps`. A `createGitHubBot` bot is one; the work after the ack is
 * that bot's event dispatcher, shared with the Probot app and the Actions commands.
 */
export type WebhookDeps = EventWorkDeps;

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
  /** What is recorded before any work (see `DeliveryConfig.claims`). Default `edits`. */
  readonly claims?: "delivery" | "edits" | undefined;
  /** Edits, allow-listed bots, stale-comment window (see `EventOptions`). */
  readonly events?: Pick<EventOptions, "allowEdits" | "allowedBotIds" | "maxCommentAgeMs"> | undefined;
};

export type WebhookRequest = {
  readonly rawBody: Uint8Array;
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;
};

/** The HTTP answer, and the work started after it (await it in tests or for graceful shutdown). */
export type WebhookResponse = { readonly status: number; readonly body: string; readonly work: Promise<void> };

/** @internal */
export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;
const DONE = Promise.resolve();

const header = (h: WebhookRequest["headers"], name: string): string | undefined => {
  const v = h[name] ?? h[name.toLowerCase()] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(v) ? v[0] : (v as string | undefined);
};

const prOf = (e: GitHubEvent): RepoPullNumber | undefined => (e._tag === "Ignored" ? undefined : e.event.pr);

/**
 * Creates `handleWebhook`.
 *
 * @example
 * const handleWebhook = createGitHubWebhookHandler(createGitHubBot(deps, options), { secret, botId: 4242 });
 * const { status, body } = await handleWebhook({ rawBody, headers });
 */
export const createGitHubWebhookHandler = (deps: WebhookDeps, config: WebhookConfig) => {
  const log = deps.logger;
  const maxBody = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const attempts = config.attempts ?? 3;
  const now = () => deps.clock?.now() ?? new Date();
  const work = handleGitHubDelivery(deps, { attempts, claims: config.claims });
  const handle = async (req: WebhookRequest): Promise<WebhookResponse> => {
    const answer = (status: number, body: string, w: Promise<void> = DONE): WebhookResponse => ({
      status,
      body,
      work: w,
    });
    if (req.rawBody.byteLength > maxBody) return answer(413, "payload too large");
    const ctype = header(req.headers, "content-type") ?? "";
    if (!/^application\/json\b/i.test(ctype)) return answer(415, "content type must be application/json");
    const event = header(req.headers, "x-github-event");
    const delivery = header(req.headers, "x-github-delivery");
    const signature = header(req.headers, "x-hub-signature-256");
    if (event === undefined || delivery === undefined || signature === undefined)
      return answer(400, "missing X-GitHub-Event, X-GitHub-Delivery or X-Hub-Signature-256");
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
    const opts: EventOptions = {
      ...config.events,
      botId: config.botId,
      requireInstallation: config.requireInstallation,
      now: now(),
    };
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
    const done = work(delivery, e).then((o) => {
      const d = describeDelivery(delivery, o);
      log?.[d.level](d.line);
    });
    return answer(202, "accepted", done);
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
