/**
 * The report: pure Markdown rendering of a run's outcome. Its hidden markers and the living
 * comment belong to the ledger (`src/core/ledger/`).
 *
 * @example
 * import { renderReport } from "ml-chatops";
 */
export {
  renderReport,
  renderResultSection,
  DEFAULT_MAX_CHARS,
  GITHUB_COMMENT_LIMIT,
  type RenderOptions,
} from "./render.js";
export { MetricHistory, MetricPoint, MAX_HISTORY_POINTS, nextHistory } from "./metric-history.js";
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
