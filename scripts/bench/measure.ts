/**
 * Runs one command and measures its wall time and peak resident memory. Peak memory comes from
 * GNU time (`/usr/bin/time -f %M`, the child's max RSS as the kernel accounts it) when present,
 * otherwise from polling /proc/<pid>/status VmHWM while the child runs.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export type Measurement = { readonly wallMs: number; readonly peakKiB: number; readonly stdout: string };

const GNU_TIME = "/usr/bin/time";

const readVmHwm = (pid: number): number => {
  try {
    const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};

/** How peak memory is measured on this machine, for the report header. */
export const memoryMethod = (): string =>
  existsSync(GNU_TIME) ? `${GNU_TIME} -f %M (max RSS of the child)` : "polling /proc/<pid>/status VmHWM every 10 ms";

/**
 * Runs `cmd args` with stdin closed, stdout captured, stderr passed through on failure.
 *
 * @example
 * const m = await measure("/usr/bin/python3", ["-c", "print(1)"]);
 */
export const measure = async (
  cmd: string,
  args: ReadonlyArray<string>,
  opts: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<Measurement> => {
  const useTime = existsSync(GNU_TIME);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-"));
  const timeFile = path.join(dir, "time.txt");
  const [file, argv] = useTime ? [GNU_TIME, ["-f", "%M", "-o", timeFile, cmd, ...args]] : [cmd, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let peak = 0;
  const poll = useTime ? undefined : setInterval(() => (peak = Math.max(peak, readVmHwm(child.pid ?? -1))), 10);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (b: Buffer) => out.push(b));
  child.stderr.on("data", (b: Buffer) => err.push(b));
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  const wallMs = performance.now() - started;
  if (poll !== undefined) clearInterval(poll);
  if (code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} exited with ${String(code)}: ${Buffer.concat(err).toString("utf8").slice(0, 2000)}`,
    );
  }
  if (useTime) peak = Number(readFileSync(timeFile, "utf8").trim().split("\n").pop());
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, peakKiB: peak, stdout: Buffer.concat(out).toString("utf8") };
};

/**
 * The median of the numbers (the mean of the middle two for an even count).
 *
 * @example
 * median([3, 1, 2]); // 2
 */
export const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
