/**
 * The local process runner: a fresh checkout of the pinned commit, the experiment spawned
 * there in a bubblewrap sandbox (its own process group, an allow-listed environment), its
 * result read from a file outside the checkout, and everything removed afterwards. Spawning
 * and killing the process group is spawn-experiment.ts; reading the result file is result-file.ts.
 */
import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { runRejected } from "../../core/errors.js";
import { Sha } from "../../core/model.js";
import type { RunRequest } from "../../core/model.js";
import type { Clock, Experiment, Logger, Runner } from "../../core/ports.js";
import { buildChildEnv } from "./child-env.js";
import { resolveLocalRunnerConfig } from "./config.js";
import type { LocalRunnerConfig, ResolvedLocalRunnerConfig } from "./config.js";
import { createCheckout, createExecGit } from "./git.js";
import type { Checkout, GitExec } from "./git.js";
import { toInvocation } from "./experiment-invocation.js";
import { keepRunArtifacts } from "./keep-artifacts.js";
import { hostSecrets, refusedMount } from "./mount-policy.js";
import { decideIsolation, launchFor, probePlan } from "./sandbox.js";
import type { Isolation } from "./sandbox.js";
import { createRunTable, systemClock } from "./run-table.js";
import type { RunRecord, RunTable } from "./run-table.js";
import { readResultFile } from "./result-file.js";
import type { Ending } from "./result-file.js";
import { killGroup, spawnExperiment } from "./spawn-experiment.js";

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
  /**
   * This process's own environment (`process.env`), checked for credentials before PR code may
   * run unsandboxed, besides `env`. Default: `env` alone.
   */
  readonly processEnv?: Readonly<Record<string, string | undefined>> | undefined;
};

/**
 * Creates a Runner that runs experiments as local processes, each in a fresh checkout of
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
  // The repository may belong to another user (a container job's workspace): trust it by path.
  const checkout = createCheckout(
    deps.git ?? createExecGit(deps.env ?? {}, { safeDirectories: [cfg.repoPath] }),
    cfg.repoPath,
  );
  const env = deps.env ?? {};
  let isolation: Promise<Isolation | { readonly refused: string }> | undefined;
  const decide = () => {
    const settings = { isolation: cfg.isolation, bwrapPath: cfg.bwrapPath };
    const held = { ...(deps.processEnv ?? {}), ...env };
    isolation ??= decideIsolation(settings, held, probePlan(cfg.tmpDir ?? tmpdir(), { PATH: "/usr/bin:/bin" }));
    return isolation;
  };
  const ctx: RunContext = { cfg, table, checkout, env, logger: deps.logger };

  const start = (req: RunRequest) => {
    const experiment = deps.experiments.find((x) => x.id === req.experimentId);
    if (experiment === undefined) return TE.left(runRejected(`unknown experiment ${req.experimentId}`));
    // The SHA becomes a git argument: only a full 40-hex commit id may get that far (check 11).
    if (!Sha.is(req.pinnedSha))
      return TE.left(
        runRejected(`pinned SHA ${JSON.stringify(String(req.pinnedSha).slice(0, 64))} is not a full 40-hex commit id`),
      );
    // Mounts are checked against this host before anything runs (check 77).
    const secrets = hostSecrets({ ...(deps.processEnv ?? {}), ...env }, cfg.repoPath, cfg.tmpDir);
    const lists = [
      ["runner.settings.mounts", cfg.mounts],
      [`experiments.${experiment.id}.mounts`, experiment.sandbox?.mounts ?? []],
    ] as const;
    const badMount = refusedMount(lists, secrets);
    if (badMount !== undefined) return TE.left(runRejected(badMount));
    return TE.flatMap((iso: Isolation | { readonly refused: string }) => {
      if ("refused" in iso) return TE.left(runRejected(iso.refused));
      const record = table.create(req);
      void executeRun(ctx, record, req, experiment, iso);
      return TE.right(record.handle);
    })(TE.fromTask(decide));
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

const executeRun = (
  ctx: RunContext,
  record: RunRecord,
  req: RunRequest,
  experiment: Experiment,
  iso: Isolation,
): Promise<void> =>
  runInTempDir(ctx, record, req, experiment, iso).catch((cause: unknown) =>
    ctx.table.finish(record, "errored", `infrastructure: ${cause instanceof Error ? cause.message : String(cause)}`),
  );

const runInTempDir = async (
  ctx: RunContext,
  record: RunRecord,
  req: RunRequest,
  experiment: Experiment,
  iso: Isolation,
): Promise<void> => {
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
  let note: string | undefined;
  try {
    ending = await (async (): Promise<Ending> => {
      ctx.table.setState(record, "queued", "preparing the checkout", "checkout");
      base = await mkdtemp(join(ctx.cfg.tmpDir ?? tmpdir(), "ml-chatops-run-"));
      const checkoutDir = join(base, "checkout");
      if (ctx.cfg.fetchPullRefs !== undefined) {
        const fetched = await ctx.checkout.fetchPull(ctx.cfg.fetchPullRefs.remote, req.pr)();
        if (E.isLeft(fetched)) return { state: "errored", detail: `infrastructure: ${fetched.left}` };
      }
      const stop1 = stopped();
      if (stop1 !== undefined) return stop1;
      const head = await ctx.checkout.checkoutAt(checkoutDir, req.pinnedSha)();
      if (E.isLeft(head))
        return { state: "errored", detail: `infrastructure: cannot check out ${req.pinnedSha}: ${head.left}` };
      if (head.right !== req.pinnedSha) {
        return {
          state: "errored",
          detail: `infrastructure: checked-out commit ${head.right} is not the pinned ${req.pinnedSha}; nothing was run`,
        };
      }
      const stop2 = stopped();
      if (stop2 !== undefined) return stop2;
      const home = join(base, "home");
      const out = join(base, "out");
      await mkdir(home);
      await mkdir(out);
      // The declared argv, its parameters in the environment only (check 69).
      const run = toInvocation(experiment, ctx.cfg.command, req.params, checkoutDir);
      const env = buildChildEnv(ctx.env, ctx.cfg.extraEnv, run.paramEnv);
      const launch = launchFor(iso, {
        command: [run.program, ...run.args],
        checkout: checkoutDir,
        writable: [out],
        env: Object.fromEntries(Object.entries(env).filter(([k]) => k !== "HOME" && k !== "TMPDIR")),
        home: ctx.cfg.isolateHome ? home : (env["HOME"] ?? home),
        network: ctx.cfg.network || experiment.sandbox?.network === true,
        mounts: [...ctx.cfg.mounts, ...(experiment.sandbox?.mounts ?? [])],
      });
      note = launch.note;
      record.log.push(launch.banner);
      const spawned = spawnExperiment(
        launch.program,
        launch.args,
        checkoutDir,
        launch.env,
        record,
        ctx.cfg.killGraceMs,
      );
      child = spawned.child;
      killChild = spawned.kill;
      // A stop that arrived while the checkout was being prepared found no child to kill yet.
      if (stopReason !== undefined) void spawned.kill();
      ctx.table.setState(record, "running", `running ${experiment.id} at ${req.pinnedSha.slice(0, 7)}`, "experiment");
      const exit = await spawned.exited;
      const stop3 = stopped();
      if (stop3 !== undefined) return stop3;
      if (exit.error !== undefined)
        return { state: "errored", detail: `infrastructure: cannot start the experiment: ${exit.error}` };
      if (exit.signal !== null) return { state: "failed", detail: `experiment killed by signal ${exit.signal}` };
      if (exit.code !== 0) return { state: "failed", detail: `experiment exited with code ${String(exit.code)}` };
      // Read under what is left of the run's deadline (the deadline's stop waits for this read).
      const left = timeoutMs - (Date.now() - record.startedAt.getTime());
      const read = await readResultFile(checkoutDir, experiment.resultPath, Math.max(left, 1));
      if (read.output !== undefined && ctx.cfg.keepArtifactsIn !== undefined) {
        const leftNow = timeoutMs - (Date.now() - record.startedAt.getTime());
        record.kept = await keepRunArtifacts(
          ctx.cfg.keepArtifactsIn,
          record.handle.id,
          checkoutDir,
          read.output,
          Math.max(leftNow, 1),
        );
      }
      return read;
    })();
  } catch (cause) {
    ending = { state: "errored", detail: `infrastructure: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
  clearTimeout(deadline);
  if (child !== undefined) killGroup(child, "SIGKILL");
  await cleanUp(ctx, base, record);
  ctx.table.finish(
    record,
    ending.state,
    note === undefined ? ending.detail : `${ending.detail}; ${note}`,
    ending.output,
  );
};

const cleanUp = async (ctx: RunContext, base: string | undefined, record: RunRecord): Promise<void> => {
  if (base === undefined) return;
  await rm(base, { recursive: true, force: true }).catch((cause: unknown) =>
    ctx.logger?.warn("could not remove run directory", { run: record.handle.id, cause: String(cause) }),
  );
};
