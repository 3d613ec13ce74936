/**
 * Runs the experiment's command for `ml-chatops exec`: an argv (never a shell) in its own process
 * group, its output forwarded line by line, the whole group stopped when the time limit passes or
 * when the command exits (so nothing it started outlives the job step).
 */
import { spawn } from "node:child_process";

/** How the command ended. */
export type CommandOutcome =
  | { readonly _tag: "Exited"; readonly code: number | null; readonly signal: NodeJS.Signals | null }
  | { readonly _tag: "NotStarted"; readonly reason: string }
  | { readonly _tag: "TimedOut"; readonly afterMs: number };

/** What {@link runCommand} is given. */
export type CommandOptions = {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number | undefined;
  /** Time between SIGTERM and SIGKILL when the time limit passes. */
  readonly graceMs: number;
  /** Each line the command prints, stdout and stderr alike. */
  readonly onLine: (line: string) => void;
};

const MAX_LINE_CHARS = 8192;

const killGroup = (pid: number | undefined, signal: NodeJS.Signals): void => {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
};

/** Splits a byte stream into lines, cutting any line longer than {@link MAX_LINE_CHARS}. */
const lineSplitter = (onLine: (line: string) => void) => {
  let pending = "";
  const decoder = new TextDecoder();
  const emit = (line: string): void => onLine(line.replace(/\r$/, "").slice(0, MAX_LINE_CHARS));
  const flush = (): void => {
    for (let i = pending.indexOf("\n"); i >= 0; i = pending.indexOf("\n")) {
      emit(pending.slice(0, i));
      pending = pending.slice(i + 1);
    }
    if (pending.length > MAX_LINE_CHARS) {
      emit(pending);
      pending = "";
    }
  };
  return {
    write: (chunk: Buffer) => {
      pending += decoder.decode(chunk, { stream: true });
      flush();
    },
    end: () => {
      pending += decoder.decode();
      flush();
      if (pending !== "") emit(pending);
      pending = "";
    },
  };
};

/**
 * Runs `argv[0]` with `argv.slice(1)` in `cwd` and resolves when it and its output are done.
 *
 * @example
 * const outcome = await runCommand(["python3", "train.py"], { cwd, env, timeoutMs: 60_000, graceMs: 5_000, onLine: log });
 */
export const runCommand = (argv: ReadonlyArray<string>, opts: CommandOptions): Promise<CommandOutcome> =>
  new Promise((resolve) => {
    const [program = "", ...args] = argv;
    const child = spawn(program, args, {
      cwd: opts.cwd,
      env: opts.env,
      shell: false,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out = lineSplitter(opts.onLine);
    const err = lineSplitter(opts.onLine);
    child.stdout.on("data", (c: Buffer) => out.write(c));
    child.stderr.on("data", (c: Buffer) => err.write(c));
    let timedOut = false;
    let force: NodeJS.Timeout | undefined;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child.pid, "SIGTERM");
            force = setTimeout(() => killGroup(child.pid, "SIGKILL"), opts.graceMs);
          }, opts.timeoutMs);
    let outcome: CommandOutcome = { _tag: "Exited", code: null, signal: null };
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearTimeout(timer);
      if (force !== undefined) clearTimeout(force);
      out.end();
      err.end();
      resolve(timedOut && opts.timeoutMs !== undefined ? { _tag: "TimedOut", afterMs: opts.timeoutMs } : outcome);
    };
    child.once("error", (e: NodeJS.ErrnoException) => {
      outcome = {
        _tag: "NotStarted",
        reason:
          e.code === "ENOENT"
            ? `${JSON.stringify(program)} was not found (PATH, or the checkout)`
            : (e.message.split("\n")[0] ?? ""),
      };
      if (child.pid === undefined) finish();
    });
    child.once("exit", (code, signal) => {
      if (outcome._tag !== "NotStarted") outcome = { _tag: "Exited", code, signal };
      // A background process could keep the pipes open (and "close" from firing) forever.
      killGroup(child.pid, "SIGKILL");
    });
    child.once("close", finish);
  });
