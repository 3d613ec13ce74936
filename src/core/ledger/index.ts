/**
 * The ledger: the only code that reads or writes run state. It answers which run is current for
 * a pull request × experiment, supersedes, records results, writes the living report comment
 * and finds detached runs; every other module asks it. The marker module (`markers.ts`) is
 * imported by this folder alone (dependency-cruiser rule `ledger-owns-run-state`).
 *
 * @example
 * import { createForgeRunLedger, createCommentReporter } from "ml-chatops";
 */
export { createForgeRunLedger } from "./forge-ledger.js";
export {
  createCommentApprovalStore,
  type CommentApprovalStore,
  type CommentApprovalConfig,
} from "./comment-approvals.js";
export type { Bookkeeping } from "./approval-book.js";
export {
  createCommentReporter,
  renderReportComment,
  findReport,
  DEFAULT_KEEP_HISTORY,
  type CommentReporterOptions,
} from "./report-comment.js";
export type { ReportState } from "./markers.js";
export { supersedeRun, type SupersedeDeps } from "./supersede.js";
export { detachedRunsIn, type DetachedRun } from "./detached.js";
export { runReport, type FollowContext, type UnstartedRun } from "./run-report.js";
