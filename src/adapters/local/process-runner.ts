/**
 * The local process runner: a temporary `git worktree` at the pinned commit, the experiment
 * spawned there in its own process group with an allow-listed environment, its result read
 * from a file outside the worktree, and everything removed afterwards.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { runRejected } from "../../core/errors.js";
import { Sha } from "../../core/model.js";
import type { ExperimentResult } from "../../core/result.js";
import type { RunRequest } from "../../core/model.js";
import type { Clock, Experiment, Logger, Runner } from "../../core/ports.js";
import { buildChildEnv } from "./child-env.js";
import { resolveLocalRunnerConfig } from "./config.js";
import type { LocalRunnerConfig, ResolvedLocalRunnerConfig } from "./config.js";
import { createCheckout, execGit } from "./git.js";
import type { Checkout, GitExec } from "./git.js";
import { decodeResultFile, toInvocation } from "./experiment-invocation.js";
import { createLineSplitter } from "./log-buffer.js";
import { createRunTable, systemClock } from "./run-table.js";
import type { RunRecord, RunTable } from "./run-table.js";

/**
 * What {@link createLocalRunner} is given.
 *
 * @example
 * const deps: LocalRunnerDeps = { experiments: [keywordsExperiment], env: process.env, logger };
 */
export type LocalRunnerDeps = {
  /** The experiments this runner can start, by id. */
  readonly experiments: ReadonlyArray<Experiment>;
  /** Where allow-listed variables are copied from; usually the CLI passes `process.env`. Default: none. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
  /** Runs git; replaceable in tests. */
  readonly git?: GitExec | undefined;
};

/**
 * Creates a Runner that runs experiments as local processes, each in a temporary worktree of
 * `config.repoPath` at the pinned SHA.
 *
 * @example
 * const runner = createLocalRunner(
 *   { experiments: [keywordsExperiment], env: process.env },
 *   { repoPath: "/srv/talks", command: [process.execPath, "/srv/ml-chatops/dist/cli/main.js"], timeoutMs: 600_000 },
 * );
 * const handle = await runner.start(request)();
 */
export const createLocalRunner = (deps: LocalRunnerDeps, config: LocalRunnerConfig): Runner => {
  const cfg = resolveLocalRunnerConfig(config);
  const clock = deps.clock ?? systemClock;
  const table = createRunTable("local", clock, {
    maxLines: cfg.logTailLines,
    maxBytes: cfg.logTailBytes,
    maxLineChars: 4096,
  });
  const checkout = createCheckout(deps.git ?? execGit, cfg.repoPath);
  const ctx: RunContext = { cfg, table, checkout, env: deps.env ?? {}, logger: deps.logger };

  const start = (req: RunRequest) => {
    const experiment = deps.experiments.find((x) => x.id === req.experimentId);
    if (experiment === undefined) return TE.left(runRejected(`unknown experiment ${req.experimentId}`));
    // The SHA becomes a git argument: only a full 40-hex commit id may get that far (check 11).
    if (!Sha.is(req.pinnedSha)) return TE.left(runRejected(`pinned SHA ${JSON.stringify(String(req.pinnedSha).slice(0, 64))} is not a full 40-hex commit id`));
    const record = table.create(req);
    void executeRun(ctx, record, req, experiment);
    return TE.right(record.handle);
  };

  return { kind: "local", start, status: table.status, logs: table.logs, result: table.result, cancel: table.cancel };
};

type RunContext = {
  readonly cfg: ResolvedLocalRunnerConfig;
  readonly table: RunTable;
  readonly checkout: Checkout;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger | undefined;
};

type Ending = { readonly state: "succeeded" | "failed" | "cancelled" | "errored"; readonly detail: string; readonly output?: ExperimentResult };

const executeRun = (ctx: RunContext, record: RunRecord, req: RunRequest, experiment: Experiment): Promise<void> =>
  runInTempDir(ctx, record, req, experiment).catch((cause: unknown) =>
    ctx.table.finish(record, "errored", `infrastructure: ${cause instanceof Error ? cause.message : String(cause)}`),
  );

const runInTempDir = async (ctx: RunContext, record: RunRecord, req: RunRequest, experiment: Experiment): Promise<void> => {
  // Set up stopping before the first await, so a cancel right after start is never missed.
  let stopReason: "cancelled" | "deadline" | undefined;
  let child: ChildProcess | undefined;
  let killChild: () => Promise<void> = () => Promise.resolve();
  record.stop = async (why) => {
    stopReason ??= why;
    await killChild();
    await record.done;
  };
  // The experiment's own timeout applies when it is shorter than the runner's.
  const timeoutMs = Math.min(ctx.cfg.timeoutMs, experiment.timeoutMs ?? Number.POSITIVE_INFINITY);
  const deadline = setTimeout(() => void record.stop("deadline"), timeoutMs);
  deadline.unref();
  const stopped = (): Ending | undefined =>
    stopReason === "cancelled"
      ? { state: "cancelled", detail: "cancelled" }
      : stopReason === "deadline"
        ? { state: "errored", detail: `deadline exceeded after ${timeoutMs} ms` }
        : undefined;

  let ending: Ending;
  let base: string | undefined;
  let worktreeAdded: string | undefined;
  try {
    ending = await (async (): Promise<Ending> => {
      ctx.table.setState(record, "queued", "preparing the checkout", "checkout");
      base = await mkdtemp(join(ctx.cfg.tmpDir ?? tmpdir(), "ml-chatops-run-"));
      const worktree = join(base, "worktree");
      if (ctx.cfg.fetchPullRefs !== undefined) {
        const fetched = await ctx.checkout.fetchPull(ctx.cfg.fetchPullRefs.remote, req.pr)();
        if (E.isLeft(fetched)) return { state: "errored", detail: `infrastructure: ${fetched.left}` };
      }
      const stop1 = stopped();
      if (stop1 !== undefined) return stop1;
      const head = await ctx.checkout.addWorktree(worktree, req.pinnedSha)();
      worktreeAdded = worktree;
      if (E.isLeft(head)) return { state: "errored", detail: `infrastructure: cannot check out ${req.pinnedSha}: ${head.left}` };
      if (head.right !== req.pinnedSha) {
        return {
          state: "errored",
          detail: `infrastructure: checked-out commit ${head.right} is not the pinned ${req.pinnedSha}; nothing was run`,
        };
      }
      const stop2 = stopped();
      if (stop2 !== undefined) return stop2;
      const home = join(base, "home");
      await mkdir(home);
      const run = toInvocation(experiment, ctx.cfg.command, req.params, worktree);
      const env = buildChildEnv(ctx.env, ctx.cfg.extraEnv, { ...run.paramEnv, ...(ctx.cfg.isolateHome ? { HOME: home } : {}) });
      const spawned = spawnExperiment(run.program, run.args, worktree, env, record, ctx.cfg.killGraceMs);
      child = spawned.child;
      killChild = spawned.kill;
      // A stop that arrived while the checkout was being prepared found no child to kill yet.
      if (stopReason !== undefined) void spawned.kill();
      ctx.table.setState(record, "running", `running ${experiment.id} at ${req.pinnedSha.slice(0, 7)}`, "experiment");
      const exit = await spawned.exited;
      const stop3 = stopped();
      if (stop3 !== undefined) return stop3;
      if (exit.error !== undefined) return { state: "errored", detail: `infrastructure: cannot start the experiment: ${exit.error}` };
      if (exit.signal !== null) return { state: "failed", detail: `experiment killed by signal ${exit.signal}` };
      if (exit.code !== 0) return { state: "failed", detail: `experiment exited with code ${String(exit.code)}` };
      return readResult(run.resultFile);
    })();
  } catch (cause) {
    ending = { state: "errored", detail: `infrastructure: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
  clearTimeout(deadline);
  if (child !== undefined) killGroup(child, "SIGKILL");
  await cleanUp(ctx, worktreeAdded, base, record);
  ctx.table.finish(record, ending.state, ending.detail, ending.output);
};

const readResult = async (resultPath: string): Promise<Ending> => {
  let text: string;
  try {
    text = await readFile(resultPath, "utf8");
  } catch {
    return { state: "failed", detail: "the experiment exited 0 but wrote no result file" };
  }
  const decoded = decodeResultFile(text);
  return E.isLeft(decoded) ? { state: "failed", detail: decoded.left } : { state: "succeeded", ...decoded.right };
};

const cleanUp = async (ctx: RunContext, worktree: string | undefined, base: string | undefined, record: RunRecord): Promise<void> => {
  if (worktree !== undefined) {
    const removed = await ctx.checkout.removeWorktree(worktree)();
    if (E.isLeft(removed)) ctx.logger?.warn("could not remove worktree", { run: record.handle.id, why: removed.left });
  }
  if (base === undefined) return;
  await rm(base, { recursive: true, force: true }).catch((cause: unknown) =>
    ctx.logger?.warn("could not remove run directory", { run: record.handle.id, cause: String(cause) }),
  );
};

type Exit = { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly error?: string };

const killGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
};

const spawnExperiment = (
  program: string,
  argv: ReadonlyArray<string>,
  cwd: string,
  env: Record<string, string>,
  record: RunRecord,
  graceMs: number,
): { readonly child: ChildProcess; readonly exited: Promise<Exit>; readonly kill: () => Promise<void> } => {
  const child = spawn(program, argv, { cwd, env, shell: false, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const out = createLineSplitter((l) => record.log.push(l), 8192);
  const err = createLineSplitter((l) => record.log.push(l), 8192);
  child.stdout?.on("data", (c: Buffer) => out.write(c));
  child.stderr?.on("data", (c: Buffer) => err.write(c));
  const exited = new Promise<Exit>((resolve) => {
    let exit: Exit = { code: null, signal: null };
    child.once("error", (e) => {
      exit = { code: null, signal: null, error: e.message };
      if (child.pid === undefined) resolve(exit);
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      // A grandchild could keep the pipes open (and "close" from firing) forever: end the group now.
      killGroup(child, "SIGKILL");
    });
    child.once("close", () => {
      out.end();
      err.end();
      resolve(exit);
    });
  });
  const kill = async (): Promise<void> => {
    killGroup(child, "SIGTERM");
    const force = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
    await exited;
    clearTimeout(force);
  };
  return { child, exited, kill };
};
