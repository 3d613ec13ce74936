/**
 * `--format markdown` for `ml-chatops keywords`: one table row per document. Document ids and
 * terms come from the corpus, so they are untrusted: every character that could end a cell,
 * open markup, mention someone or reference an issue is written as a numeric character reference.
 */
import type { KeywordResult } from "../index.js";

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#+!|~@&:"']/g;

/**
 * Makes untrusted text inert inside a Markdown table cell.
 *
 * @example
 * escapeCell("a|b @team"); // "a&#124;b &#64;team"
 */
export const escapeCell = (text: string): string =>
  text.replace(/[\r\n\t]+/g, " ").replace(MARKDOWN_SPECIAL, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Renders a keyword result as a Markdown table (scores to four decimals).
 *
 * @example
 * toKeywordsMarkdown({ documents: [{ id: "t1", keywords: [{ term: "python", score: 0.5 }] }] });
 * // "| document | keywords |\n| --- | --- |\n| t1 | python (0.5000) |\n"
 */
export const toKeywordsMarkdown = (result: KeywordResult): string => {
  const rows = result.documents.map(
    (d) =>
      `| ${escapeCell(d.id)} | ${d.keywords.map((k) => `${escapeCell(k.term)} (${k.score.toFixed(4)})`).join(", ")} |`,
  );
  return ["| document | keywords |", "| --- | --- |", ...rows].join("\n") + "\n";
};
