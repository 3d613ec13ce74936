/**
 * The JavaScript action as GitHub's runner runs it: `node action/index.cjs` with the inputs as
 * INPUT_* variables, GITHUB_EVENT_PATH and GITHUB_OUTPUT, against the fake GitHub on loopback.
 * And the committed bundle must be what src/ builds today.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { toInvocation } from "../../src/cli/action.js";
import { commentPayload, pullPayload } from "../fixtures/github/payloads.js";
import { createWorld, type World } from "../adapters/github/setup.js";
import { actionsEvent } from "../support/actions-event.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const BUNDLE = join(ROOT, "action", "index.cjs");
const SECRET = "316f37243eaf7e1755ce6f982ea1ad28b705a0e2e0e07ebd7f93d049d94ce2bf";

describe("action inputs become the CLI's argv and environment", () => {
  const base = { "INPUT_STATE-SECRET": SECRET, PATH: "/usr/bin" };
  it("on-label with a runner and detach; the App inputs become ML_CHATOPS_*; INPUT_* stay behind", () => {
    const call = toInvocation({
      ...base,
      INPUT_COMMAND: "on-label",
      INPUT_RUNNER: "codebuild",
      INPUT_DETACH: "true",
      "INPUT_APP-ID": "12",
      "INPUT_APP-PRIVATE-KEY": "pem",
      "INPUT_APP-INSTALLATION-ID": "99",
      INPUT_TOKEN: "",
    });
    assert.equal(call._tag, "Run");
    if (call._tag !== "Run") return;
    assert.deepEqual(call.argv, ["on-label", "--runner", "codebuild", "--detach"]);
    assert.deepEqual(
      [
        call.env["ML_CHATOPS_APP_ID"],
        call.env["ML_CHATOPS_APP_PRIVATE_KEY"],
        call.env["ML_CHATOPS_APP_INSTALLATION_ID"],
        call.env["ML_CHATOPS_STATE_SECRET"],
        call.env["PATH"],
      ],
      ["12", "pem", "99", SECRET, "/usr/bin"],
    );
    assert.equal("ML_CHATOPS_TOKEN" in call.env, false, "an empty input never shadows the App");
    assert.deepEqual(
      Object.keys(call.env).filter((k) => k.startsWith("INPUT_")),
      [],
    );
  });

  it("on-comment takes no runner flag; collect takes one", () => {
    assert.deepEqual(toInvocation({ ...base, INPUT_COMMAND: "on-comment", INPUT_RUNNER: "codebuild" }), {
      _tag: "Run",
      argv: ["on-comment"],
      env: { ML_CHATOPS_STATE_SECRET: SECRET, PATH: "/usr/bin" },
    });
    const collect = toInvocation({ ...base, INPUT_COMMAND: "collect", INPUT_RUNNER: "argo" });
    assert.deepEqual(collect._tag === "Run" ? collect.argv : [], ["collect", "--runner", "argo"]);
  });

  it("default-branch-checkout becomes --default-branch-checkout for on-comment and on-label; collect refuses it, naming the input", () => {
    for (const command of ["on-comment", "on-label"]) {
      const call = toInvocation({
        ...base,
        INPUT_COMMAND: command,
        INPUT_RUNNER: "",
        "INPUT_DEFAULT-BRANCH-CHECKOUT": " trusted ",
      });
      assert.deepEqual(call._tag === "Run" ? call.argv : [], [command, "--default-branch-checkout", "trusted"]);
    }
    assert.deepEqual(toInvocation({ ...base, INPUT_COMMAND: "collect", "INPUT_DEFAULT-BRANCH-CHECKOUT": "." }), {
      _tag: "Invalid",
      reason: 'input "default-branch-checkout" is for on-comment and on-label, not collect',
    });
  });

  it("a bad command or detach value is refused with the input named", () => {
    assert.deepEqual(toInvocation({ INPUT_COMMAND: "rm -rf" }), {
      _tag: "Invalid",
      reason: 'input "command" must be one of on-comment, on-label, collect, got "rm -rf"',
    });
    assert.deepEqual(toInvocation({ INPUT_COMMAND: "on-label", INPUT_DETACH: "yes" }), {
      _tag: "Invalid",
      reason: 'input "detach" must be true or false, got "yes"',
    });
  });
});

describe("the committed action bundle", () => {
  it("is what `npm run build:action` makes from src/ today (run it and commit action/index.cjs when this fails)", () => {
    const out = mkdtempSync(join(tmpdir(), "ml-chatops-action-build-"));
    const built = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsup", "dist", "cli-default.js")], {
      cwd: ROOT,
      env: { ...process.env, ML_CHATOPS_BUILD: "action", ML_CHATOPS_ACTION_OUT: out },
      encoding: "utf8",
    });
    assert.equal(built.status, 0, built.stderr);
    const fresh = readFileSync(join(out, "index.cjs"), "utf8");
    const committed = readFileSync(BUNDLE, "utf8");
    assert.ok(fresh.length > 100_000, "the bundle carries its dependencies");
    assert.equal(
      committed === fresh,
      true,
      `action/index.cjs is out of date (${committed.length} vs ${fresh.length} characters): run npm run build:action`,
    );
  });
});

describe("the action run as GitHub's runner runs it (node action/index.cjs)", () => {
  let w: World;
  let baseUrl = "";
  let close: () => Promise<void> = async () => undefined;
  const dir = mkdtempSync(join(tmpdir(), "ml-chatops-action-"));
  const event = (name: string, payload: unknown): Record<string, string> =>
    actionsEvent(dir, name, payload, { GITHUB_API_URL: baseUrl });
  const inputs = (over: Record<string, string>): Record<string, string> => ({
    "INPUT_APP-ID": String(w.app.id),
    "INPUT_APP-PRIVATE-KEY": w.app.privateKey,
    "INPUT_APP-INSTALLATION-ID": "99",
    "INPUT_STATE-SECRET": SECRET,
    INPUT_TOKEN: "",
    INPUT_DETACH: "false",
    INPUT_RUNNER: "codebuild",
    "INPUT_CODEBUILD-PROJECT": "ml-chatops",
    AWS_REGION: "us-east-1",
    ...over,
  });
  const runAction = (env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((done) => {
      // Run from an empty folder, as a job's workspace would be: the bundle needs nothing beside it.
      const child = spawn(process.execPath, [BUNDLE], {
        cwd: dir,
        env: { PATH: process.env["PATH"] ?? "", HOME: dir, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
    });

  before(async () => {
    w = await createWorld();
    ({ baseUrl, close } = await w.gh.listen());
  });
  after(async () => {
    await close();
    assert.deepEqual(w.gh.problems, []);
  });

  it("on-comment: approved and labelled by the App; outputs written; the key never printed", async () => {
    const pr = w.gh.addPull(w.repo, { number: 301, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 301, w.users.writer, "/experiment run max_df=0.4");
    const output = join(dir, "out-301.txt");
    writeFileSync(output, "");
    const r = await runAction({
      ...event(
        "issue_comment",
        commentPayload({ body: c.body, author: w.users.writer, number: 301, commentId: c.id, createdAt: c.createdAt }),
      ),
      ...inputs({ INPUT_COMMAND: "on-comment" }),
      GITHUB_OUTPUT: output,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^ml-chatops info: on-comment: Approved/m, r.stderr);
    assert.deepEqual(pr.labels, ["ml-chatops:run"]);
    assert.equal(w.gh.log.filter((x) => x.operationId === "issues/add-labels").at(-1)?.caller, "ml-chatops[bot]");
    assert.match(readFileSync(output, "utf8"), /^outcome=Approved$/m);
    assert.doesNotMatch(r.stdout + r.stderr, /BEGIN .*PRIVATE KEY|ghs_fake\d/);
  });

  it("on-label for a label a human added: ignored, exit 0, nothing runs", async () => {
    w.gh.addPull(w.repo, { number: 302, user: w.users.bob });
    const r = await runAction({
      ...event(
        "pull_request",
        pullPayload({ action: "labeled", sender: w.users.admin, label: "ml-chatops:run", number: 302 }),
      ),
      ...inputs({ INPUT_COMMAND: "on-label" }),
    });
    assert.equal(r.code, 0, r.stderr);
    // (On Node 20 the AWS SDK adds a deprecation warning after our line; GitHub runs node24 actions on Node 24.)
    assert.match(r.stderr, /^ml-chatops info: on-label: Ignored: label not added by the bot$/m, r.stderr);
  });

  it("a bad input fails the step with an annotation naming it (exit 2), before any API call", async () => {
    const calls = w.gh.log.length;
    const r = await runAction({
      ...event("issue_comment", commentPayload({ body: "/experiment run", author: w.users.writer })),
      ...inputs({ INPUT_COMMAND: "deploy" }),
    });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^::error::ml-chatops action: input "command" must be one of on-comment, on-label, collect, got "deploy"$/m,
    );
    assert.equal(w.gh.log.length, calls);
  });
});
