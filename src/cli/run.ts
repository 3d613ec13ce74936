/**
 * `ml-chatops run`: the local dev loop. In any git repository with `.github/ml-chatops.yml`
 * (read from the working tree: this is the user's own machine), runs one experiment at HEAD on the
 * local runner, compares it with `.ml-chatops/baseline.json` (or `--baseline`), and prints the
 * report; `--save-as-baseline` writes the result as the baseline, in the format `promote` commits.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import * as path from "node:path";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { createFileBaselineStore, createLocalRunner } from "../adapters/local/index.js";
import { parseRepoConfig, DEFAULT_REPO_CONFIG, type RepoConfig } from "../adapters/github/index.js";
import {
  createDeclaredExperiment,
  describeError,
  diffResults,
  renderReport,
  type Experiment,
  type Report,
  type RunRequest,
  type RunState,
  type Sha,
} from "../index.js";
import { createTfidfKeywordsExperiment } from "../nlp/index.js";
import type { CliCommand, CliIo } from "./io.js";
import { parseFlags } from "./parse-flags.js";
import { toRunJson } from "./run-json.js";

/** The `--help` text. */
export const RUN_USAGE = `Usage: ml-chatops run [EXPERIMENT] [key=value …] [--baseline FILE] [--save-as-baseline] [--format markdown|json] [--dirty]

Runs an experiment of .github/ml-chatops.yml (from the working tree) at HEAD on the local runner,
compares it with the current best and prints the report.

  EXPERIMENT          an id under experiments: (default: defaultExperiment, or the only one)
  key=value           parameters, checked against their declarations
  --baseline FILE     the current best (default: .ml-chatops/baseline.json of the repository)
  --save-as-baseline  write this result as the baseline (the format promote commits)
  --format F          markdown (default) or json
  --dirty             run although the working tree has uncommitted changes (they are not
                      part of the run: it runs HEAD)
  -h, --help          show this help

Exit codes: 0 the experiment succeeded; 1 it failed (one line on stderr says why);
2 bad usage, config or parameters, or a dirty working tree.
`;

const NAME = "ml-chatops run";
type Failure = { readonly code: 1 | 2; readonly message: string };
const usage = (message: string): Failure => ({ code: 2, message });
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, " ").trim();

const git = (cwd: string, args: ReadonlyArray<string>): Promise<E.Either<string, string>> =>
  new Promise((resolve) => {
    execFile(
      "git",
      ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", ...args],
      { cwd, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve(error === null ? E.right(String(stdout).trim()) : E.left(oneLine(String(stderr)) || error.message)),
    );
  });

type Options = {
  readonly experiment: string | undefined;
  readonly args: Readonly<Record<string, string>>;
  readonly baseline: string | undefined;
  readonly save: boolean;
  readonly format: "markdown" | "json";
  readonly dirty: boolean;
};

const toOptions = (argv: ReadonlyArray<string>): E.Either<Failure, Options | "help"> => {
  const parsedFlags = parseFlags({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      baseline: { type: "string" },
      "save-as-baseline": { type: "boolean" },
      format: { type: "string" },
      dirty: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (E.isLeft(parsedFlags)) return E.left(usage(`${parsedFlags.left} (see --help)`));
  const parsed = parsedFlags.right;
  if (parsed.values.help === true) return E.right("help");
  const format = parsed.values.format ?? "markdown";
  if (format !== "markdown" && format !== "json")
    return E.left(usage(`expected markdown or json, got ${JSON.stringify(format)} (--format)`));
  let experiment: string | undefined;
  const args: Record<string, string> = {};
  for (const [i, p] of parsed.positionals.entries()) {
    const eq = p.indexOf("=");
    if (eq < 0) {
      if (i > 0 || experiment !== undefined)
        return E.left(
          usage(
            `expected key=value, got ${JSON.stringify(p.slice(0, 64))} (only the first argument may name the experiment)`,
          ),
        );
      experiment = p;
      continue;
    }
    const key = p.slice(0, eq);
    if (Object.hasOwn(args, key)) return E.left(usage(`parameter ${JSON.stringify(key.slice(0, 64))} is given twice`));
    args[key] = p.slice(eq + 1);
  }
  return E.right({
    experiment,
    args,
    baseline: parsed.values.baseline,
    save: parsed.values["save-as-baseline"] === true,
    format,
    dirty: parsed.values.dirty === true,
  });
};

const experimentsOf = (config: RepoConfig): ReadonlyArray<Experiment> =>
  config.experiments === undefined
    ? [createTfidfKeywordsExperiment({ corpusPath: config.experiment.corpusPath ?? "corpus.jsonl" })]
    : Object.entries(config.experiments).map(([id, spec]) => createDeclaredExperiment(id, spec));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const isFinished = (s: RunState): boolean => s !== "queued" && s !== "running";

const execute = async (
  opts: Options,
  io: CliIo,
): Promise<E.Either<Failure, { readonly text: string; readonly succeeded: boolean; readonly detail: string }>> => {
  const root = await git(io.cwd, ["rev-parse", "--show-toplevel"]);
  if (E.isLeft(root)) return E.left(usage(`not inside a git repository (${root.left})`));
  const head = await git(root.right, ["rev-parse", "--verify", "HEAD^{commit}"]);
  if (E.isLeft(head)) return E.left(usage(`the repository has no commit to run yet (${head.left})`));
  const baselinePath = path.resolve(io.cwd, opts.baseline ?? path.join(root.right, ".ml-chatops", "baseline.json"));
  const status = await git(root.right, [
    "status",
    "--porcelain",
    "--untracked-files=no",
    "--",
    ".",
    `:(exclude)${path.relative(root.right, baselinePath)}`,
  ]);
  if (E.isLeft(status)) return E.left(usage(`cannot tell whether the working tree is clean (${status.left})`));
  if (status.right !== "" && !opts.dirty) {
    return E.left(
      usage(
        `the working tree has uncommitted changes (${status.right.split("\n").length} file(s)); commit them, or pass --dirty to run HEAD anyway`,
      ),
    );
  }
  let configText: string | undefined;
  try {
    configText = await readFile(path.join(root.right, ".github", "ml-chatops.yml"), "utf8");
  } catch {
    configText = undefined;
  }
  const config = configText === undefined ? E.right(DEFAULT_REPO_CONFIG) : parseRepoConfig(configText);
  if (E.isLeft(config)) return E.left(usage(config.left));
  const experiments = experimentsOf(config.right);
  const id = opts.experiment ?? config.right.pipeline.defaultExperiment;
  const experiment = experiments.find((x) => x.id === id);
  if (experiment === undefined)
    return E.left(
      usage(
        `unknown experiment ${JSON.stringify(id.slice(0, 64))} (declared: ${experiments.map((x) => x.id).join(", ")})`,
      ),
    );
  const params = experiment.parseParams(opts.args);
  if (E.isLeft(params)) return E.left(usage(describeError(params.left)));

  const sha = head.right as Sha;
  const pr = { owner: "local", repo: path.basename(root.right).replace(/[^A-Za-z0-9._-]/g, "-") || "repo", number: 1 };
  const req: RunRequest = {
    runKey: { pr, experiment: experiment.id },
    experimentId: experiment.id,
    params: params.right,
    pinnedSha: sha,
    pr: { ...pr, headRef: "HEAD", headSha: sha },
    approvalId: `local-${Date.now()}`,
  };
  const runner = createLocalRunner(
    { experiments, env: io.env },
    {
      repoPath: root.right,
      command: [process.execPath, ...process.execArgv, process.argv[1] ?? "ml-chatops"],
      ...(experiment.timeoutMs === undefined ? {} : { timeoutMs: experiment.timeoutMs }),
    },
  );
  const started = await runner.start(req)();
  if (E.isLeft(started)) return E.left({ code: 1, message: describeError(started.left) });
  let state = await runner.status(started.right)();
  while (E.isRight(state) && !isFinished(state.right.state)) {
    await sleep(100);
    state = await runner.status(started.right)();
  }
  if (E.isLeft(state)) return E.left({ code: 1, message: describeError(state.left) });
  const logs = await runner.logs(started.right, undefined)();
  const logTail = E.isRight(logs) ? logs.right.lines.slice(-40) : [];
  const store = createFileBaselineStore({ path: baselinePath });
  const baseline = await store.load(experiment.id, pr)();
  if (E.isLeft(baseline)) return E.left(usage(describeError(baseline.left)));
  const best = O.toUndefined(baseline.right);
  const report: Report = {
    runKey: req.runKey,
    experimentId: experiment.id,
    pr,
    pinnedSha: sha,
    runner: "local",
    status: state.right,
    params: params.right,
    logTail,
    links: [],
    ...(best === undefined
      ? { baselineNote: `no baseline yet (${path.relative(io.cwd, baselinePath) || baselinePath})` }
      : { ...(best.meta === undefined ? {} : { baselineMeta: best.meta }), baselineResult: best.result }),
  };
  if (state.right.state !== "succeeded") {
    const text =
      opts.format === "json" ? `${JSON.stringify(toRunJson(report, undefined))}\n` : `${renderReport(report)}\n`;
    return E.right({ text, succeeded: false, detail: state.right.detail });
  }
  const result = await runner.result(started.right)();
  if (E.isLeft(result)) return E.left({ code: 1, message: describeError(result.left) });
  const diff = diffResults(result.right.output, best?.result, {
    goals: experiment.metrics,
    primary: experiment.primary,
    params: params.right,
  });
  const full: Report = { ...report, result: result.right.output, diff, durationMs: result.right.timings.durationMs };
  if (opts.save) {
    await mkdir(path.dirname(baselinePath), { recursive: true });
    const who = await git(root.right, ["config", "user.name"]);
    const saved = await store.save(experiment.id, result.right.output, {
      // No pull request made this baseline: number 0 is what the report shows as "no pull request"
      // (the run's own key uses 1; a real PR #1 must not be credited with a local run).
      pr: { ...pr, number: 0 },
      sha,
      promotedBy: { login: E.isRight(who) && who.right !== "" ? who.right : (io.env["USER"] ?? "local"), id: 0 },
      promotedAt: new Date().toISOString(),
      params: params.right,
    })();
    if (E.isLeft(saved))
      return E.left({
        code: 1,
        message: `the run succeeded, but the baseline could not be saved: ${describeError(saved.left)}`,
      });
  }
  const text = opts.format === "json" ? `${JSON.stringify(toRunJson(full, diff))}\n` : `${renderReport(full)}\n`;
  return E.right({ text, succeeded: true, detail: state.right.detail });
};

/**
 * Runs `ml-chatops run` with its own argv.
 *
 * @example
 * const code = await runRun(["train", "c=0.2", "--format", "json"], processIo());
 */
export const runRun: CliCommand = async (argv, io) => {
  const fail = (f: Failure): number => {
    io.stderr(`${NAME}: ${oneLine(f.message)}\n`);
    return f.code;
  };
  const opts = toOptions(argv);
  if (E.isLeft(opts)) return fail(opts.left);
  if (opts.right === "help") {
    io.stdout(RUN_USAGE);
    return 0;
  }
  const out = await execute(opts.right, io);
  if (E.isLeft(out)) return fail(out.left);
  io.stdout(out.right.text);
  return out.right.succeeded ? 0 : fail({ code: 1, message: `the experiment did not succeed: ${out.right.detail}` });
};
