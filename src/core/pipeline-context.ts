/**
 * What the pipeline's handlers share: resolved config, ports with defaults filled in, and the
 * small helpers every handler uses (refusals, best-effort calls).
 */
import type * as O from "fp-ts/Option";
import * as RA from "fp-ts/ReadonlyArray";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { renderHelp } from "./command.js";
import { describeError, type PipelineError } from "./errors.js";
import type { Actor, Approval, CommandName, RepoPullNumber, Report, RunHandle, Sha } from "./model.js";
import { resolvePipelineSettings, type PipelineSettings } from "./pipeline-config.js";
import type {
  ApprovalStore,
  BaselineStore,
  Clock,
  Experiment,
  Forge,
  Logger,
  Reporter,
  Runner,
  RunLedger,
} from "./ports.js";
import type { FollowContext } from "./ledger/run-report.js";

/** A new comment on a pull request. */
export type CommentEvent = {
  readonly pr: RepoPullNumber;
  readonly comment: { readonly id: number; readonly body: string; readonly author: Actor; readonly createdAt: string };
  /** An edited comment (handled only where edits are enabled); the caller deduplicates edits. */
  readonly edited?: boolean | undefined;
};
/** A label added to a pull request. */
export type LabelEvent = { readonly pr: RepoPullNumber; readonly label: string; readonly sender: Actor };
/** New commits pushed to a pull request. */
export type PushEvent = { readonly pr: RepoPullNumber; readonly headSha: Sha };

/** Everything the pipeline talks to. `logger` and `clock` default to silence and real time. */
export type PipelinePorts = {
  readonly forge: Forge;
  readonly runner: Runner;
  readonly experiments: ReadonlyArray<Experiment>;
  readonly baseline: BaselineStore;
  readonly approvals: ApprovalStore;
  readonly ledger: RunLedger;
  readonly reporter: Reporter;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
};

/** What handling a comment led to. */
export type CommentOutcome =
  | { readonly _tag: "Ignored"; readonly reason: string }
  | { readonly _tag: "Refused"; readonly reason: string }
  | { readonly _tag: "Approved"; readonly approval: Approval }
  | { readonly _tag: "Handled"; readonly command: CommandName };

/** What handling a label led to. */
export type LabelOutcome =
  | { readonly _tag: "Ignored"; readonly reason: string }
  | { readonly _tag: "Refused"; readonly reason: string }
  | { readonly _tag: "Detached"; readonly handle: RunHandle }
  | { readonly _tag: "Reported"; readonly report: Report };

/** The pipeline's entry points, one per event. */
export type Pipeline = {
  readonly onComment: (e: CommentEvent) => TE.TaskEither<PipelineError, CommentOutcome>;
  readonly onLabel: (e: LabelEvent, opts?: { readonly detach?: boolean }) => TE.TaskEither<PipelineError, LabelOutcome>;
  readonly onPush: (e: PushEvent) => TE.TaskEither<PipelineError, void>;
  /** Follows a started (for example detached) run to its end and publishes its final report. */
  readonly follow: (handle: RunHandle, ctx: FollowContext) => TE.TaskEither<PipelineError, Report>;
};

const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => () => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** @internal The resolved settings and helpers shared by the handlers. */
export type PipelineContext = ReturnType<typeof createPipelineContext>;

/** @internal */
export const createPipelineContext = (ports: PipelinePorts, configInput: PipelineSettings) => {
  const config = resolvePipelineSettings(configInput);
  const logger = ports.logger ?? silentLogger;
  const clock = ports.clock ?? realClock;
  const help = renderHelp(config.trigger, ports.experiments);

  // Reactions and courtesy replies never decide an outcome: a failure is logged and dropped.
  const bestEffort = <A>(what: string, task: TE.TaskEither<PipelineError, A>): TE.TaskEither<never, void> =>
    pipe(
      task,
      TE.match(
        (e) => logger.warn(`${what} failed`, { error: describeError(e) }),
        () => undefined,
      ),
      TE.fromTask,
    );

  /** Posts why nothing happens, with a confused reaction on the triggering comment. */
  const refuse = (
    pr: RepoPullNumber,
    commentId: number | undefined,
    reason: string,
    reply: string,
  ): TE.TaskEither<PipelineError, { readonly _tag: "Refused"; readonly reason: string }> =>
    pipe(
      commentId === undefined
        ? TE.right(undefined)
        : bestEffort("reaction", ports.forge.react(pr, commentId, "confused")),
      TE.flatMap(() => ports.forge.reply(pr, reply)),
      TE.map((): { readonly _tag: "Refused"; readonly reason: string } => ({ _tag: "Refused", reason })),
    );

  const findExperiment = (id: string): O.Option<Experiment> =>
    RA.findFirst((x: Experiment) => x.id === id)(ports.experiments);

  return { ports, config, logger, clock, help, bestEffort, refuse, findExperiment };
};
