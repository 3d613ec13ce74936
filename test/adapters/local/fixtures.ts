/** Shared fixtures for the local runner tests: a test experiment script and run helpers. */
import * as E from "fp-ts/Either";
import { createDeclaredExperiment } from "../../../src/core/declared-experiment.js";
import type { RunHandle, RunRequest, RunStatus } from "../../../src/core/model.js";
import { isTerminal, toRunKey } from "../../../src/core/model.js";
import type { Experiment, Runner } from "../../../src/core/ports.js";
import { readFileSync, readdirSync } from "node:fs";

/**
 * A node script committed into the temporary repo; its behaviour is chosen by the `mode`
 * parameter, which arrives (like every parameter) only in the environment.
 */
export const EXPERIMENT_SCRIPT = `
import { mkdirSync, writeFileSync, readFileSync, symlinkSync, truncateSync } from "node:fs";
import { execFileSync, spawn } from "node:child_process";
const args = { mode: process.env.ML_CHATOPS_PARAM_MODE, param: process.env.ML_CHATOPS_PARAM_PARAM, out: "out/result.json" };
mkdirSync("out", { recursive: true });
console.log("ARGV " + JSON.stringify(process.argv.slice(2)));
const version = readFileSync("VERSION", "utf8").trim();
console.log("HEAD " + execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim());
console.log("VERSION " + version);
console.log("ENV " + JSON.stringify(process.env));
console.error("PARAM " + args.param);
const ok = { rankings: { keywords: { d1: [{ term: version, score: 1 }] } } };
switch (args.mode) {
  case "ok": writeFileSync(args.out, JSON.stringify(ok)); break;
  case "fail": console.error("boom: something broke"); process.exit(3); break;
  case "corrupt": writeFileSync(args.out, "{not json"); break;
  case "wrong-shape": writeFileSync(args.out, JSON.stringify({ documents: [{ id: 1 }] })); break;
  case "none": break;
  // Check 81: a result that is not a plain file, or too big to be data.
  case "fifo": execFileSync("mkfifo", [args.out]); break;
  case "zero": symlinkSync("/dev/zero", args.out); break;
  case "huge": writeFileSync(args.out, ""); truncateSync(args.out, 64 * 1024 * 1024); break;
  case "stubborn": process.on("SIGTERM", () => console.log("ignoring SIGTERM"));
  // falls through
  case "hang": {
    // A unique duration tags the grandchild: inside the sandbox's pid namespace its pid means
    // nothing to the host, so the tests find it by this tag in the host's /proc.
    const tag = "300." + String(process.hrtime.bigint() % 1000000000n).padStart(9, "0");
    spawn("sleep", [tag], { stdio: "ignore" });
    console.log("GRANDCHILD " + tag);
    setInterval(() => {}, 1000);
    break;
  }
}
`;

/** The Experiment port for the script above, declared as a user would. */
export const scriptExperiment: Experiment = createDeclaredExperiment("test-exp", {
  command: ["node", "experiment.mjs"],
  params: { mode: { type: "string", default: "ok" }, param: { type: "string", default: "" } },
  result: "out/result.json",
  metrics: {},
});

/** A run request for PR 7 of o/r at `sha`. */
export const requestFor = (sha: string, params: Record<string, string>, number = 7): RunRequest => ({
  runKey: toRunKey({ owner: "o", repo: "r", number }, "test-exp"),
  experimentId: "test-exp",
  params,
  pinnedSha: sha as RunRequest["pinnedSha"],
  pr: { owner: "o", repo: "r", number, headRef: "feature", headSha: sha as RunRequest["pinnedSha"] },
  approvalId: "approval-1",
});

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

/** Polls until the run is terminal (bounded by a count, not a time assertion). */
export const waitTerminal = async (runner: Runner, h: RunHandle): Promise<RunStatus> => {
  for (let i = 0; i < 3000; i += 1) {
    const s = await runner.status(h)();
    if (E.isLeft(s)) throw new Error(`status failed: ${JSON.stringify(s.left)}`);
    if (isTerminal(s.right.state)) return s.right;
    await pause();
  }
  throw new Error("run did not finish");
};

/** Polls the log until a line matches. */
export const waitLogLine = async (runner: Runner, h: RunHandle, re: RegExp): Promise<string> => {
  for (let i = 0; i < 3000; i += 1) {
    const page = await runner.logs(h, undefined)();
    if (E.isLeft(page)) throw new Error("logs failed");
    const line = page.right.lines.find((l) => re.test(l));
    if (line !== undefined) return line;
    await pause();
  }
  throw new Error(`no log line matching ${re}`);
};

/** All log lines of a run. */
export const allLogs = async (runner: Runner, h: RunHandle): Promise<string[]> => {
  const page = await runner.logs(h, undefined)();
  if (E.isLeft(page)) throw new Error("logs failed");
  return [...page.right.lines];
};

/** Host pids of live `sleep <tag>` processes (the experiment's grandchild of `--mode=hang`). */
export const sleepersTagged = (tag: string): number[] =>
  readdirSync("/proc")
    .filter((d) => /^[0-9]+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, "utf8") === `sleep\0${tag}\0`;
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter((pid) => isAlive(pid));

/** Waits (bounded by a count) until `sleep <tag>` shows up in the host's /proc, and returns its pids. */
export const waitSleeper = async (tag: string): Promise<number[]> => {
  for (let i = 0; i < 500; i += 1) {
    const pids = sleepersTagged(tag);
    if (pids.length > 0) return pids;
    await pause();
  }
  throw new Error(`no host process sleep ${tag}`);
};

/** True when `pid` is a live (not zombie) process. */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
};
