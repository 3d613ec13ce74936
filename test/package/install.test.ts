/**
 * Issue 11 part 1: `npm install <packed tarball>` on Node 20 gives a working GitHub adapter, in
 * the default way (with --engine-strict: every package of the tree supports the Node we claim)
 * and under --omit=optional; a missing optional AWS SDK is one line naming what to install.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commentPayload } from "../fixtures/github/payloads.js";
import { createWorld, type World } from "../adapters/github/setup.js";
import { actionsEvent, appCredentials } from "../support/actions-event.js";
import { cleanEnv, exec, freshProject, node, npmInstall, ownPackage, packOnce } from "./support.js";

const SECRET = "4f1c2a9e7b3d8c6f0a5e1b9d2c7f4a8e3b6d0c9f1e5a2b7d4c8f0e3a6b9d2c5f";

const installed = (dir: string, name: string): { version: string } =>
  JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string };

describe("the packed package installs on Node 20 (issue 11 part 1)", () => {
  let full = "";
  let lean = "";
  before(async () => {
    const tarball = await packOnce();
    full = freshProject("default-install", { type: "module" });
    lean = freshProject("omit-optional", { type: "module" });
    await Promise.all([npmInstall(full, ["--engine-strict", tarball]), npmInstall(lean, ["--omit=optional", tarball])]);
  });

  it("a default install holds the Octokit packages at the pinned versions (none asking for Node >= 22), and the GitHub adapter imports (ESM and CJS)", async () => {
    const pins = ownPackage().dependencies;
    for (const name of ["@octokit/core", "@octokit/request", "@octokit/auth-app", "@octokit/plugin-retry", "@octokit/plugin-throttling"]) {
      assert.equal(installed(full, name).version, pins[name], name);
    }
    // content-type 3 (engines node >= 22) arrives with @octokit/request >= 10.0.15; --engine-strict would have failed.
    assert.notEqual(installed(full, "content-type").version.split(".")[0], "3");
    const esm = await node(full, `const m = await import("ml-chatops/adapters/github"); console.log(typeof m.createGitHubOctokit, typeof m.createGitHubWebhookHandler);`, { module: true });
    assert.equal(esm.stdout.trim(), "function function", esm.stderr);
    const cjs = await node(full, `const m = require("ml-chatops/adapters/github"); console.log(typeof m.createGitHubForge);`);
    assert.equal(cjs.stdout.trim(), "function", cjs.stderr);
    const cb = await node(full, `const m = await import("ml-chatops/adapters/codebuild"); console.log(typeof m.createCodeBuildRunner);`, { module: true });
    assert.equal(cb.stdout.trim(), "function", cb.stderr);
  });

  it("--omit=optional: the GitHub adapter still imports; the AWS SDK is absent", async () => {
    assert.equal(existsSync(join(lean, "node_modules", "@octokit", "core")), true);
    assert.equal(existsSync(join(lean, "node_modules", "@aws-sdk", "client-codebuild")), false);
    const esm = await node(lean, `const m = await import("ml-chatops/adapters/github"); console.log(typeof m.createGitHubOctokit);`, { module: true });
    assert.equal(esm.stdout.trim(), "function", esm.stderr);
    const cjs = await node(lean, `console.log(typeof require("ml-chatops/adapters/github").decodeGitHubEvent);`);
    assert.equal(cjs.stdout.trim(), "function", cjs.stderr);
  });

  describe("the CLI without the AWS SDK", () => {
    let w: World;
    let baseUrl = "";
    let close: () => Promise<void> = async () => undefined;
    before(async () => {
      w = await createWorld();
      ({ baseUrl, close } = await w.gh.listen());
    });
    after(async () => {
      await close();
      assert.deepEqual(w.gh.problems, []);
    });

    const runCli = (args: ReadonlyArray<string>, extra: Record<string, string>) =>
      exec(join(lean, "node_modules", ".bin", "ml-chatops"), args, lean, cleanEnv({ ...extra }));

    it("on-comment for a codebuild runner prints ONE line naming the packages to install, exit 2 (README: exit codes)", async () => {
      w.gh.addPull(w.repo, { number: 61, user: w.users.bob });
      const c = w.gh.addComment(w.repo, 61, w.users.writer, "/experiment run");
      const dir = mkdtempSync(join(tmpdir(), "ml-chatops-event-"));
      const r = await runCli(["on-comment", "--runner", "codebuild"], {
        ...actionsEvent(dir, "issue_comment", commentPayload({ body: c.body, author: w.users.writer, number: 61, commentId: c.id, createdAt: c.createdAt }), { GITHUB_API_URL: baseUrl }),
        ...appCredentials(w.app, { secret: SECRET }),
      });
      const lines = r.stderr.trim().split("\n");
      assert.equal(r.code, 2, r.stderr);
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? "", /^ml-chatops error: on-comment: the codebuild runner needs @aws-sdk\/client-[a-z-]+, which is not installed: npm install @aws-sdk\/client-\S+ @aws-sdk\/client-\S+$/);
      assert.match(lines[0] ?? "", /@aws-sdk\/client-codebuild/);
      assert.match(lines[0] ?? "", /@aws-sdk\/client-cloudwatch-logs/);
      assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
    });

    it("commands that need no AWS SDK still work (keywords on the bundled sample)", async () => {
      const r = await runCli(["keywords", "--input", "node_modules/ml-chatops/examples/data/sample-talks.jsonl", "--top", "3"], {});
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { documents: Array<{ keywords: unknown[] }> };
      assert.equal(out.documents.length, 30);
      assert.equal(out.documents[0]?.keywords.length, 3);
    });
  });
});
