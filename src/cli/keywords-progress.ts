/**
 * `ml-chatops keywords` helpers around the run: where the cache lives by default, and progress
 * on stderr (documents per second, ETA) when stderr is a terminal and `--quiet` is not given.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { CliIo } from "./io.js";

/**
 * `node_modules/.cache/ml-chatops` of the nearest directory at or above `cwd` holding a
 * package.json, or undefined (no cache) when there is none.
 *
 * @example
 * defaultCacheDir("/work/app/src"); // "/work/app/node_modules/.cache/ml-chatops"
 */
export const defaultCacheDir = (cwd: string): string | undefined => {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return path.join(dir, "node_modules", ".cache", "ml-chatops");
    if (path.dirname(dir) === dir) return undefined;
  }
};

/**
 * Progress output for one run. Every method is a no-op unless stderr is a terminal and the run
 * is not quiet.
 *
 * @example
 * const p = progressReporter(io, false);
 * p.phase("loading the kuromoji dictionary");
 * p.update(10, 54);
 * p.finish();
 */
export type ProgressReporter = {
  readonly phase: (what: string) => void;
  readonly update: (done: number, total: number) => void;
  readonly finish: () => void;
};

const EVERY_MS = 200;

/**
 * A `ProgressReporter` writing one rewritten line to `io.stderr`; `now` is injectable for tests.
 *
 * @example
 * const p = progressReporter(processIo(), values.quiet === true);
 */
export const progressReporter = (io: CliIo, quiet: boolean, now: () => number = Date.now): ProgressReporter => {
  if (quiet || !io.stderrIsTTY) return { phase: () => undefined, update: () => undefined, finish: () => undefined };
  // Measured from the first finished document, so the dictionary load does not count as tokenizing.
  let first: { readonly at: number; readonly done: number } | undefined;
  let last = -Infinity;
  let open = false;
  const write = (line: string): void => {
    io.stderr(`\r\u001b[2K${line}`);
    open = true;
  };
  return {
    phase: (what) => write(`keywords: ${what}…`),
    update: (done, total) => {
      const t = now();
      first ??= { at: t, done };
      if (done < total && t - last < EVERY_MS) return;
      last = t;
      const seconds = (t - first.at) / 1000;
      const rate = seconds > 0 ? (done - first.done) / seconds : undefined;
      const speed =
        rate === undefined
          ? ""
          : `, ${rate.toFixed(1)} docs/s, ETA ${((total - done) / Math.max(rate, 1e-9)).toFixed(0)} s`;
      write(`keywords: tokenized ${done}/${total} documents${speed}`);
    },
    finish: () => {
      if (open) io.stderr("\n");
      open = false;
    },
  };
};
