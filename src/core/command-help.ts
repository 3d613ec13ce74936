/**
 * The help text the bot replies with for `help` and for a command it could not parse.
 */
import type { ParamSpec } from "./ports.js";
import { MAX_ARGS, MAX_VALUE_LENGTH } from "./command-args.js";
import { escapeMarkdown } from "./report/escape.js";

/**
 * What the help text needs to know about one experiment; an `Experiment` port fits.
 *
 * @example
 * const x: HelpExperiment = { id: "tfidf-keywords", params: [{ key: "top_k", description: "keywords per document", default: "10" }] };
 * @internal */
export type HelpExperiment = { readonly id: string; readonly params: ReadonlyArray<ParamSpec> };

/** A code span for a table cell: delimiters longer than any backtick run, pipes escaped. */
const cellCode = (text: string): string => {
  const flat = text.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const tick = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat === "" ? " " : "";
  return `${tick}${pad}${flat.replace(/\|/g, "\\|")}${pad}${tick}`;
};

const experimentSection = (x: HelpExperiment): string => {
  const head = `**Experiment ${cellCode(x.id)}**`;
  if (x.params.length === 0) return `${head}: no parameters.`;
  const rows = x.params.map(
    (p) => `| ${cellCode(p.key)} | ${cellCode(p.default)} | ${escapeMarkdown(p.description)} |`,
  );
  return [head, "", "| Parameter | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
};

/**
 * Markdown help: the sub-commands, the argument grammar and each experiment's parameters.
 *
 * @example
 * const help = renderHelp("/experiment", [{ id: "tfidf-keywords", params: [{ key: "max_df", description: "…", default: "0.5" }] }]);
 * // "**ml-chatops commands** …| `/experiment run [key=value …]` | …"
 * @internal */
export const renderHelp = (trigger: string, experiments: ReadonlyArray<HelpExperiment>): string => {
  const cmd = (rest: string): string => cellCode(`${trigger} ${rest}`);
  return [
    "**ml-chatops commands** (write one on its own line, outside code blocks and quotes)",
    "",
    "| Command | What it does |",
    "| --- | --- |",
    `| ${cmd("run [key=value …]")} | Runs the experiment on this pull request's current head commit, after a permission check. |`,
    `| ${cmd("promote")} | Makes this pull request's latest result the new baseline. |`,
    `| ${cmd("cancel")} | Cancels the running experiment of this pull request. |`,
    `| ${cmd("help")} | Shows this help. |`,
    "",
    `Arguments are \`key=value\` or \`key="value with spaces"\` (no escapes: a value cannot contain a double quote). ` +
      `Keys are a lower-case letter followed by up to 31 of \`a-z 0-9 _ -\`, each at most once; ` +
      `at most ${MAX_ARGS} arguments of at most ${MAX_VALUE_LENGTH} characters. ` +
      "Values may not contain control or invisible characters, nor any of `` ` $ ; | & < > \\ ' \" ``.",
    ...experiments.flatMap((x) => ["", experimentSection(x)]),
  ].join("\n");
};
