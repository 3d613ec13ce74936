import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CHECKOUT_SCRIPT,
  CHECKOUT_EXIT_CODE,
  buildWorkflow,
  paramEnvName,
} from "../../../src/adapters/argo/workflow.js";
import { resolveArgoConfig } from "../../../src/adapters/argo/config.js";
import { request } from "./fixtures.js";
import type { Sha } from "../../../src/core/model.js";

// Runs the container's real script with /bin/sh and git against a local fixture repository,
// with the env the Workflow declares (parameters filled in as Argo would).
describe("the Workflow's checkout script (real git, local fixture repo)", () => {
  let dir: string;
  let origin: string;
  let first: string;
  const git = (cwd: string, ...args: ReadonlyArray<string>): string =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      cwd,
      encoding: "utf8",
    }).trim();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "argo-checkout-"));
    origin = join(dir, "origin");
    execFileSync("git", ["init", "-q", origin]);
    git(origin, "commit", "-q", "--allow-empty", "-m", "approved");
    first = git(origin, "rev-parse", "HEAD");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (sha: string, params: Readonly<Record<string, string>>, command: ReadonlyArray<string>) => {
    const config = resolveArgoConfig({
      baseUrl: "http://127.0.0.1:1",
      namespace: "ml",
      image: "x",
      repoUrlTemplate: `file://${origin}?{owner}{repo}`,
      command,
    });
    const wf = buildWorkflow(request({ pinnedSha: sha as Sha, params }), config);
    const values = new Map(wf.spec.arguments.parameters.map((p) => [p.name, p.value]));
    type C = { env: ReadonlyArray<{ name: string; value: string }>; args: ReadonlyArray<string> };
    const container = (wf.spec["templates"] as ReadonlyArray<{ container: C }>)[0]!.container;
    const env: Record<string, string> = {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: "1",
    };
    for (const e of container.env) {
      env[e.name] = e.value.replace(
        /^\{\{inputs\.parameters\.([a-z0-9-]+)\}\}$/,
        (_, n: string) => values.get(n) ?? "",
      );
    }
    env["REPO_URL"] = `file://${origin}`;
    env["ML_CHATOPS_WORKDIR"] = join(dir, `work-${Math.random().toString(36).slice(2)}`);
    env["ML_CHATOPS_RESULT_DIR"] = join(dir, "out");
    return spawnSync("/bin/sh", ["-c", ...container.args], { env, encoding: "utf8" });
  };

  it("check 13: checks out the pinned SHA even after the branch moved on", () => {
    git(origin, "commit", "-q", "--allow-empty", "-m", "pushed after approval");
    const r = run(first, {}, ["git", "rev-parse", "HEAD"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), first);
  });

  it(`check 13: a SHA the remote does not have exits ${CHECKOUT_EXIT_CODE} (an infrastructure error)`, () => {
    const r = run("0123456789abcdef0123456789abcdef01234567", {}, ["echo", "must not run"]);
    assert.equal(r.status, CHECKOUT_EXIT_CODE);
    assert.ok(!r.stdout.includes("must not run"));
  });

  it(`check 13: a checkout that lands on another commit than the pinned SHA exits ${CHECKOUT_EXIT_CODE} before the command runs`, () => {
    // An annotated tag's object id fetches and checks out fine, but HEAD is then the tagged
    // commit, not the pinned id: only the script's rev-parse comparison can catch it.
    git(origin, "tag", "-a", "-m", "moved", "approved-tag", first);
    const tagObject = git(origin, "rev-parse", "approved-tag");
    assert.notEqual(tagObject, first);
    const marker = join(dir, "ran-after-mismatch");
    const r = run(tagObject, {}, ["touch", marker]);
    assert.equal(r.status, CHECKOUT_EXIT_CODE, r.stderr);
    assert.match(r.stderr, new RegExp(`checked out ${first} but the approved commit is ${tagObject}`));
    assert.equal(existsSync(marker), false);
  });

  it("check 69: hostile parameter values arrive as data in env, never executed", () => {
    const marker = join(dir, "pwned");
    const hostile = `$(touch ${marker})\`touch ${marker}\`; touch ${marker}`;
    const r = run(first, { max_df: hostile }, ["printenv", paramEnvName("max_df")]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), hostile);
    assert.equal(existsSync(marker), false);
  });

  it("the script is plain POSIX sh (parses with sh -n)", () => {
    assert.equal(spawnSync("/bin/sh", ["-n", "-c", CHECKOUT_SCRIPT]).status, 0);
  });
});
