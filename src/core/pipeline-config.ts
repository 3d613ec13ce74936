/**
 * Pipeline settings: a codec, defaults, and one merge that fails fast on bad input.
 */
import * as E from "fp-ts/Either";
import * as t from "io-ts";
import { PathReporter } from "io-ts/PathReporter";
import type { CommandName } from "./model.js";
import { Role } from "./model.js";

const Trigger = t.refinement(t.string, (s) => /^\/[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(s), "Trigger");
// GitHub caps label names at 50 characters (SECURITY-CHECKLIST 67).
const LabelName = t.refinement(t.string, (s) => s.length > 0 && s.length <= 50 && !/[\r\n]/.test(s), "LabelName");
const PositiveInt = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, "PositiveInt");
const NonNegativeInt = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0, "NonNegativeInt");

/** The codec of a complete pipeline configuration. */
export const PipelineConfig = t.intersection([
  t.type({
    trigger: Trigger,
    label: LabelName,
    requiredRole: t.type({ run: Role, promote: Role, cancel: Role, help: Role }),
    defaultExperiment: t.string,
    deadlineMs: PositiveInt,
    pollIntervalMs: PositiveInt,
    logTailLines: PositiveInt,
    /**
     * A run still going after this long gets its "running" report (with the runner's link); a
     * shorter one is reported once, at its end, while the bot's 🚀 on the command says it started.
     * A push in that time still supersedes it: it finds the approval the run came from and marks
     * its commit stale (ledger/stale-mark.ts). 0: every run is reported as it starts. Default
     * 20 s. Detached runs are always reported as they start.
     */
    runningReportAfterMs: NonNegativeInt,
    /**
     * What to do when the forge has no record of when the head was pushed, so it cannot tell
     * whether the head predates the approving comment: refuse (the approver can name the commit
     * with `sha=`), or allow.
     */
    unknownPushTime: t.keyof({ refuse: null, allow: null }),
  }),
  t.partial({ botActorId: t.number }),
]);
/** A complete pipeline configuration. */
export type PipelineConfig = t.TypeOf<typeof PipelineConfig>;

/** What a caller may set: every field optional, `requiredRole` itself partial. */
export type PipelineConfigInput = Partial<Omit<PipelineConfig, "requiredRole">> & {
  readonly requiredRole?: Partial<Record<CommandName, Role>> | undefined;
};

/**
 * What `createPipeline` takes: the settings plus who the bot is. Only a label the bot itself
 * added starts a run, so without its user id (`botActorId`) any label would be a signal; a
 * pipeline may instead be told it handles comments only (`commentsOnly: true`): it then ignores
 * every label and leaves telling the bot's own comments apart to its caller. That suits a job
 * that handles one comment event and knows the bot's comments by other means (a GitHub App's
 * carry GitHub's stamp), so it need not look the bot's user up.
 */
export type PipelineSettings = Omit<PipelineConfigInput, "botActorId"> &
  (
    | { readonly botActorId: number; readonly commentsOnly?: false | undefined }
    | { readonly botActorId?: undefined; readonly commentsOnly: true }
  );

/**
 * Like `resolvePipelineConfig`, and `botActorId` must be a positive integer unless the pipeline
 * handles comments only: it never handles a label without knowing who the bot is. Throws once,
 * at construction, naming the fix.
 *
 * @example
 * const config = resolvePipelineSettings({ botActorId: 41 });
 * @internal */
export const resolvePipelineSettings = (input: PipelineSettings): PipelineConfig => {
  const {
    commentsOnly,
    botActorId: id,
    ...rest
  } = (input ?? {}) as Omit<PipelineSettings, "botActorId"> & {
    readonly botActorId?: unknown;
    readonly commentsOnly?: unknown;
  };
  if (commentsOnly === true && id === undefined) return resolvePipelineConfig(rest);
  if (typeof id !== "number" || !Number.isInteger(id) || id <= 0) {
    throw new Error(
      `ml-chatops: invalid pipeline config: botActorId must be the bot's numeric user id (got ${JSON.stringify(id) ?? "nothing"}); ` +
        `on GitHub resolveGitHubIdentity(octokit, "app" | "token") looks it up from the credentials`,
    );
  }
  return { ...resolvePipelineConfig(rest), botActorId: id };
};

/** The defaults every setting falls back to. */
export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = {
  trigger: "/experiment",
  label: "ml-chatops:run",
  requiredRole: { run: "write", promote: "write", cancel: "write", help: "read" },
  defaultExperiment: "tfidf-keywords",
  deadlineMs: 30 * 60_000,
  pollIntervalMs: 2_000,
  logTailLines: 50,
  runningReportAfterMs: 20_000,
  unknownPushTime: "refuse",
};

/**
 * Merges `input` over the defaults and validates the result. Throws on invalid settings: that is
 * a programmer error, reported once at construction with every bad field named.
 *
 * @example
 * const config = resolvePipelineConfig({ trigger: "/test-trigger-comment" });
 */
export const resolvePipelineConfig = (input: PipelineConfigInput = {}): PipelineConfig => {
  const merged = {
    ...DEFAULT_PIPELINE_CONFIG,
    ...stripUndefined(input),
    requiredRole: { ...DEFAULT_PIPELINE_CONFIG.requiredRole, ...stripUndefined(input.requiredRole ?? {}) },
  };
  const decoded = PipelineConfig.decode(merged);
  if (E.isLeft(decoded)) {
    throw new Error(
      `ml-chatops: invalid pipeline config: ${PathReporter.report(decoded).join("; ")}. ` +
        `Example: createPipeline(ports, { trigger: "/experiment", label: "ml-chatops:run" })`,
    );
  }
  return decoded.right;
};

const stripUndefined = <A extends object>(o: A): Partial<A> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<A>;
