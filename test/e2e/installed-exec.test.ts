// As a user works: the packed package (npm pack of a fresh build) installed into a temporary git
// repository that holds none of our source, holding only the classifier example (train.py and
// its .github/ml-chatops.yml). `npx ml-chatops exec` runs the declared experiment the way the
// CodeBuild buildspec (markers), the Actions workflow and the Argo container (a file) call it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { resolveArgoConfig } from "../../src/adapters/argo/config.js";
import { buildWorkflow } from "../../src/adapters/argo/workflow.js";
import { decodeResultMarkers } from "../../src/adapters/codebuild/result-marker.js";
import type { RunRequest } from "../../src/core/model.js";
import { encodeJobSpec } from "../../src/core/job-spec.js";
import { parseExperimentResult } from "../../src/core/result.js";
import { git } from "../support/git-repo.js";
import { packOnce } from "../package/support.js";
import { Octokit } from "@octokit/core";
import { createArgoRunner } from "../../src/adapters/argo/index.js";
import { createGitHubActionsRunner } from "../../src/adapters/github-actions/index.js";
import { parseRepoConfig } from "../../src/adapters/github/repo-config.js";
import { createDeclaredExperiment } from "../../src/core/declared-experiment.js";
import { createMemoryBaselineStore, createMemoryRunLedger } from "../../src/adapters/memory/index.js";
import type { MemoryBaseline } from "../../src/adapters/memory/index.js";
import type { Report, Sha } from "../../src/core/model.js";
import type { Runner } from "../../src/core/ports.js";
import { renderReport } from "../../src/core/report/render.js";
import { createRunFollower } from "../../src/core/run-follower.js";
import { useFakeActionsWorld, WORKFLOW_FILE } from "../adapters/github-actions/fake-actions.js";
import { writeZip } from "../adapters/github-actions/zip-writer.js";
import { fakeClock, harness as codeBuildHarness } from "../adapters/codebuild/support.js";
import { startArgoEmulator } from "../support/argo-emulator/server.js";
import { testJob } from "../support/test-job.js";

const ROOT = new URL("../../", import.meta.url).pathname;
// Debian's python3 (scikit-learn) first: a pyenv python3 earlier on PATH may lack it.
const PATH = `/usr/bin:/bin:${process.env["PATH"] ?? ""}`;

describe("the installed package: npx ml-chatops exec in a user's repository", () => {
  let work: string;
  let repo: string;
  let sha: string;
  let tarball = "";
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "ml-chatops-installed-"));
    // The dist/ this checkout built (`npm ci` builds it through prepare), packed as npm publishes it.
    tarball = await packOnce();
    repo = join(work, "digits");
    cpSync(join(ROOT, "examples", "python-experiment", "classifier"), repo, { recursive: true });
    writeFileSync(
      join(repo, "package.json"),
      JSON.stringify({ name: "digits", version: "1.0.0", private: true }, null, 2),
    );
    writeFileSync(join(repo, ".gitignore"), "node_modules/\nout/\n");
    execFileSync("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: repo,
      encoding: "utf8",
    });
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(
      repo,
      "-c",
      "user.name=Data Scientist",
      "-c",
      "user.email=ds@example.invalid",
      "commit",
      "-q",
      "-m",
      "digits classifier",
    );
    sha = git(repo, "rev-parse", "HEAD");
  });
  // The c=0.2 hand-backs as each channel really wrote them (the templates test keeps them), for the stand-ins to serve.
  const handedBack = { buildLog: [] as ReadonlyArray<string>, actionsResult: "", actionsLogTail: "", argoResult: "" };
  const actionsWorld = useFakeActionsWorld();
  after(() => {
    rmSync(work, { recursive: true, force: true });
    if (tarball !== "") rmSync(join(tarball, ".."), { recursive: true, force: true });
  });

  const job = (c: string) =>
    encodeJobSpec({
      v: 1,
      experiment: "train",
      sha,
      command: ["python3", "train.py"],
      result: "out/result.json",
      timeoutMs: 120_000,
      env: { ML_CHATOPS_PARAM_C: c, ML_CHATOPS_PARAMS_JSON: JSON.stringify({ c: Number(c) }) },
    });
  const npx = (args: ReadonlyArray<string>, env: Record<string, string>) =>
    spawnSync("npx", ["--no-install", "ml-chatops", ...args], {
      cwd: repo,
      encoding: "utf8",
      env: { PATH, HOME: work, ...env },
    });

  it("the repository holds no ml-chatops source, only the user's files and the installed package", () => {
    const tracked = git(repo, "ls-files").split("\n").sort();
    assert.deepEqual(tracked, [
      ".github/ml-chatops.yml",
      ".gitignore",
      "package-lock.json",
      "package.json",
      "train.py",
    ]);
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
    const r = npx(["exec", "--checkout", repo, "--output", out, "--log-tail", join(work, "handback", "log-tail.txt")], {
      ML_CHATOPS_JOB: job("0.001"),
    });
    assert.equal(r.status, 0, r.stderr);
    const result = parseExperimentResult(readFileSync(out, "utf8"));
    assert.equal(result._tag, "Right");
    assert.ok(((result._tag === "Right" ? result.right.metrics?.["accuracy"] : 1) ?? 1) < 0.93);
    assert.match(
      readFileSync(join(work, "handback", "log-tail.txt"), "utf8"),
      /^accuracy 0\.9\d{3}, wrote out\/result\.json\n$/,
    );
  });

  it("the shipped templates, read from the installed package, hand back the same checked result at c=0.2 on every channel: CodeBuild (markers, file), Actions (the artifact's files), Argo (the output file)", () => {
    const shipped = join(repo, "node_modules", "ml-chatops", "examples");
    const env = { PATH, HOME: work, ML_CHATOPS_JOB: job("0.2") };
    const accuracyOf = (json: string): number | undefined => {
      const r = parseExperimentResult(json);
      assert.equal(r._tag, "Right", r._tag === "Left" ? r.left : "");
      return r._tag === "Right" ? r.right.metrics?.["accuracy"] : undefined;
    };
    const expected = 439 / 450;

    // CodeBuild: the buildspec's pre_build (the commit check) and build commands, each in bash at the checkout.
    const buildspec = parseYaml(readFileSync(join(shipped, "github-codebuild", "buildspec.yml"), "utf8")) as {
      phases: Record<string, { commands: ReadonlyArray<string> }>;
    };
    let markers = "";
    const buildLog: string[] = [];
    for (const phase of ["pre_build", "build"]) {
      for (const command of buildspec.phases[phase]?.commands ?? []) {
        const r = spawnSync("bash", ["-c", command], {
          cwd: repo,
          encoding: "utf8",
          env: { ...env, CODEBUILD_RESOLVED_SOURCE_VERSION: sha, ML_CHATOPS_PINNED_SHA: sha },
        });
        assert.equal(r.status, 0, `${phase}: ${command}\n${r.stderr}`);
        markers += r.stdout;
        // As CloudWatch gets it: CodeBuild's own line per command, then the command's output.
        buildLog.push(
          `[Container] 2026/12/02 01:00:00.000000 Running command ${command}`,
          ...`${r.stderr}${r.stdout}`.split("\n").filter((l) => l !== ""),
        );
      }
    }
    handedBack.buildLog = buildLog;
    const fromLog = decodeResultMarkers(markers.split("\n"));
    assert.equal(fromLog._tag, "Right", markers);
    assert.equal(accuracyOf(fromLog._tag === "Right" ? fromLog.right : ""), expected);
    const fileInCheckout = join(repo, "ml-chatops-result.json");
    assert.equal(accuracyOf(readFileSync(fileInCheckout, "utf8")), expected);
    rmSync(fileInCheckout);

    // Actions: "Run the experiment" from the trusted side (the default branch's install) on pr/, the approved commit.
    const workflow = parseYaml(
      readFileSync(join(shipped, "github-actions-runner", ".github", "workflows", "ml-chatops-experiment.yml"), "utf8"),
    ) as {
      jobs: Record<
        string,
        { steps: Array<{ name?: string; run?: string; env?: Record<string, string>; "working-directory"?: string }> }
      >;
    };
    const step = workflow.jobs["experiment"]?.steps.find((x) => x.name === "Run the experiment");
    assert.equal(step?.["working-directory"], ".trusted");
    const workspace = join(work, "actions-workspace");
    const runnerTemp = join(work, "actions-temp");
    mkdirSync(runnerTemp, { recursive: true });
    mkdirSync(workspace, { recursive: true });
    symlinkSync(repo, join(workspace, ".trusted"));
    execFileSync("git", ["clone", "-q", repo, join(workspace, "pr")]);
    execFileSync("git", ["-C", join(workspace, "pr"), "checkout", "-q", "--detach", sha]);
    const fill = (v: string) =>
      v
        .replace(/\$\{\{\s*inputs\.job\s*\}\}/g, env.ML_CHATOPS_JOB)
        .replace(/\$\{\{\s*runner\.temp\s*\}\}/g, runnerTemp);
    const actions = spawnSync("bash", ["-e", "-c", step?.run ?? ""], {
      cwd: join(workspace, ".trusted"),
      encoding: "utf8",
      env: {
        PATH,
        HOME: work,
        GITHUB_WORKSPACE: workspace,
        ...Object.fromEntries(Object.entries(step?.env ?? {}).map(([k, v]) => [k, fill(v)])),
      },
    });
    assert.equal(actions.status, 0, actions.stderr);
    assert.equal(accuracyOf(readFileSync(join(runnerTemp, "ml-chatops", "result.json"), "utf8")), expected);
    assert.equal(
      readFileSync(join(runnerTemp, "ml-chatops", "log-tail.txt"), "utf8"),
      "accuracy 0.9756, wrote out/result.json\n",
    );
    handedBack.actionsResult = readFileSync(join(runnerTemp, "ml-chatops", "result.json"), "utf8");
    handedBack.actionsLogTail = readFileSync(join(runnerTemp, "ml-chatops", "log-tail.txt"), "utf8");

    // Argo: the Workflow's container (checkout script, then the image's ml-chatops exec) with the installed CLI on PATH.
    const resultPath = join(work, "argo", "result.json");
    const wf = buildWorkflow(
      {
        runKey: { pr: { owner: "octo", repo: "digits", number: 7 }, experiment: "train" },
        experimentId: "train",
        params: { c: "0.2" },
        pinnedSha: sha,
        pr: { owner: "octo", repo: "digits", number: 7, headRef: "x", headSha: sha },
        approvalId: "approval-argo",
      } as unknown as RunRequest,
      resolveArgoConfig({ baseUrl: "http://127.0.0.1:2746", namespace: "ml", image: "runner:1", resultPath }),
      env.ML_CHATOPS_JOB,
    );
    const container = (
      wf.spec["templates"] as ReadonlyArray<{
        container: { args: ReadonlyArray<string>; env: ReadonlyArray<{ name: string; value: string }> };
      }>
    )[0]!.container;
    const params = new Map(wf.spec.arguments.parameters.map((x) => [x.name, x.value]));
    const containerEnv = Object.fromEntries(
      container.env.map((e) => [
        e.name,
        e.value.replace(/\{\{inputs\.parameters\.([a-z0-9-]+)\}\}/g, (_, n: string) => params.get(n) ?? ""),
      ]),
    );
    git(repo, "update-ref", "refs/pull/7/head", sha);
    const [script = "", ...args] = container.args;
    const argo = spawnSync("/bin/sh", ["-c", script, ...args], {
      encoding: "utf8",
      env: {
        ...containerEnv,
        REPO_URL: repo,
        ML_CHATOPS_WORKDIR: join(work, "argo", "src"),
        PATH: `${join(repo, "node_modules", ".bin")}:${PATH}`,
        HOME: work,
      },
    });
    assert.equal(argo.status, 0, argo.stderr);
    assert.deepEqual(args, ["ml-chatops-checkout", "ml-chatops", "exec", "--output", resultPath]);
    assert.equal(accuracyOf(readFileSync(resultPath, "utf8")), expected);
    handedBack.argoResult = readFileSync(resultPath, "utf8");
  });

  it("a parameter the script refuses fails the run: exit 1 and one line naming the cause", () => {
    const r = npx(["exec", "--markers"], { ML_CHATOPS_JOB: job("abc") });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trimEnd().split("\n").pop(), 'ml-chatops exec: train ("python3") exited with code 1');
    assert.match(r.stderr, /train\.py: ML_CHATOPS_PARAM_C must be a float, got 'abc'/);
  });
  it("npx ml-chatops run --save-as-baseline runs train at HEAD and writes the baseline; a worse C is then marked worse", () => {
    const first = spawnSync("npx", ["--no-install", "ml-chatops", "run", "--save-as-baseline", "--format", "json"], {
      cwd: repo,
      encoding: "utf8",
      env: { PATH, HOME: work },
    });
    assert.equal(first.status, 0, first.stderr);
    const a = JSON.parse(first.stdout) as {
      experiment: string;
      sha: string;
      status: string;
      metrics: Array<Record<string, unknown>>;
    };
    assert.deepEqual(Object.keys(a), ["experiment", "sha", "status", "metrics", "rankings"]);
    assert.equal(a.experiment, "train");
    assert.equal(a.sha, sha);
    assert.equal(a.status, "succeeded");
    assert.deepEqual(a.metrics[0], {
      name: "accuracy",
      value: 437 / 450,
      baseline: null,
      delta: null,
      goal: "max",
      verdict: "new",
    });
    const saved = JSON.parse(readFileSync(join(repo, ".ml-chatops", "baseline.json"), "utf8")) as Record<
      string,
      { result: { metrics: Record<string, number> }; meta: { sha: string } }
    >;
    assert.equal(saved["train"]?.result.metrics["accuracy"], 437 / 450);
    assert.equal(saved["train"]?.meta.sha, sha);
    const second = spawnSync("npx", ["--no-install", "ml-chatops", "run", "c=0.001", "--format", "json"], {
      cwd: repo,
      encoding: "utf8",
      env: { PATH, HOME: work },
    });
    assert.equal(second.status, 0, second.stderr);
    const b = JSON.parse(second.stdout) as {
      metrics: Array<{ name: string; value: number; baseline: number; delta: number; verdict: string }>;
    };
    const accuracy = b.metrics.find((m) => m.name === "accuracy");
    assert.equal(accuracy?.baseline, 437 / 450);
    assert.equal(accuracy?.verdict, "worse");
    assert.ok((accuracy?.delta ?? 0) < -0.04, String(accuracy?.delta));
    assert.equal(b.metrics.find((m) => m.name === "log_loss")?.verdict, "worse");
  });

  it("npx ml-chatops run refuses a dirty tree unless --dirty, and a bad parameter, each with one line", () => {
    writeFileSync(join(repo, "train.py"), `${readFileSync(join(repo, "train.py"), "utf8")}\n# edited\n`);
    const dirty = spawnSync("npx", ["--no-install", "ml-chatops", "run"], {
      cwd: repo,
      encoding: "utf8",
      env: { PATH, HOME: work },
    });
    assert.equal(dirty.status, 2);
    assert.match(
      dirty.stderr,
      /^ml-chatops run: the working tree has uncommitted changes \(1 file\(s\)\); commit them, or pass --dirty to run HEAD anyway\n$/,
    );
    git(repo, "checkout", "--", "train.py");
    const bad = spawnSync("npx", ["--no-install", "ml-chatops", "run", "c=-1"], {
      cwd: repo,
      encoding: "utf8",
      env: { PATH, HOME: work },
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^ml-chatops run: .*c: expected a number from 0\.00001 to 1000, got "-1"/);
  });

  it("issue 10 done-when: each channel's real hand-back, served by its stand-in and read by our runner, reports accuracy against the current best (c=1.0) with delta and verdict", async () => {
    assert.ok(
      handedBack.buildLog.length > 0 && handedBack.actionsResult !== "" && handedBack.argoResult !== "",
      "the templates test above ran and kept every channel's output",
    );
    const config = parseRepoConfig(readFileSync(join(repo, ".github", "ml-chatops.yml"), "utf8"));
    assert.equal(config._tag, "Right", config._tag === "Left" ? config.left : "");
    const experiments = Object.entries((config._tag === "Right" ? config.right.experiments : undefined) ?? {}).map(
      ([id, spec]) => createDeclaredExperiment(id, spec),
    );
    // The current best is the file `npx ml-chatops run --save-as-baseline` (c=1.0) wrote above.
    const best = JSON.parse(readFileSync(join(repo, ".ml-chatops", "baseline.json"), "utf8")) as Record<
      string,
      MemoryBaseline
    >;
    const pr = { owner: "octo", repo: "kw", number: 7 };
    const req = {
      runKey: { pr, experiment: "train" },
      experimentId: "train",
      params: { c: "0.2" },
      pinnedSha: sha as Sha,
      pr: { ...pr, headRef: "tune-c", headSha: sha as Sha },
      approvalId: "approval-done-when",
    };
    // The core's own follower: start -> status until terminal -> logs -> result, diffed against the baseline store.
    const reportVia = async (runner: Runner, clock: ReturnType<typeof fakeClock>["clock"]): Promise<Report> => {
      const published: Report[] = [];
      const follow = createRunFollower({
        runner,
        experiments,
        baseline: createMemoryBaselineStore(best),
        ledger: createMemoryRunLedger(),
        clock,
        reporter: {
          publish: (r) => async () => (published.push(r), { _tag: "Right" as const, right: { id: published.length } }),
        },
        logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
        deadlineMs: 3_600_000,
        pollIntervalMs: 2_000,
        logTailLines: 20,
      });
      const h = await runner.start(req)();
      assert.equal(h._tag, "Right", JSON.stringify(h));
      const r = await follow(h._tag === "Right" ? h.right : assert.fail("no handle"), {
        pr,
        experimentId: "train",
        params: req.params,
      })();
      return r._tag === "Right" ? r.right : assert.fail(JSON.stringify(r.left));
    };

    const cb = await codeBuildHarness(); // AWS emulator, real @aws-sdk clients, result from the log markers
    cb.aws.scriptNextBuild({ logLines: handedBack.buildLog, pollsPerPhase: 1 });
    const fromCodeBuild = await reportVia(cb.runner, cb.clock.clock).finally(() => cb.close());

    actionsWorld.actions.world.script = {
      states: [
        ["in_progress", null],
        ["completed", "success"],
      ],
      artifact: {
        name: "ml-chatops-result",
        zip: writeZip({ "result.json": handedBack.actionsResult, "log-tail.txt": handedBack.actionsLogTail }),
      },
    };
    const octokit = new Octokit({ auth: actionsWorld.token, baseUrl: actionsWorld.server.baseUrl });
    const fromActions = await reportVia(
      createGitHubActionsRunner(
        { octokit, clock: fakeClock().clock, job: testJob },
        { workflowId: WORKFLOW_FILE, ref: "main", findDelayMs: 2000 },
      ),
      fakeClock().clock,
    );

    const emu = await startArgoEmulator({ token: "bot-token-abc" });
    emu.scenario = {
      phases: ["Running", "Succeeded"],
      logs: ["accuracy 0.9756, wrote out/result.json"],
      result: handedBack.argoResult,
    };
    const argoClock = fakeClock().clock;
    const fromArgo = await reportVia(
      createArgoRunner(
        {
          fetch: globalThis.fetch,
          clock: argoClock,
          logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
        },
        { baseUrl: emu.url, namespace: "ml", image: "runner:1", token: emu.token },
      ),
      argoClock,
    ).finally(() => emu.close());
    assert.deepEqual(emu.violations, [], "every Argo request matched swagger.json and the Workflow schema");

    for (const [runner, report] of [
      ["codebuild", fromCodeBuild],
      ["github-actions", fromActions],
      ["argo", fromArgo],
    ] as const) {
      assert.equal(report.runner, runner);
      assert.equal(report.status.state, "succeeded", report.status.detail);
      const md = renderReport(report);
      const accuracy = report.diff?.metrics.find((m) => m.name === "accuracy");
      assert.deepEqual(
        [accuracy?.value, accuracy?.baseline, accuracy?.verdict],
        [439 / 450, 437 / 450, "better"],
        runner,
      );
      const lines = md.split("\n");
      const headline = lines.find((l) => l.startsWith("### ")) ?? "";
      const row = lines.find((l) => l.startsWith("| accuracy")) ?? "";
      assert.equal(
        headline,
        `### train: succeeded at \`${sha.slice(0, 7)}\` · ✅ better than the current best: accuracy 0.975556 vs 0.971111 (+0.00444444)`,
        `${runner}:\n${md}`,
      );
      assert.equal(
        row,
        "| accuracy (primary, max, ±0.001) | 0.975556 | 0.971111 | ↑ +0.00444444 (+0.46%) | ✅ better |",
        runner,
      );
      assert.ok(
        !report.logTail.some((l) => l.startsWith("ML_CHATOPS_RESULT")),
        `${runner}: the result markers are not shown as log lines`,
      );
    }
  });
});
