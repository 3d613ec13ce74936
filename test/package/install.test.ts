/**
 * Issue 11 part 1: `npm install <packed tarball>` on Node 20 gives a working GitHub adapter, in
 * the default way (with --engine-strict: every package of the tree supports the Node we claim)
 * and under --omit=optional; a missing optional AWS SDK is one line naming what to install.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commentPayload } from "../fixtures/github/payloads.js";
import { createWorld, type World } from "../adapters/github/setup.js";
import { checkoutDefaultBranch } from "../support/actions-checkout.js";
import { actionsEvent, appCredentials } from "../support/actions-event.js";
import { cleanEnv, exec, freshProject, node, npmInstall, ownPackage, packOnce } from "./support.js";

const SECRET = "4f1c2a9e7b3d8c6f0a5e1b9d2c7f4a8e3b6d0c9f1e5a2b7d4c8f0e3a6b9d2c5f";

const installed = (dir: string, name: string): { version: string } =>
  JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")) as { version: string };

// Issue 13 item 5: the tokenizer's worker script, loaded by path, not imported, so only a check
// of the installed files finds it missing. Runs tokenizeCorpus with and without workers (forced
// from one text per worker) over the bundled sample and prints what the comparison needs.
const workerScript = (load: string): string => `
  const nlp = ${load};
  const { readFileSync } = require("node:fs");
  const file = require("node:path").resolve("node_modules/ml-chatops/examples/data/sample-talks.jsonl");
  const docs = nlp.parseCorpus(file, readFileSync(file, "utf8")).right;
  const dicPath = nlp.resolveKuromojiDicPath();
  const opts = (parallel) => ({
    posFilter: nlp.DEFAULT_POS_FILTER,
    tokenizerId: "t",
    loadTokenizer: () => async () => ({ _tag: "Right", right: (await nlp.loadKuromojiTokenizer({ dicPath, cacheDir: false })()).right.tokenize }),
    parallel,
  });
  const warnings = [];
  const workers = nlp.createWorkerTokenizing({ dicPath, cacheDir: false, documentsPerWorker: 1, cores: 2, logger: { warn: (m) => warnings.push(m) } });
  (async () => {
    const single = await nlp.tokenizeCorpus(docs, opts(undefined))();
    const parallel = await nlp.tokenizeCorpus(docs, opts(workers.run))();
    console.log(JSON.stringify({ script: nlp.tokenizeWorkerScript(), perWorker: workers.lastRun(), warnings, same: JSON.stringify(single) === JSON.stringify(parallel), documents: parallel.right.length }));
  })();
`;

describe("the packed package installs on Node 20 (issue 11 part 1)", () => {
  let full = "";
  let lean = "";
  let tarball = "";
  before(async () => {
    tarball = await packOnce();
    full = freshProject("default-install", { type: "module" });
    lean = freshProject("omit-optional", { type: "module" });
    await Promise.all([npmInstall(full, ["--engine-strict", tarball]), npmInstall(lean, ["--omit=optional", tarball])]);
  });

  it("a default install holds the Octokit packages at the pinned versions (none asking for Node >= 22), and the GitHub adapter imports (ESM and CJS)", async () => {
    const pins = ownPackage().dependencies;
    for (const name of [
      "@octokit/core",
      "@octokit/request",
      "@octokit/auth-app",
      "@octokit/plugin-retry",
      "@octokit/plugin-throttling",
    ]) {
      assert.equal(installed(full, name).version, pins[name], name);
    }
    // content-type 3 (engines node >= 22) arrives with @octokit/request >= 10.0.15; --engine-strict would have failed.
    assert.notEqual(installed(full, "content-type").version.split(".")[0], "3");
    const esm = await node(
      full,
      `const m = await import("ml-chatops/adapters/github"); console.log(typeof m.createGitHubOctokit, typeof m.createGitHubWebhookHandler);`,
      { module: true },
    );
    assert.equal(esm.stdout.trim(), "function function", esm.stderr);
    const cjs = await node(
      full,
      `const m = require("ml-chatops/adapters/github"); console.log(typeof m.createGitHubForge);`,
    );
    assert.equal(cjs.stdout.trim(), "function", cjs.stderr);
    const cb = await node(
      full,
      `const m = await import("ml-chatops/adapters/codebuild"); console.log(typeof m.createCodeBuildRunner);`,
      { module: true },
    );
    assert.equal(cb.stdout.trim(), "function", cb.stderr);
  });

  it("the tokenizer's worker script is in the tarball and runs from the install, for ESM and CommonJS consumers (issue 13 item 5)", async () => {
    const listing = await exec("tar", ["-tzf", tarball], full);
    assert.ok(
      listing.stdout.split("\n").includes("package/dist/nlp/tokenize-worker.js"),
      "dist/nlp/tokenize-worker.js is packed",
    );
    const expected = realpathSync(join(full, "node_modules", "ml-chatops", "dist", "nlp", "tokenize-worker.js"));
    for (const [kind, load] of [
      ["esm", 'await import("ml-chatops/nlp")'],
      ["cjs", 'require("ml-chatops/nlp")'],
    ] as const) {
      const script =
        kind === "esm"
          ? `import { createRequire } from "node:module"; const require = createRequire(import.meta.url);\n${workerScript(load)}`
          : workerScript(load);
      const r = await node(full, script, { module: kind === "esm" });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as {
        script: string;
        perWorker: number[];
        warnings: string[];
        same: boolean;
        documents: number;
      };
      assert.equal(realpathSync(out.script), expected, kind);
      assert.deepEqual(out.warnings, [], kind);
      assert.equal(out.perWorker.length, 2, `${kind}: texts per worker ${out.perWorker.join(", ")}`);
      assert.ok(
        out.perWorker.every((n) => n > 0),
        kind,
      );
      assert.equal(
        out.perWorker.reduce((a, b) => a + b, 0),
        out.documents,
        kind,
      );
      assert.equal(out.same, true, `${kind}: worker tokens equal single-threaded ones`);
    }
  });

  it("the installed CLI tokenizes a corpus above the worker threshold with no fallback note (issue 13 item 5)", async () => {
    const sample = readFileSync(
      join(full, "node_modules", "ml-chatops", "examples", "data", "sample-talks.jsonl"),
      "utf8",
    )
      .trim()
      .split("\n");
    const lines = Array.from({ length: 360 }, (_, j) => {
      const d = JSON.parse(sample[j % sample.length]!) as { title: string; text: string };
      return JSON.stringify({ id: `d${j}`, title: `${d.title} ${j}`, text: d.text });
    });
    writeFileSync(join(full, "large.jsonl"), `${lines.join("\n")}\n`);
    const r = await exec(
      join(full, "node_modules", ".bin", "ml-chatops"),
      ["keywords", "--input", "large.jsonl", "--no-cache", "--top", "3"],
      full,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal((JSON.parse(r.stdout) as { documents: unknown[] }).documents.length, 360);
  });

  it("--omit=optional: the GitHub adapter still imports; the AWS SDK is absent", async () => {
    assert.equal(existsSync(join(lean, "node_modules", "@octokit", "core")), true);
    assert.equal(existsSync(join(lean, "node_modules", "@aws-sdk", "client-codebuild")), false);
    const esm = await node(
      lean,
      `const m = await import("ml-chatops/adapters/github"); console.log(typeof m.createGitHubOctokit);`,
      { module: true },
    );
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
        ...actionsEvent(
          dir,
          "issue_comment",
          commentPayload({ body: c.body, author: w.users.writer, number: 61, commentId: c.id, createdAt: c.createdAt }),
          { GITHUB_API_URL: baseUrl },
        ),
        ...appCredentials(w.app, { secret: SECRET }),
      });
      const lines = r.stderr.trim().split("\n");
      assert.equal(r.code, 2, r.stderr);
      assert.equal(lines.length, 1, r.stderr);
      assert.match(
        lines[0] ?? "",
        /^ml-chatops error: on-comment: the codebuild runner needs @aws-sdk\/client-[a-z-]+, which is not installed: npm install @aws-sdk\/client-\S+ @aws-sdk\/client-\S+$/,
      );
      assert.match(lines[0] ?? "", /@aws-sdk\/client-codebuild/);
      assert.match(lines[0] ?? "", /@aws-sdk\/client-cloudwatch-logs/);
      assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
    });

    it("on-comment --default-branch-checkout from the install: an App's comment job approves and labels without asking who the bot is or reading the config through the API; the App's own comment ends before any request", async () => {
      w.gh.addPull(w.repo, { number: 62, user: w.users.bob });
      const c = w.gh.addComment(w.repo, 62, w.users.writer, "/experiment run");
      const dir = mkdtempSync(join(tmpdir(), "ml-chatops-event-"));
      // As the shipped comment workflow runs it: with its checkout of the default branch.
      const checkout = checkoutDefaultBranch(w.repo);
      const from = w.gh.log.length;
      const r = await runCli(["on-comment", "--default-branch-checkout", checkout.path], {
        ...actionsEvent(
          dir,
          "issue_comment",
          commentPayload({ body: c.body, author: w.users.writer, number: 62, commentId: c.id, createdAt: c.createdAt }),
          { GITHUB_API_URL: baseUrl },
        ),
        ...appCredentials(w.app, { secret: SECRET }),
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr.trim().split("\n").at(-1) ?? "", /on-comment: Approved/);
      const ops = w.gh.log.slice(from).map((q) => q.operationId);
      assert.ok(ops.includes("issues/add-labels"), ops.join(","));
      assert.deepEqual(
        ops.filter((o) => o === "apps/get-authenticated" || o === "users/get-by-username"),
        [],
        "no identity lookup",
      );
      assert.ok(!ops.includes("repos/get-content"), `the config came from the checkout: ${ops.join(",")}`);
      checkout.remove();
      const own = w.gh.commentsOn(w.repo, 62).find((x) => x.app?.id === w.app.id);
      assert.ok(own !== undefined, "the App wrote the living comment");
      const before = w.gh.log.length;
      const self = await runCli(["on-comment"], {
        ...actionsEvent(
          dir,
          "issue_comment",
          commentPayload({
            body: own.body,
            author: { login: own.user.login, id: own.user.id, type: "Bot" },
            number: 62,
            commentId: own.id,
            createdAt: own.createdAt,
            viaApp: { id: w.app.id, slug: w.app.slug },
          }),
          { GITHUB_API_URL: baseUrl },
        ),
        ...appCredentials(w.app, { secret: SECRET }),
      });
      assert.equal(self.code, 0, self.stderr);
      assert.match(self.stderr, /ignored: comment by this bot/);
      assert.equal(w.gh.log.length, before, "nothing was asked of GitHub");
    });

    it("commands that need no AWS SDK still work (keywords on the bundled sample)", async () => {
      const r = await runCli(
        ["keywords", "--input", "node_modules/ml-chatops/examples/data/sample-talks.jsonl", "--top", "3"],
        {},
      );
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { documents: Array<{ keywords: unknown[] }> };
      assert.equal(out.documents.length, 30);
      assert.equal(out.documents[0]?.keywords.length, 3);
    });
  });
});
