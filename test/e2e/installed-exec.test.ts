// As a user works: the packed package (npm pack of a fresh build) installed into a temporary git
// repository that holds none of our source, holding only the classifier example (train.py and
// its .github/ml-chatops.yml). `npx ml-chatops exec` runs the declared experiment the way the
// CodeBuild buildspec (markers), the Actions workflow and the Argo container (a file) call it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeResultMarkers } from "../../src/adapters/codebuild/result-marker.js";
import { encodeJobSpec } from "../../src/core/job-spec.js";
import { parseExperimentResult } from "../../src/core/result.js";
import { git } from "../support/git-repo.js";

const ROOT = new URL("../../", import.meta.url).pathname;
// Debian's python3 (scikit-learn) first: a pyenv python3 earlier on PATH may lack it.
const PATH = `/usr/bin:/bin:${process.env["PATH"] ?? ""}`;

describe("the installed package: npx ml-chatops exec in a user's repository", () => {
  let work: string;
  let repo: string;
  let sha: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), "ml-chatops-installed-"));
    // npm pack runs the prepare script, so dist/ is built fresh from this checkout.
    const packed = execFileSync("npm", ["pack", "--pack-destination", work, "--silent"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "error" } });
    const tarball = join(work, packed.trim().split("\n").pop() ?? "");
    repo = join(work, "digits");
    cpSync(join(ROOT, "examples", "python-experiment", "classifier"), repo, { recursive: true });
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "digits", version: "1.0.0", private: true }, null, 2));
    writeFileSync(join(repo, ".gitignore"), "node_modules/\nout/\n");
    execFileSync("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: repo, encoding: "utf8" });
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "-c", "user.name=Data Scientist", "-c", "user.email=ds@example.invalid", "commit", "-q", "-m", "digits classifier");
    sha = git(repo, "rev-parse", "HEAD");
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const job = (c: string) =>
    encodeJobSpec({ v: 1, experiment: "train", sha, command: ["python3", "train.py"], result: "out/result.json", timeoutMs: 120_000, env: { ML_CHATOPS_PARAM_C: c, ML_CHATOPS_PARAMS_JSON: JSON.stringify({ c: Number(c) }) } });
  const npx = (args: ReadonlyArray<string>, env: Record<string, string>) =>
    spawnSync("npx", ["--no-install", "ml-chatops", ...args], { cwd: repo, encoding: "utf8", env: { PATH, HOME: work, ...env } });

  it("the repository holds no ml-chatops source, only the user's files and the installed package", () => {
    const tracked = git(repo, "ls-files").split("\n").sort();
    assert.deepEqual(tracked, [".github/ml-chatops.yml", ".gitignore", "package-lock.json", "package.json", "train.py"]);
    assert.ok(!existsSync(join(repo, "src")) && !existsSync(join(repo, "bin")));
    assert.ok(readdirSync(join(repo, "node_modules", "ml-chatops")).includes("dist"));
    assert.ok(!existsSync(join(repo, "node_modules", "ml-chatops", "src")), "the package ships no TypeScript source");
  });

  it("as CodeBuild calls it: --markers prints the checked result as ML_CHATOPS_RESULT lines", () => {
    const r = npx(["exec", "--markers"], { ML_CHATOPS_JOB: job("1.0") });
    assert.equal(r.status, 0, r.stderr);
    const json = decodeResultMarkers(r.stdout.split("\n"));
    assert.equal(json._tag, "Right", r.stdout);
    const result = parseExperimentResult(json._tag === "Right" ? json.right : "");
    assert.equal(result._tag, "Right");
    const metrics = result._tag === "Right" ? (result.right.metrics ?? {}) : {};
    assert.equal(metrics["accuracy"], 437 / 450);
    assert.match(r.stderr, /^accuracy 0\.9711, wrote out\/result\.json$/m);
  });

  it("as the Actions workflow and the Argo container call it: --output FILE, a worse C gives a worse accuracy", () => {
    const out = join(work, "handback", "result.json");
    const r = npx(["exec", "--checkout", repo, "--output", out, "--log-tail", join(work, "handback", "log-tail.txt")], { ML_CHATOPS_JOB: job("0.001") });
    assert.equal(r.status, 0, r.stderr);
    const result = parseExperimentResult(readFileSync(out, "utf8"));
    assert.equal(result._tag, "Right");
    assert.ok(((result._tag === "Right" ? result.right.metrics?.["accuracy"] : 1) ?? 1) < 0.93);
    assert.match(readFileSync(join(work, "handback", "log-tail.txt"), "utf8"), /^accuracy 0\.9\d{3}, wrote out\/result\.json\n$/);
  });

  it("a parameter the script refuses fails the run: exit 1 and one line naming the cause", () => {
    const r = npx(["exec", "--markers"], { ML_CHATOPS_JOB: job("abc") });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trimEnd().split("\n").pop(), 'ml-chatops exec: train ("python3") exited with code 1');
    assert.match(r.stderr, /train\.py: ML_CHATOPS_PARAM_C must be a float, got 'abc'/);
  });
  it("npx ml-chatops run --save-as-baseline runs train at HEAD and writes the baseline; a worse C is then marked worse", () => {
    const first = spawnSync("npx", ["--no-install", "ml-chatops", "run", "--save-as-baseline", "--format", "json"], { cwd: repo, encoding: "utf8", env: { PATH, HOME: work } });
    assert.equal(first.status, 0, first.stderr);
    const a = JSON.parse(first.stdout) as { experiment: string; sha: string; status: string; metrics: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(a), ["experiment", "sha", "status", "metrics", "rankings"]);
    assert.equal(a.experiment, "train");
    assert.equal(a.sha, sha);
    assert.equal(a.status, "succeeded");
    assert.deepEqual(a.metrics[0], { name: "accuracy", value: 437 / 450, baseline: null, delta: null, goal: "max", verdict: "new" });
    const saved = JSON.parse(readFileSync(join(repo, ".ml-chatops", "baseline.json"), "utf8")) as Record<string, { result: { metrics: Record<string, number> }; meta: { sha: string } }>;
    assert.equal(saved["train"]?.result.metrics["accuracy"], 437 / 450);
    assert.equal(saved["train"]?.meta.sha, sha);
    const second = spawnSync("npx", ["--no-install", "ml-chatops", "run", "c=0.001", "--format", "json"], { cwd: repo, encoding: "utf8", env: { PATH, HOME: work } });
    assert.equal(second.status, 0, second.stderr);
    const b = JSON.parse(second.stdout) as { metrics: Array<{ name: string; value: number; baseline: number; delta: number; verdict: string }> };
    const accuracy = b.metrics.find((m) => m.name === "accuracy");
    assert.equal(accuracy?.baseline, 437 / 450);
    assert.equal(accuracy?.verdict, "worse");
    assert.ok((accuracy?.delta ?? 0) < -0.04, String(accuracy?.delta));
    assert.equal(b.metrics.find((m) => m.name === "log_loss")?.verdict, "worse");
  });

  it("npx ml-chatops run refuses a dirty tree unless --dirty, and a bad parameter, each with one line", () => {
    writeFileSync(join(repo, "train.py"), `${readFileSync(join(repo, "train.py"), "utf8")}\n# edited\n`);
    const dirty = spawnSync("npx", ["--no-install", "ml-chatops", "run"], { cwd: repo, encoding: "utf8", env: { PATH, HOME: work } });
    assert.equal(dirty.status, 2);
    assert.match(dirty.stderr, /^ml-chatops run: the working tree has uncommitted changes \(1 file\(s\)\); commit them, or pass --dirty to run HEAD anyway\n$/);
    git(repo, "checkout", "--", "train.py");
    const bad = spawnSync("npx", ["--no-install", "ml-chatops", "run", "c=-1"], { cwd: repo, encoding: "utf8", env: { PATH, HOME: work } });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^ml-chatops run: .*c: expected a number from 0\.00001 to 1000, got "-1"/);
  });
});
