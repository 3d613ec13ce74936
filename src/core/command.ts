/**
 * The command grammar: which lines of a comment are commands, and what they say.
 *
 * A command is a line of ordinary text (not in code, a quote or an HTML comment; see
 * `command-scan.ts`) that starts with the exact ASCII trigger, optionally after up to three
 * spaces, followed by a space, a tab or the end of the line. Then come the sub-command and its
 * `key=value` arguments (grammar in `command-args.ts`). Lookalikes such as a fullwidth `／`, a
 * zero-width character inside the trigger or a homoglyph never match (SECURITY-CHECKLIST 72).
 * CRLF line ends and trailing whitespace are ignored.
 */
import * as E from "fp-ts/Either";
import type { Command, CommandName } from "./model.js";
import { describeToken, parseArgs } from "./command-args.js";
import { visibleLineStarts } from "./command-scan.js";

export { renderHelp, type HelpExperiment } from "./command-help.js";
export { ARG_KEY, MAX_ARGS, MAX_VALUE_LENGTH } from "./command-args.js";

/**
 * A line that starts with the trigger but is not a valid command; the bot replies with help.
 * The message is safe to show in Markdown: offending text is quoted with `\u{…}` escapes.
 *
 * @example
 * const e: CommandError = { line: 2, message: 'unknown sub-command "deploy"; use one of run, promote, cancel, help' };
 * @internal */
export type CommandError = { readonly line: number; readonly message: string };

/**
 * Every command and every malformed command line of one comment, in line order.
 *
 * @example
 * const { commands, errors } = parseComment(body, "/experiment");
 * @internal */
export type ParsedComment = {
  readonly commands: ReadonlyArray<Command>;
  readonly errors: ReadonlyArray<CommandError>;
};

const SUB_COMMANDS: ReadonlyArray<CommandName> = ["run", "promote", "cancel", "help"];

const isCommandName = (s: string): s is CommandName => (SUB_COMMANDS as ReadonlyArray<string>).includes(s);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** Drops trailing spaces and tabs (a loop: the regex `/[ \t]+$/` is quadratic on long space runs). */
const trimEndSpaces = (s: string): string => {
  let end = s.length;
  while (end > 0 && (s[end - 1] === " " || s[end - 1] === "\t")) end -= 1;
  return s.slice(0, end);
};

/** Parses what follows the trigger on one line. */
const parseLine = (rest: string, line: number): E.Either<CommandError, Command> => {
  const trimmed = rest.replace(/^[ \t]+/, "");
  const m = /^([^ \t]*)(.*)$/s.exec(trimmed);
  const word = m?.[1] ?? "";
  const args = m?.[2] ?? "";
  if (word === "") {
    return E.left({ line, message: `missing sub-command; use one of ${SUB_COMMANDS.join(", ")}` });
  }
  if (!isCommandName(word)) {
    return E.left({
      line,
      message: `unknown sub-command ${describeToken(word)}; use one of ${SUB_COMMANDS.join(", ")}`,
    });
  }
  return E.bimap(
    (message: string) => ({ line, message }),
    (parsed: Command["args"]): Command => ({ name: word, args: parsed, line }),
  )(parseArgs(args));
};

/**
 * Finds the commands in a comment body. Never throws: a line that starts with the trigger but
 * does not parse becomes a {@link CommandError}, so the caller can reply with help.
 *
 * @param trigger the exact command word, e.g. `/experiment`.
 * @example
 * parseComment("Looks good!\r\n/experiment run max_df=0.4  \r\n", "/experiment");
 * // { commands: [{ name: "run", args: { max_df: "0.4" }, line: 2 }], errors: [] }
 * @internal */
export const parseComment = (body: string, trigger: string): ParsedComment => {
  if (trigger.length === 0) return { commands: [], errors: [] };
  const lines = body.split(/\r\n|\r|\n/);
  const visible = visibleLineStarts(lines);
  const start = new RegExp(`^ {0,3}${escapeRegExp(trigger)}(?=[ \\t]|$)`);
  const commands: Array<Command> = [];
  const errors: Array<CommandError> = [];
  lines.forEach((raw, i) => {
    if (visible[i] !== true) return;
    const text = trimEndSpaces(raw);
    const m = start.exec(text);
    if (m === null) return;
    const parsed = parseLine(text.slice(m[0].length), i + 1);
    if (E.isRight(parsed)) commands.push(parsed.right);
    else errors.push(parsed.left);
  });
  return { commands, errors };
};
