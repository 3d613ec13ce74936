#!/usr/bin/env node
/**
 * `ml-chatops` entry point: dispatches to a sub-command.
 */
import type { CliCommand } from "./io.js";
import { processIo } from "./io.js";
import { runKeywords } from "./keywords.js";

const COMMANDS: Readonly<Record<string, CliCommand>> = {
  keywords: runKeywords,
};

const USAGE = `Usage: ml-chatops <command> [options]

Commands:
${Object.keys(COMMANDS)
  .map((name) => `  ${name}`)
  .join("\n")}

Run "ml-chatops <command> --help" for a command's options.
`;

const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const io = processIo();
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr(`ml-chatops: unknown command ${JSON.stringify(name)} (run ml-chatops --help)\n`);
    return 2;
  }
  return command(rest, io);
};

// No top-level await: the CLI is also built as CommonJS.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
