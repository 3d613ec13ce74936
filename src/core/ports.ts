/**
 * Ports: what the pipeline needs from the outside world, shaped to the pipeline rather than to
 * any vendor. Each is a readonly record of functions returning `TaskEither`; adapters implement
 * them with a `create…` factory.
 */
import type * as E from "fp-ts/Either";
import type * as O from "fp-ts/Option";
import type * as T from "fp-ts/Task";
import type * as TE from "fp-ts/TaskEither";
import type { ExperimentError, ForgeError, RunnerError, StoreError } from "./errors.js";
import type { MetricGoal } from "./experiment-spec.js";
import type { ExperimentResult } from "./result.js";
import type {
  Actor,
  Approval,
  BaselineMeta,
  CommandArgs,
  PullRequest,
  RepoPullNumber,
  Report,
  Role,
  RunHandle,
  RunKey,
  RunRequest,
  RunResult,
  RunStatus,
  Sha,
} from "./model.js";

/** A repository on the code host. */
export type RepoRef = { readonly owner: string; readonly repo: string };

/** A reaction the bot leaves on a comment: received, started, refused. */
export type Reaction = "eyes" | "rocket" | "confused";

/** A comment the forge created or updated. */
export type PostedComment = { readonly id: number; readonly url?: string | undefined };

/** One of the bot's own comments, with when anyone last edited it (the host's time, ISO 8601). */
export type BotComment = { readonly id: number; readonly body: string; readonly updatedAt: string };

/**
 * Signs the bookkeeping the bot keeps in its own comments (approvals, handled edits), so an edit
 * by anyone makes it invalid rather than trusted. The GitHub adapter's is an HMAC over a secret.
 *
 * @example
 * const ok = seal.verify(text, seal.sign(text)); // true
 */
export type Seal = {
  readonly sign: (text: string) => string;
  readonly verify: (text: string, signature: string) => boolean;
};

/**
 * What the pipeline needs from a code host (GitHub, or the in-memory forge of tests and demo).
 *
 * @example
 * const role = await forge.getPermission({ owner: "o", repo: "r" }, { login: "alice", id: 1 })();
 */
export type Forge = {
  /** The user's effective role on the repository, computed by the host now. */
  readonly getPermission: (repo: RepoRef, user: Actor) => TE.TaskEither<ForgeError, Role>;
  /** The pull request's current state, head SHA included. */
  readonly getPullRequest: (pr: RepoPullNumber) => TE.TaskEither<ForgeError, PullRequest>;
  readonly addLabel: (pr: RepoPullNumber, label: string) => TE.TaskEither<ForgeError, void>;
  /** Removing a label that is not there succeeds. */
  readonly removeLabel: (pr: RepoPullNumber, label: string) => TE.TaskEither<ForgeError, void>;
  /**
   * Creates or updates the one comment that carries `marker`, authored by the bot itself.
   * Comments by anyone else that contain the marker are never touched.
   */
  readonly upsertComment: (
    pr: RepoPullNumber,
    marker: string,
    body: string,
  ) => TE.TaskEither<ForgeError, PostedComment>;
  /** The body of the bot's own comment carrying `marker`, if there is one. */
  readonly findComment: (pr: RepoPullNumber, marker: string) => TE.TaskEither<ForgeError, O.Option<string>>;
  /** The bot's own comments on the pull request, oldest first; anyone else's are never returned. */
  readonly listComments: (pr: RepoPullNumber) => TE.TaskEither<ForgeError, ReadonlyArray<BotComment>>;
  /**
   * When the pull request's current head commit was pushed to its head branch (ISO 8601), from
   * the host's own record of pushes, never from the commit's dates (the pusher sets those).
   * None when the host keeps no record of that push.
   */
  readonly headPushedAt: (pr: PullRequest) => TE.TaskEither<ForgeError, O.Option<string>>;
  /**
   * Adds the bot's reaction. Resolves true when this call added it and false when the bot's
   * reaction was already there: the host decides atomically, so it doubles as a claim that only
   * one of several concurrent workers wins.
   */
  readonly react: (pr: RepoPullNumber, commentId: number, reaction: Reaction) => TE.TaskEither<ForgeError, boolean>;
  /** Posts a new comment on the pull request. */
  readonly reply: (pr: RepoPullNumber, body: string) => TE.TaskEither<ForgeError, PostedComment>;
};

/** Lines of a run's log, and where to continue from. */
export type LogPage = { readonly lines: ReadonlyArray<string>; readonly next: string | undefined };

/**
 * Runs an experiment at a pinned commit somewhere: a local process, CodeBuild, Argo, Actions.
 *
 * @example
 * const handle = await runner.start(request)();
 */
export type Runner = {
  /** `local`, `codebuild`, `argo`, `github-actions`, or a custom name. */
  readonly kind: string;
  readonly start: (req: RunRequest) => TE.TaskEither<RunnerError, RunHandle>;
  readonly status: (h: RunHandle) => TE.TaskEither<RunnerError, RunStatus>;
  /** Log lines after `cursor` (from the start when undefined). */
  readonly logs: (h: RunHandle, cursor: string | undefined) => TE.TaskEither<RunnerError, LogPage>;
  /** The result of a run whose status is `succeeded`. */
  readonly result: (h: RunHandle) => TE.TaskEither<RunnerError, RunResult>;
  /** Stops the run; cancelling a finished run succeeds. */
  readonly cancel: (h: RunHandle) => TE.TaskEither<RunnerError, void>;
};

/** One parameter an experiment accepts, for help texts. */
export type ParamSpec = { readonly key: string; readonly description: string; readonly default: string };

/**
 * An experiment a comment can run: validates its parameters, and says what runs it (an argv at
 * the checkout's root, parameters in the environment only), where its result is written, and how
 * its metrics compare with the current best.
 *
 * @example
 * const params = experiment.parseParams({ c: "0.2" }); // Right({ c: "0.2", epochs: "5" })
 * const env = experiment.paramEnv(params.right); // { ML_CHATOPS_PARAM_C: "0.2", …, ML_CHATOPS_PARAMS_JSON: "{…}" }
 */
export type Experiment = {
  readonly id: string;
  readonly params: ReadonlyArray<ParamSpec>;
  /** Validates command arguments and fills in defaults. */
  readonly parseParams: (args: CommandArgs) => E.Either<ExperimentError, Readonly<Record<string, string>>>;
  /**
   * The argv run at the checkout's root, never through a shell. A leading `ml-chatops` means the
   * installed ml-chatops CLI; each runner knows how to call it.
   */
  readonly command: ReadonlyArray<string>;
  /** The environment that carries checked parameters: `ML_CHATOPS_PARAM_<KEY>` and `ML_CHATOPS_PARAMS_JSON`. */
  readonly paramEnv: (params: Readonly<Record<string, string>>) => Readonly<Record<string, string>>;
  /** Where the command writes its result, relative to the checkout's root. */
  readonly resultPath: string;
  /** Declared metrics and their goals; a metric not declared has no verdict but still shows. */
  readonly metrics: Readonly<Record<string, MetricGoal>>;
  /** The metric that answers "better than the current best?" and guards `promote`. */
  readonly primary?: string | undefined;
  /** The experiment's own time limit, when it declares one. */
  readonly timeoutMs?: number | undefined;
  /** What the experiment needs from a sandboxing runner beyond the defaults (no network, toolchains in /usr). */
  readonly sandbox?: { readonly network?: boolean; readonly mounts?: ReadonlyArray<string> } | undefined;
};

/** A stored current best: the result and where it came from (absent for hand-made files). */
export type StoredBaseline = { readonly result: ExperimentResult; readonly meta?: BaselineMeta | undefined };

/** The current best result of each experiment. */
export type BaselineStore = {
  readonly load: (experimentId: string, pr: RepoPullNumber) => TE.TaskEither<StoreError, O.Option<StoredBaseline>>;
  readonly save: (
    experimentId: string,
    result: ExperimentResult,
    meta: BaselineMeta,
  ) => TE.TaskEither<StoreError, void>;
};

/** A push that made a pull request's approvals stale: its new head, and how reports name it. */
export type StalePush = { readonly headSha: Sha; readonly by: string };

/** Approvals between the comment and the label event. Single use. */
export type ApprovalStore = {
  /** Records an approval, replacing any pending one for the same pull request. */
  readonly save: (approval: Approval) => TE.TaskEither<StoreError, void>;
  /** Removes and returns the pending approval of a pull request, if any. Atomic. */
  readonly take: (pr: RepoPullNumber) => TE.TaskEither<StoreError, O.Option<Approval>>;
  /**
   * Drops any pending approval of a pull request. With `push` (new commits made it stale), a store
   * that keeps approvals where runs are reported also marks a run already started from a dropped
   * approval, whose first report may not be written yet, as superseded.
   */
  readonly revoke: (pr: RepoPullNumber, push?: StalePush) => TE.TaskEither<StoreError, void>;
};

/** The latest result of a pull request × experiment, kept so `promote` can find it. */
export type StoredResult = {
  readonly result: ExperimentResult;
  readonly sha: Sha;
  readonly handle: RunHandle;
  /** The parameters of that run (absent in results kept by older versions). */
  readonly params?: Readonly<Record<string, string>> | undefined;
};

/** Active runs and latest results, per run key. */
export type RunLedger = {
  readonly active: (key: RunKey) => TE.TaskEither<StoreError, O.Option<RunHandle>>;
  readonly setActive: (key: RunKey, h: RunHandle) => TE.TaskEither<StoreError, void>;
  /** Clears the active run only if it is still `runId`. */
  readonly clearActive: (key: RunKey, runId: string) => TE.TaskEither<StoreError, void>;
  /** Marks a run as replaced by another; the replaced run's report says so. */
  readonly markSuperseded: (runId: string, by: string) => TE.TaskEither<StoreError, void>;
  /** Why run `h` was superseded, if it was (possibly recorded by another process). */
  readonly supersededBy: (h: RunHandle) => TE.TaskEither<StoreError, O.Option<string>>;
  readonly saveLatest: (key: RunKey, r: StoredResult) => TE.TaskEither<StoreError, void>;
  readonly latest: (key: RunKey) => TE.TaskEither<StoreError, O.Option<StoredResult>>;
  /**
   * Shows the bot's `text` where `key`'s report is read (the living comment, above the report), so
   * the bot answers there instead of in a reply. False when there is no such place yet.
   */
  readonly note: (key: RunKey, text: string) => TE.TaskEither<StoreError, boolean>;
};

/** Publishes a report where people read it (a PR comment, a check run, a file). */
export type Reporter = {
  readonly publish: (report: Report) => TE.TaskEither<ForgeError, PostedComment>;
};

/** Structured log sink. `debug` and `info` may be no-ops. */
export type Logger = {
  readonly debug: (message: string, fields?: Readonly<Record<string, unknown>>) => void;
  readonly info: (message: string, fields?: Readonly<Record<string, unknown>>) => void;
  readonly warn: (message: string, fields?: Readonly<Record<string, unknown>>) => void;
  readonly error: (message: string, fields?: Readonly<Record<string, unknown>>) => void;
};

/** Time, injectable so tests control it. */
export type Clock = {
  readonly now: () => Date;
  readonly sleep: (ms: number) => T.Task<void>;
};
