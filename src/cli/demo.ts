/**
 * `ml-chatops demo`: the whole flow on one machine (in-memory forge, real pipeline, in-process
 * keyword run, bundled baseline), the report printed and written to a file.
 */
import { readFile, writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as TE from "fp-ts/TaskEither";
import { describeNlpError, loadKuromojiTokenizer } from "../nlp/index.js";
import type { Tokenize } from "../nlp/index.js";
import { formatBaselineFile } from "../adapters/local/index.js";
import { buildDemoBaseline, demoPaths, loadBaselineFile } from "./demo-baseline.js";
import { DEMO_CORPUS, runDemoPipeline } from "./demo-pipeline.js";
import type { CliCommand, CliIo } from "./io.js";
import { parseFlags } from "./parse-flags.js";

/** The `--help` text. */
export const DEMO_USAGE = `Usage: ml-chatops demo [--out FILE] [--quiet] [--] [key=value ...]

Runs the whole flow on this machine: an in-memory pull request gets the comment
"/experiment run [key=value ...]", the bot approves it and adds the label, the label
event runs the tfidf-keywords experiment in-process on the bundled sample talks, and
the report (keywords and a diff against the bundled baseline) is printed to stdout
and written to a file. Progress goes to stderr.

  --out FILE              where to write the report (default report.md)
  --quiet                 no progress on stderr
  --write-baseline FILE   (maintainers) regenerate the bundled baseline into FILE
  -h, --help              show this help

key=value: experiment parameters, e.g. max_df=0.4 top=5 (see the tfidf-keywords
parameters: top, max_df, min_df, sublinear_tf, norm, use_idf).

Exit codes: 0 the run succeeded, 1 it did not (the report says why), 2 bad usage.
`;

const PARAM = /^([a-z][a-z0-9_]{0,31})=([^\s"'`\\]{1,64})$/;

type DemoArgs = {
  readonly out: string;
  readonly quiet: boolean;
  readonly writeBaseline: string | undefined;
  readonly params: ReadonlyArray<readonly [string, string]>;
};

const parseDemoArgs = (argv: ReadonlyArray<string>): E.Either<string, DemoArgs | "help"> => {
  const parsedFlags = parseFlags({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: "string" },
      quiet: { type: "boolean" },
      "write-baseline": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (E.isLeft(parsedFlags)) return E.left(parsedFlags.left.split("\n")[0] ?? parsedFlags.left);
  const parsed = parsedFlags.right;
  if (parsed.values.help === true) return E.right("help");
  const params: Array<readonly [string, string]> = [];
  for (const p of parsed.positionals) {
    const m = PARAM.exec(p);
    if (m === null || m[1] === undefined || m[2] === undefined) {
      return E.left(`bad parameter ${JSON.stringify(p.slice(0, 80))}: expected key=value, e.g. max_df=0.4`);
    }
    params.push([m[1], m[2]]);
  }
  if (parsed.values.out === "") return E.left("--out needs a file name");
  return E.right({
    out: parsed.values.out ?? "report.md",
    quiet: parsed.values.quiet === true,
    writeBaseline: parsed.values["write-baseline"],
    params,
  });
};

const fail = (io: CliIo, message: string, code: number): number => {
  io.stderr(`ml-chatops demo: ${message.replace(/[\r\n]+/g, " ")}\n`);
  return code;
};

/**
 * The `demo` sub-command.
 *
 * @example
 * const code = await runDemo(["--out", "/tmp/report.md", "max_df=0.4"], processIo());
 */
export const runDemo: CliCommand = async (argv, io) => {
  const args = parseDemoArgs(argv);
  if (E.isLeft(args)) return fail(io, `${args.left} (see ml-chatops demo --help)`, 2);
  if (args.right === "help") {
    io.stdout(DEMO_USAGE);
    return 0;
  }
  const { out, quiet, writeBaseline, params } = args.right;
  const progress = (line: string): void => {
    if (!quiet) io.stderr(`${line}\n`);
  };
  const paths = demoPaths();
  let corpusText: string;
  try {
    corpusText = await readFile(paths.corpus, "utf8");
  } catch (e) {
    return fail(io, `cannot read the sample corpus ${paths.corpus}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  const loadTokenizer: TE.TaskEither<string, Tokenize> = pipe(
    TE.fromIO(() => progress("      loading the Japanese tokenizer (kuromoji)...")),
    TE.flatMap(() => loadKuromojiTokenizer()),
    TE.map((t) => t.tokenize),
    TE.mapError(describeNlpError),
  );

  if (writeBaseline !== undefined) {
    const tokenize = await loadTokenizer();
    if (E.isLeft(tokenize)) return fail(io, tokenize.left, 1);
    const built = buildDemoBaseline(tokenize.right, corpusText, DEMO_CORPUS);
    if (E.isLeft(built)) return fail(io, built.left, 1);
    await writeFile(resolve(io.cwd, writeBaseline), formatBaselineFile(built.right), "utf8");
    progress(`baseline written to ${writeBaseline}`);
    return 0;
  }

  const baseline = await loadBaselineFile(paths.baseline);
  if (E.isLeft(baseline)) return fail(io, baseline.left, 1);
  const outcome = await runDemoPipeline({
    tokenizer: loadTokenizer,
    corpusText,
    baseline: baseline.right,
    params,
    progress,
    runLog: (line) => progress(`      run: ${line}`),
  });
  if (E.isLeft(outcome)) return fail(io, outcome.left, 1);
  const outPath = resolve(io.cwd, out);
  try {
    await writeFile(
      outPath,
      outcome.right.markdown.endsWith("\n") ? outcome.right.markdown : `${outcome.right.markdown}\n`,
      "utf8",
    );
  } catch (e) {
    return fail(io, `cannot write the report to ${outPath}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  io.stdout(outcome.right.markdown.endsWith("\n") ? outcome.right.markdown : `${outcome.right.markdown}\n`);
  const shown = relative(io.cwd, outPath);
  progress(`report written to ${shown.startsWith("..") ? outPath : shown}`);
  return outcome.right.report.status.state === "succeeded" ? 0 : 1;
};
