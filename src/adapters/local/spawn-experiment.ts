/**
 * Spawns an experiment as the leader of its own process group, with its output split into log
 * lines, and kills the whole group: PR code may start children that outlive it otherwise.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createLineSplitter } from "./log-buffer.js";
import type { RunRecord } from "./run-table.js";

/**
 * How the process ended; `error` when it could not be started.
 *
 * @example
 * const exit: Exit = { code: 0, signal: null };
 * @internal */
export type Exit = { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly error?: string };

/**
 * Sends `signal` to the child's whole process group; a group already gone is no error.
 *
 * @example
 * killGroup(child, "SIGKILL");
 * @internal */
export const killGroup = (child: ChildProcess, signal: NodeJS.Signals): void => {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
};

/**
 * Starts `program` with `argv` in `cwd`, no shell, its stdout and stderr appended to `record.log`
 * line by line. `kill` sends SIGTERM to the group, then SIGKILL after `graceMs`.
 *
 * @example
 * const { exited, kill } = spawnExperiment("python3", ["train.py"], checkoutDir, env, record, 5_000);
 * @internal */
export const spawnExperiment = (
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
