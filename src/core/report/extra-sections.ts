/**
 * The result's tables (side by side with the current best's when shapes match), its notes and
 * its images. Images are never uploaded: the report names them and says where the runner keeps
 * its artifacts, or that it keeps none. Untrusted text goes through `escape.ts`.
 *
 * @internal
 */
import { formatMetric } from "../promote-guard.js";
import type { Report } from "../model.js";
import type { ResultTable, TableCell } from "../result.js";
import { escapeMarkdown, inlineCode, shorten } from "./escape.js";
import { renderLink } from "./link.js";

const text = (s: string, max: number): string => escapeMarkdown(shorten(s, max));
const MAX_NOTE_LINES = 40;

const cellText = (c: TableCell | undefined): string =>
  c === null || c === undefined ? "" : typeof c === "number" ? formatMetric(c) : text(c, 80);

/** A cell beside the baseline's: `52 (best 50, +2)` for numbers, `new (best old)` for text. */
const sideBySide = (c: TableCell | undefined, b: TableCell | undefined): string => {
  if (c === b || (c === null && b === undefined)) return cellText(c);
  if (typeof c === "number" && typeof b === "number") {
    const d = c - b;
    return `${cellText(c)} (best ${cellText(b)}, ${d > 0 ? "+" : "−"}${formatMetric(Math.abs(d))})`;
  }
  return `${cellText(c)} (best ${cellText(b) || "empty"})`;
};

const renderTable = (
  t: ResultTable,
  base: ResultTable | undefined,
  note: string | undefined,
  budget: number,
): string | undefined => {
  const width = Math.max(t.columns.length, ...t.rows.map((r) => r.length), 1);
  const head = Array.from({ length: width }, (_, i) => text(t.columns[i] ?? "", 60));
  const lines = [
    `**${text(t.title, 100)}**${note === undefined ? "" : ` _(${note})_`}`,
    "",
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
  ];
  let used = lines.join("\n").length + 100;
  if (used > budget) return undefined;
  let shown = 0;
  for (const [i, row] of t.rows.entries()) {
    const cells = Array.from({ length: width }, (_, j) =>
      base === undefined ? cellText(row[j]) : sideBySide(row[j], base.rows[i]?.[j]),
    );
    const line = `| ${cells.join(" | ")} |`;
    if (used + line.length + 1 > budget) break;
    lines.push(line);
    used += line.length + 1;
    shown += 1;
  }
  if (shown < t.rows.length)
    lines.push("", `_${t.rows.length - shown} more rows not shown to stay within the size limit._`);
  return lines.join("\n");
};

/** @internal Every table of the result, within `budget`. */
export const renderResultTables = (r: Report, budget: number): string | undefined => {
  const tables = r.result?.tables ?? [];
  if (tables.length === 0) return undefined;
  const out: Array<string> = [];
  let left = budget;
  for (const [i, t] of tables.entries()) {
    const cmp = r.diff?.tables.find((x) => x.index === i);
    const base =
      cmp?.baselineIndex === null || cmp === undefined ? undefined : r.baselineResult?.tables?.[cmp.baselineIndex];
    const note = !r.diff?.hasBaseline
      ? undefined
      : base === undefined
        ? "not in the current best"
        : cmp?.sameShape === true
          ? "beside the current best's"
          : "the current best's has another shape";
    const rendered = renderTable(t, cmp?.sameShape === true ? base : undefined, note, left);
    if (rendered === undefined) {
      out.push(`_${tables.length - i} more tables not shown to stay within the size limit._`);
      break;
    }
    out.push(rendered);
    left -= rendered.length + 2;
  }
  return out.join("\n\n");
};

/** @internal The notes, escaped line by line (no HTML, no mentions), bounded. */
export const renderNotes = (r: Report): string | undefined => {
  const notes = r.result?.notes;
  if (notes === undefined || notes.trim() === "") return undefined;
  const lines = notes.split(/\r\n|\r|\n/);
  const shown = lines.slice(0, MAX_NOTE_LINES).map((l) => text(l, 300));
  const more =
    lines.length > MAX_NOTE_LINES ? [`_${lines.length - MAX_NOTE_LINES} more lines of notes not shown._`] : [];
  return ["**Notes:**", "", ...shown.map((l) => `> ${l}`), ...more].join("\n");
};

const MAX_ARTIFACT_LINKS = 10;

/**
 * @internal Where the runner keeps the run's artifacts, in one line: its links (each URL checked
 * by `renderLink`), its location as literal code, its note; or that it keeps none.
 */
export const describeArtifacts = (r: Report): string => {
  const a = r.artifacts;
  const links = [...(a?.url === undefined ? [] : [{ label: "artifacts", url: a.url }]), ...(a?.links ?? [])]
    .slice(0, MAX_ARTIFACT_LINKS)
    .map((l) => renderLink(l.label, l.url));
  const parts = [
    ...(a?.location === undefined ? [] : [inlineCode(shorten(a.location, 300))]),
    ...(links.length === 0 ? [] : [links.join(" · ")]),
    ...(a?.note === undefined ? [] : [text(a.note, 200)]),
  ];
  return parts.length === 0
    ? "this runner keeps no artifacts, so they are not available after the run"
    : parts.join(" · ");
};

/** @internal The artifacts fact of a report with a result (or with artifacts), else undefined. */
export const renderArtifactsFact = (r: Report): string | undefined =>
  r.result === undefined && r.artifacts === undefined ? undefined : `- **Artifacts:** ${describeArtifacts(r)}`;

/** @internal The result's images by title and path; never uploaded. */
export const renderImages = (r: Report): string | undefined => {
  const images = r.result?.images ?? [];
  if (images.length === 0) return undefined;
  const names = images.map((i) => `${text(i.title, 80)} (${text(i.path, 120)})`).join(", ");
  return `**Images:** ${names}. Not uploaded anywhere; where the runner keeps them: ${describeArtifacts(r)}.`;
};
