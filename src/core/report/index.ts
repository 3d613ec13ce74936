/**
 * The report: pure Markdown rendering of a run's outcome, its hidden markers, and the comment
 * reporter that keeps one living comment per pull request × experiment.
 *
 * @example
 * import { createCommentReporter, renderReport, readReportState } from "ml-chatops";
 */
export {
  renderReport,
  renderResultSection,
  DEFAULT_MAX_CHARS,
  GITHUB_COMMENT_LIMIT,
  type RenderOptions,
} from "./render.js";
export {
  ReportState,
  reportMarker,
  stateMarker,
  toReportState,
  readReportState,
  isReportFor,
  extractResults,
} from "./markers.js";
export { MetricHistory, MetricPoint, MAX_HISTORY_POINTS, nextHistory } from "./metric-history.js";
export { createCommentReporter, DEFAULT_KEEP_HISTORY, type CommentReporterOptions } from "./reporter.js";
export {
  escapeMarkdown,
  escapeHtml,
  neutralise,
  revealControls,
  codeBlock,
  mermaidLabel,
  safeUrl,
  cutUnits,
} from "./escape.js";
export { formatDuration } from "./sections.js";
