/**
 * Configuration of the CodeBuild runner: an io-ts codec, the defaults, and the one place that
 * throws (a bad config is a programmer error, reported at construction).
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as t from "io-ts";
import { PathReporter } from "io-ts/PathReporter";

const NonEmpty = t.refinement(t.string, (s) => s.length > 0, "NonEmptyString");
/** CodeBuild's `TimeOut` shape: whole minutes, 5 to 480. */
const Minutes = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 5 && n <= 480, "MinutesBetween5And480");
const PositiveMs = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, "NonNegativeMilliseconds");
const Count = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0, "NonNegativeInteger");
const EnvPrefix = t.refinement(t.string, (s) => /^[A-Z][A-Z0-9_]*$/.test(s), "EnvPrefix");
/** A relative object path inside the artifact folder: no leading `/`, no `.` or `..` segments. */
const ArtifactPath = t.refinement(
  t.string,
  (s) =>
    s.length > 0 &&
    s.length <= 1024 &&
    !s.startsWith("/") &&
    s.split("/").every((seg) => seg.length > 0 && seg !== "." && seg !== ".."),
  "RelativeArtifactPath",
);

/**
 * Read the result from the build's S3 output artifact instead of the log markers. The project's
 * artifacts must be of type S3 with packaging NONE: the object read is `<artifact folder>/<path>`.
 */
export const ResultArtifactConfig = t.intersection([
  t.type({ path: ArtifactPath }),
  t.partial({
    /** Largest object accepted, in bytes (default 16 MiB). */
    maxBytes: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1, "AtLeastOne"),
  }),
]);
export type ResultArtifactConfig = t.TypeOf<typeof ResultArtifactConfig>;

/** Poll schedule: jittered exponential backoff between BatchGetBuilds calls. @internal */
export const PollConfig = t.partial({
  initialMs: PositiveMs,
  maxMs: PositiveMs,
  factor: t.refinement(t.number, (n) => n >= 1, "FactorAtLeast1"),
  /** Share of the delay removed at random (0..1); jitter only shortens, so `maxMs` is a hard cap. */
  jitter: t.refinement(t.number, (n) => n >= 0 && n <= 1, "Ratio"),
  /** Added to the interval for every consecutive ThrottlingException (check 53). */
  throttleStepMs: PositiveMs,
  throttleMaxMs: PositiveMs,
  /** Least time between GetLogEvents calls while the build runs. */
  logIntervalMs: PositiveMs,
});
export type PollConfig = t.TypeOf<typeof PollConfig>;

/**
 * What the caller sets; only `projectName` is required. Overrides come from here, never from a
 * comment (SECURITY-CHECKLIST 69).
 *
 * @example
 * const config: CodeBuildRunnerConfig = { projectName: "ml-chatops", timeoutInMinutes: 30 };
 */
export const CodeBuildRunnerConfig = t.intersection([
  t.type({ projectName: NonEmpty }),
  t.partial({
    imageOverride: NonEmpty,
    computeTypeOverride: NonEmpty,
    buildspecOverride: NonEmpty,
    /** Build timeout; also used for the deadline. CodeBuild's default is 60. */
    timeoutInMinutes: Minutes,
    /** Queue timeout; also used for the deadline. CodeBuild's default is 480. */
    queuedTimeoutInMinutes: Minutes,
    /** Experiment parameters become `<prefix><KEY>` variables. */
    paramEnvPrefix: EnvPrefix,
    /** Variables the project itself defines; a parameter may not shadow them. */
    projectEnvNames: t.readonlyArray(t.string),
    poll: PollConfig,
    /** BatchGetBuilds answers naming the new build in `buildsNotFound` before we give up (check 54). */
    notFoundRetries: Count,
    /** Our own StartBuild attempts on throttling, on top of the SDK's (same idempotency token). */
    startAttempts: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1, "AtLeastOne"),
    /** Added to queue + build timeout to get the overall deadline. */
    deadlineMarginMs: PositiveMs,
    /** GetLogEvents answers of ResourceNotFoundException after the build ended before logs count as unavailable. */
    logsMissingRetries: Count,
    logTailLines: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1, "AtLeastOne"),
    /** Largest result accepted, in characters of JSON. */
    maxResultChars: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1, "AtLeastOne"),
    /** When set, the result comes from this S3 artifact object (needs `deps.s3`), not from the log. */
    resultArtifact: ResultArtifactConfig,
  }),
]);
export type CodeBuildRunnerConfig = t.TypeOf<typeof CodeBuildRunnerConfig>;

/** The config after defaults are merged in. @internal */
export type ResolvedCodeBuildConfig = Required<
  Omit<CodeBuildRunnerConfig, "imageOverride" | "computeTypeOverride" | "buildspecOverride" | "poll" | "resultArtifact">
> & {
  readonly resultArtifact: Required<ResultArtifactConfig> | undefined;
  readonly imageOverride: string | undefined;
  readonly computeTypeOverride: string | undefined;
  readonly buildspecOverride: string | undefined;
  readonly poll: Required<PollConfig>;
};

/**
 * Defaults for every optional setting except the overrides.
 *
 * @example
 * DEFAULT_CODEBUILD_CONFIG.poll.maxMs; // 30000: a finished build is noticed within 30 s at worst
 */
export const DEFAULT_CODEBUILD_CONFIG = {
  timeoutInMinutes: 60,
  queuedTimeoutInMinutes: 480,
  paramEnvPrefix: "ML_CHATOPS_PARAM_",
  projectEnvNames: [] as ReadonlyArray<string>,
  poll: {
    initialMs: 5_000,
    maxMs: 30_000,
    factor: 1.5,
    jitter: 0.2,
    throttleStepMs: 15_000,
    throttleMaxMs: 60_000,
    logIntervalMs: 5_000,
  },
  notFoundRetries: 5,
  startAttempts: 3,
  deadlineMarginMs: 5 * 60_000,
  logsMissingRetries: 3,
  logTailLines: 50,
  maxResultChars: 4_000_000,
  resultArtifactMaxBytes: 16 * 1024 * 1024,
} as const;

/**
 * Decodes `input` and merges it over the defaults. Throws one readable message on bad input.
 *
 * @example
 * const config = resolveCodeBuildConfig({ projectName: "ml-chatops" });
 * @internal */
export const resolveCodeBuildConfig = (input: unknown): ResolvedCodeBuildConfig =>
  pipe(
    CodeBuildRunnerConfig.decode(input),
    E.match(
      (errors) => {
        throw new Error(
          `createCodeBuildRunner: invalid config: ${PathReporter.report(E.left(errors)).join("; ")}. ` +
            `Example: createCodeBuildRunner({ codebuild, logs }, { projectName: "ml-chatops" })`,
        );
      },
      (c) => ({
        ...DEFAULT_CODEBUILD_CONFIG,
        ...c,
        resultArtifact:
          c.resultArtifact === undefined
            ? undefined
            : { maxBytes: DEFAULT_CODEBUILD_CONFIG.resultArtifactMaxBytes, ...c.resultArtifact },
        imageOverride: c.imageOverride,
        computeTypeOverride: c.computeTypeOverride,
        buildspecOverride: c.buildspecOverride,
        poll: { ...DEFAULT_CODEBUILD_CONFIG.poll, ...c.poll },
      }),
    ),
  );

/**
 * The overall deadline for following a build: queue timeout + build timeout + margin (check 56).
 *
 * @example
 * deadlineMsOf(resolveCodeBuildConfig({ projectName: "p" })); // (480 + 60) min + 5 min
 * @internal */
export const deadlineMsOf = (c: ResolvedCodeBuildConfig): number =>
  (c.queuedTimeoutInMinutes + c.timeoutInMinutes) * 60_000 + c.deadlineMarginMs;
