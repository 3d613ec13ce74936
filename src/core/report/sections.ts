/**
 * The pieces of one rendered result: header, baseline summary, Mermaid chart, keyword table and
 * log tail. Every piece of untrusted text goes through `escape.ts`.
 *
 * @internal
 */
import * as O from "fp-ts/Option";
import { toKeywordResult } from "../keyword-ranking.js";
import type { BaselineDiff, DocumentDiff, DocumentKeywords, KeywordResult, Report } from "../model.js";
import { primaryVerdict, renderBaselineFacts, renderParamList } from "./metric-sections.js";
import { codeBlock, escapeMarkdown, sanitiseCodeLine, shorten, tailUnits } from "./escape.js";
import { renderLink } from "./link.js";
import { renderArtifactsFact } from "./extra-sections.js";
import { byMovement, renderOverlapHistogram, renderTermChanges } from "./keyword-overview.js";

const MAX_LINKS_SHOWN = 5;
/** @internal The documents that moved most stay open in the table; the rest fold under `<details>`. */
export const OPEN_TABLE_DOCUMENTS = 10;

const text = (s: string, max: number): string => escapeMarkdown(shorten(s, max));

/**
 * A duration for people: `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`.
 *
 * @example
 * formatDuration(245_000); // "4 min 05 s"
 * @internal */
export const formatDuration = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) return "unknown";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalS = Math.round(s);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${String(totalS % 60).padStart(2, "0")} s`;
  const totalMin = Math.round(totalS / 60);
  return `${Math.floor(totalMin / 60)} h ${String(totalMin % 60).padStart(2, "0")} min`;
};

/**
 * @internal The first line of a result: it stays readable when the rest is folded away, and for
 * an experiment with a primary metric it answers "better than the current best?".
 */
export const renderHeading = (r: Report): string => {
  const verdict = primaryVerdict(r);
  return `### ${text(r.experimentId, 64)}: ${r.status.state} at \`${r.pinnedSha.slice(0, 7)}\`${verdict === undefined ? "" : ` · ${verdict}`}`;
};

/** @internal Status, commit, runner, duration, parameters, links, and the superseded note. */
export const renderFacts = (r: Report, detailMax = 500): string => {
  // Runners often lead the detail with the state ("cancelled: superseded by …"); say it once.
  const stated = r.status.detail.trim();
  const plain = stated.startsWith(`${r.status.state}:`) ? stated.slice(r.status.state.length + 1).trim() : stated;
  const detail = plain === "" || plain === r.status.state ? "" : `: ${text(plain, detailMax)}`;
  const phase = r.status.phase === undefined ? "" : ` (phase ${text(r.status.phase, 40)})`;
  const facts = [
    `- **Status:** ${r.status.state}${phase}${detail}`,
    `- **Commit:** \`${r.pinnedSha.slice(0, 7)}\` (full SHA \`${r.pinnedSha}\`)`,
    `- **Runner:** ${text(r.runner, 40)}${r.durationMs === undefined ? "" : `, **duration:** ${formatDuration(r.durationMs)}`}`,
    `- **Parameters:** ${renderParamList(r.params)}`,
    ...renderBaselineFacts(r),
  ];
  const links = r.links.slice(0, MAX_LINKS_SHOWN).map((l) => renderLink(l.label, l.url));
  if (links.length > 0) facts.push(`- **Links:** ${links.join(" · ")}`);
  if (r.sandboxNote !== undefined) facts.push(`- **Sandbox:** ${text(r.sandboxNote, 300)}`);
  const artifacts = renderArtifactsFact(r);
  if (artifacts !== undefined) facts.push(artifacts);
  if (r.supersededBy !== undefined) {
    facts.push(`- **Superseded by** ${text(r.supersededBy, 80)}: a newer command replaced this run.`);
  }
  return facts.join("\n");
};

/** @internal The ranking diffs of a report, in order (empty without a baseline). */
export const rankingDiffs = (r: Report): ReadonlyArray<{ readonly name: string; readonly diff: BaselineDiff }> =>
  r.diff?.rankings ?? [];

/** @internal The names of the rankings the result (or the diff) has, in order. */
export const rankingNames = (r: Report): ReadonlyArray<string> => [
  ...new Set([...Object.keys(r.result?.rankings ?? {}), ...rankingDiffs(r).map((d) => d.name)]),
];

/** @internal Per ranking: documents changed, mean overlap and the terms that changed most, or why there is no comparison. */
export const renderSummary = (r: Report): string | undefined => {
  const diffs = rankingDiffs(r);
  if (diffs.length > 0) {
    return diffs
      .map(({ name, diff: d }) => {
        const both = d.documents.filter((x) => x.presence === "both").length;
        const which = diffs.length === 1 && name === "keywords" ? "" : ` (ranking ${text(name, 64)})`;
        const line =
          `**Against the baseline${which}:** ${d.documentsChanged} of ${d.documents.length} documents changed; ` +
          `mean top-${d.k} overlap ${d.meanOverlap.toFixed(2)} over the ${both} ${both === 1 ? "document" : "documents"} present in both.`;
        const terms = renderTermChanges(d);
        return terms === undefined ? line : `${line}\n\n${terms}`;
      })
      .join("\n\n");
  }
  if (r.baselineNote !== undefined) return `**Baseline:** ${text(r.baselineNote, 300)}`;
  return r.result === undefined || r.diff?.hasBaseline === true ? undefined : "**Baseline:** no comparison available.";
};

/** @internal The overlap histogram (a few buckets, readable at any corpus size; GitHub renders `mermaid` blocks). */
export const renderChart = (diff: BaselineDiff): string | undefined => renderOverlapHistogram(diff);

const term = (t: string): string => text(t, 60);

const keywordCell = (d: DocumentDiff, terms: ReadonlyArray<string>): string => {
  const added = new Set(d.added);
  const moves = new Map(d.moved.map((m) => [m.term, m.from - m.to] as const));
  return terms
    .map((t) => {
      if (added.has(t)) return `**${term(t)}** ➕`;
      const up = moves.get(t);
      return up === undefined ? term(t) : `${term(t)} ${up > 0 ? `↑${up}` : `↓${-up}`}`;
    })
    .join(", ");
};

/** A table cut to its budget, and how many of its rows the cut left out. */
type CutTable = { readonly text: string; readonly rowsCut: number };

/**
 * @internal One table row per document, the documents that moved most first: the first
 * {@link OPEN_TABLE_DOCUMENTS} open, the rest under `<details>`; rows are cut to fit `budget`
 * characters with a visible note. A row is rendered only when it is reached: 5,000 documents
 * fit nowhere near a comment, so most never are.
 */
const renderRankingTable = (
  result: KeywordResult,
  diff: BaselineDiff | undefined,
  title: string | undefined,
  budget: number,
): CutTable | undefined => {
  const header = diff
    ? [
        `| Document | Top-${diff.k} overlap | Keywords (➕ new, ↑↓ rank moves) | Removed ➖ |`,
        "| --- | --- | --- | --- |",
      ]
    : ["| Document | Keywords |", "| --- | --- |"];
  const byId = new Map<string, DocumentKeywords>();
  for (const x of result.documents) if (!byId.has(x.id)) byId.set(x.id, x);
  const ordered = diff ? byMovement(diff) : [];
  const count = diff ? ordered.length : result.documents.length;
  const row = (i: number): string => {
    if (!diff) {
      const d = result.documents[i] as DocumentKeywords;
      return `| ${text(d.id, 80)} | ${d.keywords.map((k) => term(k.term)).join(", ")} |`;
    }
    const d = ordered[i] as DocumentDiff;
    const terms =
      byId
        .get(d.id)
        ?.keywords.map((k) => k.term)
        .slice(0, diff.k) ?? d.added;
    const overlap =
      d.presence === "both" ? d.overlap.toFixed(2) : d.presence === "new-only" ? "new document" : "baseline only";
    const removed = d.removed.map((t) => `~~${term(t)}~~ ➖`).join(", ");
    return `| ${text(d.id, 80)} | ${overlap} | ${keywordCell(d, terms)} | ${removed} |`;
  };
  const fold = count > OPEN_TABLE_DOCUMENTS;
  const others = count - OPEN_TABLE_DOCUMENTS;
  const lead = fold
    ? [
        `_The ${OPEN_TABLE_DOCUMENTS} documents ${diff ? "that moved most" : "first in the result"}; the other ${others} below._`,
        "",
      ]
    : [];
  const open = fold ? ["", `<details>`, `<summary>The other ${others} documents</summary>`, ""] : [];
  const close = fold ? ["", "</details>"] : [];
  const noteRoom = 120;
  const heading = title === undefined ? [] : [title, ""];
  let used = [...heading, ...lead, ...header, ...open, ...header, ...close].join("\n").length + noteRoom;
  if (used > budget) return undefined;
  const take = (from: number, to: number): ReadonlyArray<string> => {
    const kept: Array<string> = [];
    for (let i = from; i < to; i += 1) {
      const line = row(i);
      if (used + line.length + 1 > budget) break;
      kept.push(line);
      used += line.length + 1;
    }
    return kept;
  };
  const shown = take(0, fold ? OPEN_TABLE_DOCUMENTS : count);
  const rest = fold && shown.length === OPEN_TABLE_DOCUMENTS ? take(OPEN_TABLE_DOCUMENTS, count) : [];
  const cut = count - shown.length - rest.length;
  const note = cut > 0 ? ["", `_${cut} more documents not shown to stay within the size limit._`] : [];
  if (!fold) return { text: [...heading, ...header, ...shown, ...note].join("\n"), rowsCut: cut };
  const folded = rest.length > 0 ? [...open, ...header, ...rest, ...note, ...close] : note;
  return { text: [...heading, ...lead, ...header, ...shown, ...folded].join("\n"), rowsCut: cut };
};

/**
 * @internal The keyword tables of {@link renderKeywordTable}, and whether they are complete: every
 * ranking shown with every row. A complete answer is the whole table, the same as with no budget.
 */
export const keywordTableWithin = (
  r: Report,
  budget: number,
): { readonly text: string | undefined; readonly complete: boolean } => {
  const names = rankingNames(r);
  const diffs = new Map(rankingDiffs(r).map((d) => [d.name, d.diff] as const));
  const titled = names.length > 1 || names[0] !== "keywords";
  const out: Array<string> = [];
  let complete = true;
  let left = budget;
  for (const name of names) {
    const shown =
      r.result === undefined
        ? { documents: [] }
        : O.getOrElse((): KeywordResult => ({ documents: [] }))(toKeywordResult(r.result, name));
    const table = renderRankingTable(
      shown,
      diffs.get(name),
      titled ? `**Ranking ${text(name, 64)}**` : undefined,
      left - 2,
    );
    if (table === undefined) {
      complete = false;
      break;
    }
    if (table.rowsCut > 0) complete = false;
    out.push(table.text);
    left -= table.text.length + 2;
  }
  return { text: out.length === 0 ? undefined : out.join("\n\n"), complete };
};

/**
 * @internal One table per ranking (the keyword table for a lone `keywords` ranking), within
 * `budget` characters; a later ranking that no longer fits is left out.
 */
export const renderKeywordTable = (r: Report, budget: number): string | undefined => keywordTableWithin(r, budget).text;

/** The link the truncation note points to: a logs link, else the run, else any link. */
const logsLink = (r: Report): string => {
  const link =
    r.links.find((l) => /log/i.test(l.label)) ?? (r.handle?.url ? { label: "run", url: r.handle.url } : r.links[0]);
  return link === undefined ? "full logs: on the runner" : `full logs: ${renderLink(link.label, link.url)}`;
};

const fenceCost = (lines: ReadonlyArray<string>): number =>
  2 * Math.max(3, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((x) => x.length + 1))));

/** The last lines of `lines` that fit `room` characters, fence included; one huge line is cut from its start. */
const tailThatFits = (lines: ReadonlyArray<string>, room: number): ReadonlyArray<string> => {
  let budget = room;
  for (let attempt = 0; attempt < 4 && budget > 0; attempt += 1) {
    const kept: Array<string> = [];
    let used = 0;
    for (let i = lines.length - 1; i >= 0; i -= 1) {
      const line = lines[i] ?? "";
      if (used + line.length + 1 <= budget) {
        kept.unshift(line);
        used += line.length + 1;
      } else {
        if (kept.length === 0) kept.unshift(tailUnits(line, Math.max(0, budget - 1)));
        break;
      }
    }
    const over = used + fenceCost(kept) + 20 - room;
    if (over <= 0) return kept;
    budget -= over;
  }
  return [];
};

/** @internal The log tail in a fenced block under `<details>`, cut from the start to fit `budget`. */
export const renderLogTail = (r: Report, budget: number): string | undefined => {
  const lines = r.logTail.flatMap((l) => sanitiseCodeLine(l).split(/\r\n|\r|\n|\u2028|\u2029/));
  if (lines.length === 0) return undefined;
  const failed = r.status.state === "failed" || r.status.state === "errored";
  const wrapOpen = `<details${failed ? " open" : ""}>\n<summary>Log tail (${lines.length} lines)</summary>\n\n`;
  const wrapClose = "\n\n</details>";
  const note = `\n\n_Log tail truncated; ${logsLink(r)}_`;
  const full = `${wrapOpen}${codeBlock(lines)}${wrapClose}`;
  if (full.length <= budget) return full;
  const kept = tailThatFits(lines, budget - wrapOpen.length - wrapClose.length - note.length - 80);
  const summary = `<summary>Log tail (last ${kept.length} of ${lines.length} lines)</summary>`;
  const body = kept.length > 0 ? `${codeBlock(kept)}` : "_(no room for log lines)_";
  const out = `<details${failed ? " open" : ""}>\n${summary}\n\n${body}${wrapClose}${note}`;
  return out.length <= budget ? out : undefined;
};
