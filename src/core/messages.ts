/**
 * The short replies the bot posts. Anything that came from a user or a PR is wrapped in an
 * inline code span, so it renders literally: no mentions, links, HTML or markers.
 */
import type { Sha } from "./model.js";
import { revealControls } from "./report/escape.js";

/** An inline code span that holds `text` literally, whatever backticks it contains. @internal */
export const inlineCode = (text: string): string => {
  // Bidi overrides and control characters are shown, not obeyed, even inside a code span.
  const flat = revealControls(text.replace(/[\r\n]+/g, " ")).slice(0, 300);
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  // A space pad keeps a leading or trailing backtick from merging with the fence.
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat.length === 0 ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
};

/**
 * Opens the bot's one failure reply for a command comment (hidden; only the bot's own comments
 * are ever read for markers).
 *
 * @example
 * failureMarker(42); // "<!-- ml-chatops:command-failed:42 -->"
 * @internal */
export const failureMarker = (commentId: number): string => `<!-- ml-chatops:command-failed:${commentId} -->`;

/** The first 7 characters of a SHA, as GitHub shows it. @internal */
export const shortSha = (sha: Sha | string): string => sha.slice(0, 7);

/** Reply texts, one per situation. @internal */
export const messages = {
  approved: (sha: Sha, experimentId: string) =>
    `Approved ${inlineCode(experimentId)} for commit \`${shortSha(sha)}\` (${sha}); it starts when the bot's label ` +
    `event arrives, and this comment then reports it. New commits need a new approval.`,
  denied: (login: string, required: string, actual: string) =>
    `Sorry ${inlineCode(login)}, this command needs the ${inlineCode(required)} role on this repository; ` +
    `yours is ${inlineCode(actual)}.`,
  permissionUnknown: (login: string) =>
    `Could not verify the permission of ${inlineCode(login)}, so nothing was started. Please try again later.`,
  badCommand: (problems: ReadonlyArray<string>, help: string) =>
    `I could not run that command:\n${problems.map((p) => `- ${p}`).join("\n")}\n\n${help}`,
  oneCommandOnly: (lines: ReadonlyArray<number>) =>
    `Found ${lines.length} commands (lines ${lines.join(", ")}); please send one command per comment. Nothing was started.`,
  prNotOpen: (state: string) => `This pull request is ${state}; nothing was started.`,
  headRepoGone: () => "The head repository of this pull request no longer exists; nothing was started.",
  shaMismatch: (given: string, head: Sha) =>
    `The commit ${inlineCode(given)} is not the head of this pull request (\`${shortSha(head)}\`); ` +
    "give the full 40-character SHA of the current head, or leave `sha=` out.",
  pushedAfterComment: (head: Sha, pushedAt: string, commentAt: string) =>
    `The head \`${shortSha(head)}\` was pushed at ${inlineCode(pushedAt)}, after your comment (${inlineCode(commentAt)}), ` +
    "so it may not be the commit you reviewed. Review it, then comment again (or name it with `sha=`). Nothing was started.",
  pushTimeUnknown: (head: Sha) =>
    `Cannot tell when the head \`${shortSha(head)}\` was pushed, so cannot confirm it is the commit you reviewed. ` +
    "Comment again with `sha=` and the full 40-character SHA you reviewed. Nothing was started.",
  approvalStale: (approved: Sha, by: string) =>
    `The approval of commit \`${shortSha(approved)}\` no longer runs: superseded by ${by}. Please re-approve.`,
  headMoved: (approved: Sha, head: Sha) =>
    `New commits since approval (\`${shortSha(approved)}\` → \`${shortSha(head)}\`); please re-approve. Nothing was started.`,
  unknownExperiment: (id: string, known: ReadonlyArray<string>) =>
    `Unknown experiment ${inlineCode(id)}; known: ${known.map(inlineCode).join(", ")}.`,
  nothingToCancel: () => "There is no active run to cancel.",
  cancelled: (runId: string) => `Cancelled run ${inlineCode(runId)}.`,
  nothingToPromote: () => "There is no finished result on this pull request to promote yet.",
  promoted: (sha: Sha, experimentId: string, overridden?: string) =>
    `Promoted the result of \`${shortSha(sha)}\` to be the new baseline of ${inlineCode(experimentId)}.` +
    (overridden === undefined
      ? ""
      : ` Forced with \`force=true\` although ${inlineCode(overridden)}; the baseline records that it was forced.`),
  promoteRefused: (experimentId: string, why: string, trigger: string) =>
    `Not promoted: ${inlineCode(why)}. The current best of ${inlineCode(experimentId)} stays. ` +
    `To promote this result anyway, comment ${inlineCode(`${trigger} promote force=true`)}; the baseline then records that it was forced.`,
  failed: (what: string) => `Something went wrong: ${inlineCode(what)}`,
  commandFailed: (command: string, detail: string) =>
    `The ${inlineCode(command)} command failed: ${inlineCode(detail)}. ` +
    "Fix the cause (e.g. grant the permission named there), then re-run the job or comment again.",
  commandRecovered: (command: string) =>
    `The ${inlineCode(command)} command failed earlier and succeeded when retried.`,
};
