/**
 * The work for one accepted delivery, shared by the webhook handler and the Probot app: claim
 * the delivery (and the comment's content), build the repository's pipeline from its
 * `.github/ml-chatops.yml`, dispatch, and retry when GitHub or a store was unavailable.
 */
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { describeError, isForgeError, type PipelineError } from "../../core/errors.js";
import type { Clock, Forge, Logger } from "../../core/ports.js";
import type { Pipeline } from "../../core/pipeline.js";
import type { GitHubApprovalStore } from "./approval-store.js";
import { replyConfigInvalid } from "./config-invalid-reply.js";
import { describeDispatch, dispatchGitHubEvent } from "./dispatch.js";
import { commentKey, type GitHubEvent } from "./events.js";
import type { RepoConfig, RepoConfigError } from "./repo-config.js";

/** A pipeline and the repository's event settings, for one repository. */
export type RepoPipeline = { readonly pipeline: Pipeline; readonly config: RepoConfig };

/** An event the pipeline acts on (not `Ignored`). @internal */
export type ActionableEvent = GitHubEvent & { readonly _tag: Exclude<GitHubEvent["_tag"], "Ignored"> };

/** @internal */
export type EventWorkDeps = {
  /** Builds (or returns a cached) pipeline for a repository, e.g. from its `.github/ml-chatops.yml`. */
  readonly pipelineFor: (repo: {
    readonly owner: string;
    readonly repo: string;
  }) => TE.TaskEither<RepoConfigError, RepoPipeline>;
  /** Where redeliveries are recognised (`claim`). */
  readonly approvals: Pick<GitHubApprovalStore, "claim">;
  /** For the one reply that names a bad repository config (claimed by 👀, once per comment). */
  readonly forge: Pick<Forge, "reply" | "react">;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
};

// A store on GitHub that failed because GitHub refused (403, 404) fails the same way again.
const retryable = (e: PipelineError | RepoConfigError): boolean =>
  e._tag === "ForgeUnavailable" ||
  (e._tag === "StoreUnavailable" && (!isForgeError(e.cause) || e.cause._tag === "ForgeUnavailable"));

/**
 * Handles one delivery once; resolves when done (failures are logged, never thrown).
 *
 * @example
 * await handleGitHubDelivery({ pipelineFor, approvals, forge, logger }, { attempts: 3 })(deliveryId, event);
 * @internal */
export const handleGitHubDelivery =
  (deps: EventWorkDeps, config: { readonly attempts: number }) =>
  (delivery: string, e: ActionableEvent): Promise<void> => {
    const log = deps.logger;
    const sleep = (ms: number) => deps.clock?.sleep(ms)() ?? new Promise<void>((r) => setTimeout(r, ms));
    const pr = e.event.pr;
    const badConfigReply = (detail: string): TE.TaskEither<PipelineError, string> =>
      e._tag === "Comment"
        ? pipe(
            replyConfigInvalid(deps.forge, e.event, detail),
            TE.map(() => `config invalid: ${detail}`),
          )
        : TE.right(`config invalid: ${detail}`);
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
          (err) =>
            err._tag === "RepoConfigInvalid" ? badConfigReply(err.detail) : TE.left<PipelineError, string>(err),
          (rp) => pipe(dispatchGitHubEvent(rp.pipeline, e), TE.map(describeDispatch)),
        ),
      )().then(async (r) => {
        if (E.isRight(r)) return log?.info(`delivery ${delivery}: ${r.right}`);
        if (retryable(r.left) && n < config.attempts) {
          log?.warn(`delivery ${delivery}: ${describeError(r.left)}; retrying (${n}/${config.attempts})`);
          await sleep(1000 * 2 ** n);
          return attempt(n + 1);
        }
        log?.error(`delivery ${delivery}: failed: ${describeError(r.left)}`);
      });
    return claimAll().then((claimed) => {
      if (E.isLeft(claimed))
        return log?.error(`delivery ${delivery}: could not record it, not handled: ${describeError(claimed.left)}`);
      if (!claimed.right) return log?.info(`delivery ${delivery}: duplicate (redelivered or replayed); nothing to do`);
      return attempt(1);
    });
  };
