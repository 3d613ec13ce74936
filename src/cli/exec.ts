/**
 * `ml-chatops exec`: the one entry point a runner's job runs. It takes the job (the declared
 * experiment and the approved parameters) from ML_CHATOPS_JOB, checks that the checkout is at the
 * job's commit, runs the command at the checkout's root (argv, never a shell; parameters only in
 * the environment), reads and validates the result file, and hands it back the way the runner
 * reads it: marker lines in the log (CodeBuild), a file (Actions artifact, Argo output, S3, local).
 */
import { mkdir, realpath, unlink, writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as E from "fp-ts/Either";
import { encodeResultMarkers } from "../adapters/codebuild/index.js";
import { readExperimentResult } from "../adapters/local/index.js";
import { decodeJobSpec, type JobSpec } from "../index.js";
import { runCommand, type CommandOutcome } from "./exec-process.js";
import { parseFlags } from "./parse-flags.js";
import { safeGit } from "./safe-git.js";
import type { CliCommand, CliIo } from "./io.js";

/** The environment variable the remote runners (CodeBuild, Argo, GitHub Actions) carry the job in. */
export const JOB_ENV = "ML_CHATOPS_JOB";

/**
 * Exit codes of `ml-chatops exec`, one per kind of failure.
 *
 * @example
 * EXEC_EXIT.experimentFailed; // 1
 */
export const EXEC_EXIT = {
  ok: 0,
  experimentFailed: 1,
  usage: 2,
  badJob: 3,
  wrongCommit: 4,
  notStarted: 5,
  timedOut: 6,
  badResult: 7,
  handBackFailed: 8,
} as const;

/** The `--help` text. */
export const EXEC_USAGE = `Usage: ml-chatops exec (--markers | --output FILE) [--checkout DIR] [--log-tail FILE]

Runs one approved experiment inside a runner's job and hands its result back. The job comes
from ${JOB_ENV} (JSON the bot builds from the default branch's .github/ml-chatops.yml and the
approved parameters; the checkout's own config is never read). exec checks that the checkout
is at the job's commit, deletes any result file the commit carries, runs the command at the
checkout's root (an argv, never a shell; parameters only as ML_CHATOPS_PARAM_<KEY> and
ML_CHATOPS_PARAMS_JSON), then reads the result file (a regular file inside the checkout, at
most 4 MiB, the result contract's cap) and checks it against the result contract.

  --markers          print the result as ML_CHATOPS_RESULT marker lines on stdout (CodeBuild)
  --output FILE      write the checked result to FILE (Actions artifact, Argo output, S3, local)
  --checkout DIR     the checkout's root (default: the working directory)
  --log-tail FILE    write the command's last 200 output lines to FILE
  -h, --help         show this help

The command's own output goes to stderr, so stdout carries only the markers.
Exit codes: 0 result handed back; 1 the experiment failed (non-zero exit or a signal);
2 bad usage; 3 ${JOB_ENV} missing or invalid; 4 the checkout is not at the job's commit;
5 the command could not be started; 6 the time limit passed; 7 no valid result file;
8 the result could not be written.
`;

const NAME = "ml-chatops exec";
const LOG_TAIL_LINES = 200;
const GRACE_MS = 5_000;
const READ_TIMEOUT_MS = 10_000;

type Failure = { readonly code: number; readonly message: string };
const failure = (code: number, message: string): Failure => ({ code, message });
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, " ").trim();

type Options = {
  readonly markers: boolean;
  readonly output: string | undefined;
  readonly checkout: string;
  readonly logTail: string | undefined;
};

const toOptions = (argv: ReadonlyArray<string>, io: CliIo): E.Either<Failure, Options | "help"> => {
  const parsed = parseFlags({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      markers: { type: "boolean" },
      output: { type: "string" },
      checkout: { type: "string" },
      "log-tail": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (E.isLeft(parsed)) return E.left(failure(EXEC_EXIT.usage, `${parsed.left} (see --help)`));
  const { values } = parsed.right;
  if (values.help === true) return E.right("help");
  if (values.markers !== true && values.output === undefined)
    return E.left(failure(EXEC_EXIT.usage, "give --markers or --output FILE: where the result goes (see --help)"));
  return E.right({
    markers: values.markers === true,
    output: values.output === undefined ? undefined : path.resolve(io.cwd, values.output),
    checkout: path.resolve(io.cwd, values.checkout ?? "."),
    logTail: values["log-tail"] === undefined ? undefined : path.resolve(io.cwd, values["log-tail"]),
  });
};

const readJob = (env: CliIo["env"]): E.Either<Failure, JobSpec> => {
  const text = env[JOB_ENV];
  if (text === undefined || text === "") {
    return E.left(
      failure(
        EXEC_EXIT.badJob,
        `${JOB_ENV} is not set: the runner passes the job the bot built from the default branch's .github/ml-chatops.yml`,
      ),
    );
  }
  return E.mapLeft((why: string) => failure(EXEC_EXIT.badJob, `${JOB_ENV}: ${why}`))(decodeJobSpec(text));
};

/** The checkout's HEAD, read with hardened git (safe-git.ts): the checkout is the pull request's. */
const headOf = async (checkout: string, env: CliIo["env"]): Promise<E.Either<string, string>> =>
  E.map((out: Buffer) => out.toString("utf8").trim())(
    await safeGit(checkout, ["rev-parse", "--verify", "HEAD^{commit}"], env["PATH"]),
  );

/** The command's environment: exec's own, less the job and any parameter variables, plus the job's parameters. */
const commandEnv = (env: CliIo["env"], job: JobSpec): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && k !== JOB_ENV && !k.startsWith("ML_CHATOPS_PARAM")) out[k] = v;
  }
  return { ...out, ...job.env };
};

/** A leading `ml-chatops` is this very CLI, called the way it was called (node, loader flags, script). */
const resolveArgv = (argv: ReadonlyArray<string>): ReadonlyArray<string> =>
  argv[0] === "ml-chatops"
    ? [process.execPath, ...process.execArgv, process.argv[1] ?? "ml-chatops", ...argv.slice(1)]
    : argv;

const outcomeFailure = (job: JobSpec, outcome: CommandOutcome): Failure | undefined => {
  const what = `${job.experiment} (${JSON.stringify(job.command[0] ?? "")})`;
  switch (outcome._tag) {
    case "NotStarted":
      return failure(EXEC_EXIT.notStarted, `cannot start ${what}: ${outcome.reason}`);
    case "TimedOut":
      return failure(
        EXEC_EXIT.timedOut,
        `${what} did not finish within its time limit of ${outcome.afterMs} ms; stopped`,
      );
    case "Exited":
      if (outcome.signal !== null)
        return failure(EXEC_EXIT.experimentFailed, `${what} was killed by signal ${outcome.signal}`);
      if (outcome.code !== 0)
        return failure(EXEC_EXIT.experimentFailed, `${what} exited with code ${String(outcome.code)}`);
      return undefined;
  }
};

/**
 * Deletes a result file the commit carries, which would otherwise pass for this run's. Only a
 * file (or link) whose folder is inside the checkout; anything else is left for the read to refuse.
 */
const removeStaleResult = async (checkout: string, relative: string): Promise<void> => {
  const file = path.resolve(checkout, relative);
  try {
    const [root, dir] = await Promise.all([realpath(checkout), realpath(path.dirname(file))]);
    if (dir === root || dir.startsWith(`${root}${path.sep}`)) await unlink(file);
  } catch {
    // Missing (the usual case), or a directory: nothing to remove.
  }
};

const writeFileMakingDir = async (file: string, text: string): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text, "utf8");
};

const execute = async (opts: Options, io: CliIo): Promise<Failure | undefined> => {
  const job = readJob(io.env);
  if (E.isLeft(job)) return job.left;
  const head = await headOf(opts.checkout, io.env);
  if (E.isLeft(head))
    return failure(EXEC_EXIT.wrongCommit, `cannot read the checkout's commit in ${opts.checkout}: ${head.left}`);
  if (head.right !== job.right.sha)
    return failure(
      EXEC_EXIT.wrongCommit,
      `the checkout is at ${head.right}, the approved commit is ${job.right.sha}; nothing was run`,
    );
  await removeStaleResult(opts.checkout, job.right.result);
  const tail: string[] = [];
  const outcome = await runCommand(resolveArgv(job.right.command), {
    cwd: opts.checkout,
    env: commandEnv(io.env, job.right),
    timeoutMs: job.right.timeoutMs,
    graceMs: GRACE_MS,
    onLine: (line) => {
      io.stderr(`${line}\n`);
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
    },
  });
  if (opts.logTail !== undefined) {
    try {
      await writeFileMakingDir(opts.logTail, tail.length === 0 ? "" : `${tail.join("\n")}\n`);
    } catch (e) {
      return failure(
        EXEC_EXIT.handBackFailed,
        `cannot write the log tail ${opts.logTail}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  const failed = outcomeFailure(job.right, outcome);
  if (failed !== undefined) return failed;
  const result = await readExperimentResult(opts.checkout, job.right.result, { timeoutMs: READ_TIMEOUT_MS });
  if (E.isLeft(result)) {
    const e = result.left;
    return failure(
      EXEC_EXIT.badResult,
      e._tag === "ResultUnreadable"
        ? `no valid result: ${e.detail}`
        : e._tag === "ResultNotText"
          ? `no valid result: ${job.right.result} is not UTF-8 text`
          : `${job.right.result}: ${e.detail}`,
    );
  }
  // Re-serialised from the decoded value: what leaves the job is exactly what was checked.
  const json = JSON.stringify(result.right);
  if (opts.output !== undefined) {
    try {
      await writeFileMakingDir(opts.output, `${json}\n`);
    } catch (e) {
      return failure(
        EXEC_EXIT.handBackFailed,
        `cannot write the result to ${opts.output}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  if (opts.markers) for (const line of encodeResultMarkers(json)) io.stdout(`${line}\n`);
  return undefined;
};

/**
 * Runs `ml-chatops exec` with its own argv.
 *
 * @example
 * const code = await runExec(["--output", "/tmp/ml-chatops/result.json"], processIo());
 */
export const runExec: CliCommand = async (argv, io) => {
  const opts = toOptions(argv, io);
  const fail = (f: Failure): number => {
    io.stderr(`${NAME}: ${oneLine(f.message)}\n`);
    return f.code;
  };
  if (E.isLeft(opts)) return fail(opts.left);
  if (opts.right === "help") {
    io.stdout(EXEC_USAGE);
    return EXEC_EXIT.ok;
  }
  const failed = await execute(opts.right, io);
  return failed === undefined ? EXEC_EXIT.ok : fail(failed);
};
