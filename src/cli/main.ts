/**
 * `ml-chatops` entry point: a table of sub-commands. To add one, import its `CliCommand` and add
 * a row to `COMMANDS`; help, unknown-command handling and exit codes come for free.
 */
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CliCommand, CliIo } from "./io.js";
import { processIo } from "./io.js";
import { EXIT_SETUP, missingPackageLine, missingPackageOf } from "./missing-package.js";

/**
 * One sub-command: what runs it and its one-line summary for `--help`.
 *
 * @example
 * const entry: CliCommandEntry = { run: runDemo, summary: DEMO_SUMMARY };
 */
export type CliCommandEntry = { readonly run: CliCommand; readonly summary: string };

// Commands load on first use: `keywords` must not pay for octokit and the AWS SDK at start-up,
// and a missing optional SDK only breaks the commands that need it.
const lazy =
  (load: () => Promise<CliCommand>): CliCommand =>
  async (argv, io) =>
    (await load())(argv, io);

const DEMO_SUMMARY = "run the whole comment -> label -> run -> report flow locally on sample data";
const ON_COMMENT_SUMMARY = "handle a GitHub Actions issue_comment event (authorize, pin, approve, label)";
const ON_LABEL_SUMMARY =
  "handle a GitHub Actions pull_request event (run the approved experiment, or drop a stale approval)";
const COLLECT_SUMMARY = "publish the final reports of detached runs that have finished (for a scheduled workflow)";
const RUN_SUMMARY = "run an experiment of .github/ml-chatops.yml at HEAD locally and compare it with the baseline";
const EXEC_SUMMARY = "run the approved experiment in a runner's job (ML_CHATOPS_JOB) and hand its checked result back";
const INIT_SUMMARY =
  "write the workflows, .github/ml-chatops.yml and the runner's files into this repository (--runner local|codebuild|argo|github-actions)";
const EMIT_RESULT_SUMMARY = "print a result JSON file as checksummed ML_CHATOPS_RESULT log lines (for CodeBuild)";

/**
 * Every sub-command, by name. Adding one is one row here.
 *
 * @example
 * Object.keys(COMMANDS); // ["keywords", "demo", …]
 */
export const COMMANDS: Readonly<Record<string, CliCommandEntry>> = {
  init: { run: lazy(() => import("./init.js").then((m) => m.runInit)), summary: INIT_SUMMARY },
  keywords: {
    run: lazy(() => import("./keywords.js").then((m) => m.runKeywords)),
    summary: "extract TF-IDF keywords from a JSON Lines corpus",
  },
  demo: { run: lazy(() => import("./demo.js").then((m) => m.runDemo)), summary: DEMO_SUMMARY },
  "on-comment": {
    run: lazy(() => import("./github-commands.js").then((m) => m.runOnComment)),
    summary: ON_COMMENT_SUMMARY,
  },
  "on-label": { run: lazy(() => import("./github-commands.js").then((m) => m.runOnLabel)), summary: ON_LABEL_SUMMARY },
  collect: { run: lazy(() => import("./github-commands.js").then((m) => m.runCollect)), summary: COLLECT_SUMMARY },
  run: { run: lazy(() => import("./run.js").then((m) => m.runRun)), summary: RUN_SUMMARY },
  exec: { run: lazy(() => import("./exec.js").then((m) => m.runExec)), summary: EXEC_SUMMARY },
  "emit-result": {
    run: lazy(() => import("./emit-result.js").then((m) => m.runEmitResult)),
    summary: EMIT_RESULT_SUMMARY,
  },
};

/**
 * The top-level `--help` text.
 *
 * @example
 * io.stdout(usage());
 */
export const usage = (): string => {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: ml-chatops <command> [options]

Runs an ML experiment from a pull-request comment and reports the result on the PR.

Commands:
${rows.join("\n")}

Options:
  -h, --help     show this help
  -V, --version  print the version

Run "ml-chatops <command> --help" for a command's options.
`;
};

/**
 * The package version, read from package.json next to src/ or dist/.
 *
 * @example
 * packageVersion(); // "0.1.0"
 */
export const packageVersion = (): string => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "unknown";
};

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code.
 *
 * @example
 * const code = await runCli(["--help"], processIo());
 */
export const runCli = async (argv: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(usage());
    return 2;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return 0;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr(
      `ml-chatops: unknown command ${JSON.stringify(name.slice(0, 100))}; run "ml-chatops --help" for the list\n`,
    );
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    const pkg = missingPackageOf(e);
    if (pkg !== undefined) {
      io.stderr(`ml-chatops ${name}: ${missingPackageLine(`this command`, pkg)}\n`);
      return EXIT_SETUP;
    }
    io.stderr(
      `ml-chatops ${name}: internal error: ${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}\n`,
    );
    return 70;
  }
};

/**
 * Runs the CLI on this process's arguments and sets the exit code. The bin script calls this.
 *
 * @example
 * await main();
 */
export const main = async (): Promise<void> => {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
};

const isEntryPoint = (): boolean => {
  const script = process.argv[1];
  // Bundled into the action, this module's URL is the bundle's: only a script named main runs the CLI.
  if (script === undefined || !/main\.[cm]?[jt]s$/.test(script)) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
};

// No top-level await: the CLI is also built as CommonJS.
if (isEntryPoint()) void main();
