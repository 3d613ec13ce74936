/**
 * The one event dispatcher: the work for one accepted delivery, shared by the webhook handler,
 * the Probot app and the Actions commands. Claim the delivery (and the comment's content), build
 * the repository's pipeline from its `.github/ml-chatops.yml`, answer a command once when that
 * config is invalid, dispatch, and retry when GitHub or a store was unavailable.
 */
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { describeError, isForgeError, type PipelineError } from "../../core/errors.js";
import type { Clock, Forge, Logger } from "../../core/ports.js";
import type { Pipeline } from "../../core/pipeline.js";
import type { GitHubApprovalStore } from "./approval-store.js";
import { looksLikeCommand, replyConfigInvalid } from "./config-invalid-reply.js";
import { describeDispatch, dispatchGitHubEvent, type DispatchResult } from "./dispatch.js";
import { commentKey, type GitHubEvent } from "./events.js";
import type { RepoConfig, RepoConfigError } from "./repo-config.js";

/** A pipeline and the repository's event settings, for one repository. */
export type RepoPipeline = { readonly pipeline: Pipeline; readonly config: RepoConfig };

/** Why a repository's runner could not be built: bad settings, or an optional package that is not installed. */
export type RunnerSetupError = {
  readonly _tag: "RunnerSettingsInvalid" | "RunnerPackageMissing";
  readonly detail: string;
};

/** Why no pipeline could be built for a repository. */
export type RepoPipelineError = RepoConfigError | RunnerSetupError;

/** An event the pipeline acts on (not `Ignored`). */
export type ActionableEvent = GitHubEvent & { readonly _tag: Exclude<GitHubEvent["_tag"], "Ignored"> };

export type EventWorkDeps = {
  /** Builds (or returns a cached) pipeline for a repository, e.g. from its `.github/ml-chatops.yml`. */
  readonly pipelineFor: (repo: {
    readonly owner: string;
    readonly repo: string;
  }) => TE.TaskEither<RepoPipelineError, RepoPipeline>;
  /** Where redeliveries are recognised (`claim`). */
  readonly approvals: Pick<GitHubApprovalStore, "claim">;
  /** For the one reply that names a bad repository config (claimed by 👀, once per comment). */
  readonly forge: Pick<Forge, "reply" | "react">;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
};

export type DeliveryConfig = {
  /** Attempts when GitHub or a store is unavailable (a server retries; an Actions job is re-run instead). */
  readonly attempts: number;
  /**
   * What is claimed before any work. `edits` (default): only an edited comment, which keeps its
   * comment's 👀. Everything else is idempotent without a record: a redelivered or replayed
   * comment finds the bot's 👀 on it, a label finds its approval taken (and its 🚀 placed), a
   * push finds nothing left to revoke. `delivery` also records each delivery id (one more
   * comment write per event), for a server that wants redeliveries named as such.
   */
  readonly claims?: "delivery" | "edits" | undefined;
  /** Label events only publish the running report and return (`on-label --detach`). */
  readonly detach?: boolean | undefined;
};

/** What became of one delivery. */
export type DeliveryOutcome =
  | { readonly _tag: "Dispatched"; readonly result: DispatchResult }
  | { readonly _tag: "Duplicate"; readonly key: string }
  | { readonly _tag: "NotRecorded"; readonly error: PipelineError }
  /** `command`: the comment looked like a command (it got the one reply, or had it already). */
  | { readonly _tag: "ConfigInvalid"; readonly detail: string; readonly command: boolean }
  | { readonly _tag: "Failed"; readonly error: PipelineError | RunnerSetupError };

type Work = E.Either<PipelineError | RunnerSetupError, DeliveryOutcome>;

// A store on GitHub that failed because GitHub refused (403, 404) fails the same way again.
const retryable = (e: PipelineError | RepoPipelineError): boolean =>
  e._tag === "ForgeUnavailable" ||
  (e._tag === "StoreUnavailable" && (!isForgeError(e.cause) || e.cause._tag === "ForgeUnavailable"));

const isRunnerSetupError = (e: PipelineError | RunnerSetupError): e is RunnerSetupError =>
  e._tag === "RunnerSettingsInvalid" || e._tag === "RunnerPackageMissing";

/**
 * One line for an error of the work: the pipeline's own words, or the runner setup's detail.
 *
 * @example
 * describeDeliveryError({ _tag: "RunnerPackageMissing", detail: "the codebuild runner needs …" });
 * @internal */
export const describeDeliveryError = (e: PipelineError | RunnerSetupError): string =>
  isRunnerSetupError(e) ? e.detail : describeError(e);

/** The claim keys of an event (see `DeliveryConfig.claims`). */
const claimKeys = (delivery: string, e: ActionableEvent, claims: "delivery" | "edits"): ReadonlyArray<string> => {
  const comment = e._tag === "Comment" ? [commentKey(e.event)] : [];
  if (claims === "delivery") return [`delivery:${delivery}`, ...comment];
  return e._tag === "Comment" && e.event.edited === true ? comment : [];
};

/**
 * Handles one delivery once and says what became of it (nothing is thrown; retries are logged).
 *
 * @example
 * const outcome = await handleGitHubDelivery({ pipelineFor, approvals, forge, logger }, { attempts: 3 })(deliveryId, event);
 * logger.info(describeDelivery(deliveryId, outcome).line);
 * @internal */
export const handleGitHubDelivery =
  (deps: EventWorkDeps, config: DeliveryConfig) =>
  async (delivery: string, e: ActionableEvent): Promise<DeliveryOutcome> => {
    const log = deps.logger;
    const sleep = (ms: number) => deps.clock?.sleep(ms)() ?? new Promise<void>((r) => setTimeout(r, ms));
    const pr = e.event.pr;
    const badConfig = (detail: string): TE.TaskEither<PipelineError, DeliveryOutcome> => {
      const outcome: DeliveryOutcome = {
        _tag: "ConfigInvalid",
        detail,
        command: e._tag === "Comment" && looksLikeCommand(e.event.comment.body),
      };
      return e._tag === "Comment"
        ? pipe(
            replyConfigInvalid(deps.forge, e.event, detail),
            TE.map(() => outcome),
          )
        : TE.right(outcome);
    };
    // Built anew per attempt: the pipeline (and the repository config) is read again after a failure.
    const work = (): TE.TaskEither<PipelineError | RunnerSetupError, DeliveryOutcome> =>
      pipe(
        deps.pipelineFor(pr),
        TE.foldW(
          (err): TE.TaskEither<PipelineError | RunnerSetupError, DeliveryOutcome> =>
            err._tag === "RepoConfigInvalid" ? badConfig(err.detail) : TE.left(err),
          (rp) =>
            pipe(
              dispatchGitHubEvent(rp.pipeline, e, { detach: config.detach }),
              TE.map((result): DeliveryOutcome => ({ _tag: "Dispatched", result })),
            ),
        ),
      );
    const attempt = async (n: number): Promise<DeliveryOutcome> => {
      const r: Work = await work()();
      if (E.isRight(r)) return r.right;
      if (!isRunnerSetupError(r.left) && retryable(r.left) && n < config.attempts) {
        log?.warn(`delivery ${delivery}: ${describeError(r.left)}; retrying (${n}/${config.attempts})`);
        await sleep(1000 * 2 ** n);
        return attempt(n + 1);
      }
      return { _tag: "Failed", error: r.left };
    };
    const keys = claimKeys(delivery, e, config.claims ?? "edits");
    const claimed = await TE.traverseSeqArray((k: string) => deps.approvals.claim(pr, k))(keys)();
    if (E.isLeft(claimed)) return { _tag: "NotRecorded", error: claimed.left };
    // Any key seen before means this is a redelivery or a replay of handled content.
    const seen = keys.find((_, i) => claimed.right[i] !== true);
    return seen === undefined ? attempt(1) : { _tag: "Duplicate", key: seen };
  };

/**
 * The log line (and its level) of a delivery's outcome, as the webhook handler and the Probot app write it.
 *
 * @example
 * describeDelivery("d-1", { _tag: "Duplicate", key: "delivery:d-1" });
 * // { level: "info", line: "delivery d-1: duplicate (redelivered or replayed); nothing to do" }
 * @internal */
export const describeDelivery = (
  delivery: string,
  o: DeliveryOutcome,
): { readonly level: "info" | "error"; readonly line: string } => {
  const at = (level: "info" | "error", what: string) => ({ level, line: `delivery ${delivery}: ${what}` });
  switch (o._tag) {
    case "Dispatched":
      return at("info", describeDispatch(o.result));
    case "Duplicate":
      return at("info", "duplicate (redelivered or replayed); nothing to do");
    case "NotRecorded":
      return at("error", `could not record it, not handled: ${describeError(o.error)}`);
    case "ConfigInvalid":
      return at("info", `config invalid: ${o.detail}`);
    case "Failed":
      return at("error", `failed: ${describeDeliveryError(o.error)}`);
  }
};
