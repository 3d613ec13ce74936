/**
 * ml-chatops: run an ML experiment from a pull-request comment and report the result on the PR,
 * compared with the current best. This entry holds what a bot author wires together: the
 * pipeline and its config, the ports' types, the report, the in-memory and comment-backed stores,
 * the result contract's decoder and the errors. Adapters live under subpaths
 * (`ml-chatops/adapters/local`, …) and the keyword experiment under `ml-chatops/nlp`.
 * api/public-api.md lists every export; growing it is a decision made in that file's diff.
 *
 * @example
 * import { createPipeline } from "ml-chatops";
 * import { createLocalRunner } from "ml-chatops/adapters/local";
 */

// The pipeline and its config.
export { createPipeline } from "./core/pipeline.js";
export { DEFAULT_PIPELINE_CONFIG, resolvePipelineConfig } from "./core/pipeline-config.js";
export type { PipelineConfig, PipelineConfigInput, PipelineSettings } from "./core/pipeline-config.js";
export type {
  CommentEvent,
  CommentOutcome,
  LabelEvent,
  LabelOutcome,
  Pipeline,
  PipelinePorts,
  PushEvent,
} from "./core/pipeline-context.js";

// The ports a bot plugs in.
export type {
  ApprovalStore,
  BaselineStore,
  BotComment,
  Clock,
  Experiment,
  Forge,
  Logger,
  LogPage,
  ParamSpec,
  PostedComment,
  Reaction,
  RepoRef,
  Reporter,
  RunLedger,
  Runner,
  Seal,
  StalePush,
  StoredBaseline,
  StoredResult,
} from "./core/ports.js";

// The model the ports speak.
export type {
  Actor,
  Approval,
  Artifacts,
  BaselineMeta,
  CommandArgs,
  DocumentKeywords,
  ExperimentId,
  Keyword,
  KeywordResult,
  PullRequest,
  PullRequestRef,
  RepoPullNumber,
  Report,
  ReportLink,
  Role,
  RunHandle,
  RunKey,
  RunnerKind,
  RunRequest,
  RunResult,
  RunState,
  RunStatus,
  Sha,
  Timings,
} from "./core/model.js";
export type {
  BaselineDiff,
  DocumentDiff,
  MetricDiff,
  MetricVerdict,
  RankingDiff,
  RankMove,
  ResultDiff,
  TableComparison,
} from "./core/comparison-model.js";

// Experiments: one declared as `.github/ml-chatops.yml` declares it (argv, typed parameters,
// result path, metrics' goals), and the job a remote runner hands to `ml-chatops exec`.
export { createDeclaredExperiment } from "./core/declared-experiment.js";
export type { ExperimentSpec, MetricGoal } from "./core/experiment-spec.js";
export type { ParamDecl } from "./core/param-decl.js";
export { decodeJobSpec } from "./core/job-spec.js";
export type { JobFor, JobSpec } from "./core/job-spec.js";

// The result contract an experiment hands back.
export { decodeExperimentResult, parseExperimentResult } from "./core/result.js";
export type { ExperimentResult, RankedItem, Ranking, ResultImage, ResultTable, TableCell } from "./core/result.js";

// The report: a result compared with the current best, rendered Markdown, posted as one living comment.
export { diffResults } from "./core/diff-result.js";
export { renderReport } from "./core/report/render.js";
export type { RenderOptions } from "./core/report/render.js";
export { createCommentReporter } from "./core/ledger/report-comment.js";
export type { CommentReporterOptions } from "./core/ledger/report-comment.js";
export type { Bookkeeping } from "./core/ledger/approval-book.js";

// Stores: in memory (tests, one process) and in the PR's comments (no database).
export {
  createMemoryApprovalStore,
  createMemoryBaselineStore,
  createMemoryRunLedger,
} from "./adapters/memory/stores.js";
export type { MemoryBaseline } from "./adapters/memory/stores.js";
export { createForgeRunLedger } from "./core/ledger/forge-ledger.js";

// Errors: tagged unions, their constructors (for port implementations) and one-line descriptions.
export {
  describeError,
  experimentFailed,
  forgeForbidden,
  forgeInvalidResponse,
  forgeNotFound,
  forgeUnavailable,
  invalidParams,
  rateLimited,
  resultInvalid,
  runNotFound,
  runRejected,
  runnerInvalidResponse,
  runnerUnavailable,
  storeConflict,
  storeCorrupt,
  storeUnavailable,
} from "./core/errors.js";
export type { ExperimentError, ForgeError, PipelineError, RunnerError, StoreError } from "./core/errors.js";
