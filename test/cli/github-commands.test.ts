import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as TE from "fp-ts/TaskEither";
import { runGitHubEvent } from "../../src/cli/github-commands.js";
import { createInProcessRunner } from "../../src/adapters/local/in-process-runner.js";
import type { CliIo } from "../../src/cli/io.js";
import { createScriptedRunner, result } from "../support/core-fakes.js";
import { commentPayload, pullPayload } from "../fixtures/github/payloads.js";
import { createWorld, type World } from "../adapters/github/setup.js";
import { createTempGitRepo } from "../support/git-repo.js";
import {
  actionsEvent,
  appCredentials,
  TEST_BOT as BOT,
  TEST_STATE_SECRET as SECRET,
} from "../support/actions-event.js";

type Run = { code: number; stderr: string };

/** Runs the CLI as a workflow step would: a child process with the Actions environment. */
// The loader by absolute path: the local runner re-runs this same command inside a worktree,
// where a bare "tsx" would not resolve.
const TSX = createRequire(import.meta.url).resolve("tsx");
const MAIN = join(process.cwd(), "src/cli/main.ts");

const runChild = (args: string[], env: Record<string, string>): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", TSX, MAIN, ...args], {
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, stderr }));
  });

describe("ml-chatops on-comment / on-label (GitHub Actions entry)", () => {
  let w: World;
  let baseUrl = "";
  let close: () => Promise<void> = async () => undefined;
  const dir = mkdtempSync(join(tmpdir(), "ml-chatops-actions-"));
  const event = (name: string, payload: unknown): Record<string, string> => actionsEvent(dir, name, payload);
  const appEnv = (): Record<string, string> => appCredentials(w.app, { escapeNewlines: true });
  const lastLine = (s: string) => s.trim().split("\n").at(-1) ?? "";

  before(async () => {
    w = await createWorld();
    ({ baseUrl, close } = await w.gh.listen());
  });
  after(async () => {
    await close();
    assert.deepEqual(w.gh.problems, []);
  });

  it("on-comment in a child process against the fake on loopback (GHES-style GITHUB_API_URL): approved, labelled by the App", async () => {
    const pr = w.gh.addPull(w.repo, { number: 201, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 201, w.users.writer, "/experiment run max_df=0.4");
    const output = join(dir, "output.txt");
    writeFileSync(output, "");
    const r = await runChild(["on-comment"], {
      ...event(
        "issue_comment",
        commentPayload({ body: c.body, author: w.users.writer, number: 201, commentId: c.id, createdAt: c.createdAt }),
      ),
      ...appEnv(),
      GITHUB_API_URL: `${baseUrl}/api/v3`,
      GITHUB_OUTPUT: output,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(lastLine(r.stderr), /on-comment: Approved/);
    assert.deepEqual(pr.labels, ["ml-chatops:run"]);
    assert.equal(w.gh.log.filter((x) => x.operationId === "issues/add-labels").at(-1)?.caller, "ml-chatops[bot]");
    assert.match(readFileSync(output, "utf8"), /^outcome=Approved$/m);
    assert.doesNotMatch(r.stderr, /BEGIN .*PRIVATE KEY|ghs_fake\d/);
  });

  it("check 3: with only the Actions GITHUB_TOKEN it fails with an explanation (exit 2)", async () => {
    const r = await runChild(["on-comment"], {
      ...event("issue_comment", commentPayload({ body: "/experiment run", author: w.users.writer })),
      GITHUB_TOKEN: "ghs_actionsonly",
      ML_CHATOPS_STATE_SECRET: SECRET,
      GITHUB_API_URL: baseUrl,
    });
    assert.equal(r.code, 2);
    assert.match(lastLine(r.stderr), /GITHUB_TOKEN.*never trigger.*GitHub App/);
  });

  it("check 84: a state secret with too little randomness exits 2 with one line saying how to make one", async () => {
    for (const weak of ["a".repeat(32), "", "f1741bcca6aec63575e66ed69f1677b5"]) {
      const lines: string[] = [];
      const io: CliIo = {
        stdout: () => undefined,
        stderr: (t) => void lines.push(t),
        env: {
          ...event("issue_comment", commentPayload({ body: "/experiment run", author: w.users.writer })),
          ...appEnv(),
          ML_CHATOPS_STATE_SECRET: weak,
          GITHUB_API_URL: baseUrl,
        },
        cwd: dir,
        stderrIsTTY: false,
      };
      const before = w.gh.log.length;
      assert.equal(await runGitHubEvent("comment", [], io, { fetch: w.gh.fetch }), 2, weak);
      assert.equal(lines.join("").trim().split("\n").length, 1);
      assert.match(
        lines.join(""),
        /^ml-chatops error: on-comment: ML_CHATOPS_STATE_SECRET (holds about \d+ bits of randomness; it needs 256 \(32 random bytes\)|is not set; it needs 32 random bytes): make one with `openssl rand -hex 32`\n$/,
      );
      assert.equal(w.gh.log.length, before, "nothing was asked of GitHub");
    }
  });

  it("a rightly ignored event exits 0 with the reason; on-label by a human exits 0 and starts nothing", async () => {
    w.gh.addPull(w.repo, { number: 202, user: w.users.bob });
    const own = await runChild(["on-comment"], {
      ...event("issue_comment", commentPayload({ body: "/experiment run", author: BOT, number: 202 })),
      ...appEnv(),
      GITHUB_API_URL: baseUrl,
    });
    assert.equal(own.code, 0, own.stderr);
    // Unstamped, so the comment job (which knows the App by its id only) sees a bot user's comment.
    assert.match(lastLine(own.stderr), /ignored: comment by bot ml-chatops\[bot\]$/);
    // A comment GitHub stamps as this App's ends the job before any request (issue 14 item 2).
    const from = w.gh.log.length;
    const stamped = await runChild(["on-comment"], {
      ...event(
        "issue_comment",
        commentPayload({
          body: "/experiment run",
          author: BOT,
          number: 202,
          viaApp: { id: w.app.id, slug: "ml-chatops" },
        }),
      ),
      ...appEnv(),
      GITHUB_API_URL: baseUrl,
    });
    assert.equal(stamped.code, 0, stamped.stderr);
    assert.match(lastLine(stamped.stderr), /ignored: comment by this bot/);
    assert.deepEqual(w.gh.log.slice(from), [], "no token minted, nothing read");
    const human = await runChild(["on-label", "--runner", "local"], {
      ...event(
        "pull_request",
        pullPayload({ action: "labeled", sender: w.users.admin, label: "ml-chatops:run", number: 202 }),
      ),
      ...appEnv(),
      GITHUB_API_URL: baseUrl,
    });
    assert.equal(human.code, 0, human.stderr);
    assert.match(lastLine(human.stderr), /Ignored: label not added by the bot/);
  });

  it("on-label --runner local in a child process runs the real experiment from a worktree at the pinned SHA", async () => {
    const repo = createTempGitRepo();
    try {
      const sha = repo.commit(
        { "examples/data/sample-talks.jsonl": readFileSync("examples/data/sample-talks.jsonl", "utf8") },
        "corpus",
      );
      const pr = w.gh.addPull(w.repo, { number: 204, user: w.users.bob, headSha: sha });
      const c = w.gh.addComment(w.repo, 204, w.users.writer, "/experiment run top=3");
      const summary = join(dir, "summary-204.md");
      writeFileSync(summary, "");
      const base = { ...appEnv(), GITHUB_API_URL: baseUrl, GITHUB_WORKSPACE: repo.path, GITHUB_STEP_SUMMARY: summary };
      const approve = await runChild(["on-comment"], {
        ...base,
        ...event(
          "issue_comment",
          commentPayload({
            body: c.body,
            author: w.users.writer,
            number: 204,
            commentId: c.id,
            createdAt: c.createdAt,
          }),
        ),
      });
      assert.equal(approve.code, 0, approve.stderr);
      const run = await runChild(["on-label", "--runner", "local"], {
        ...base,
        ...event("pull_request", pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", number: 204 })),
      });
      assert.equal(run.code, 0, run.stderr);
      assert.match(lastLine(run.stderr), /on-label: Reported: run succeeded/);
      const report = w.gh
        .commentsOn(w.repo, 204)
        .find((x) => x.user.id === BOT.id && x.body.startsWith("<!-- ml-chatops:report"))!;
      assert.match(report.body, new RegExp(sha.slice(0, 7)));
      // The step summary is the report for people: the same result, without the ledger's state lines.
      const shown = readFileSync(summary, "utf8");
      assert.match(shown, new RegExp(`### tfidf-keywords: succeeded at \`${sha.slice(0, 7)}\``));
      assert.doesNotMatch(shown, /ml-chatops:(report|state)/);
      assert.deepEqual(pr.labels, []);
    } finally {
      repo.remove();
    }
  });

  it("on-label after on-comment runs the approved experiment at the pinned SHA and writes the job summary", async () => {
    const pr = w.gh.addPull(w.repo, { number: 203, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 203, w.users.writer, "/experiment run");
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "");
    const lines: string[] = [];
    const io = (env: Record<string, string>): CliIo => ({
      stdout: () => undefined,
      stderr: (t) => void lines.push(t),
      env,
      cwd: dir,
      stderrIsTTY: false,
    });
    const output = join(dir, "output-203.txt");
    writeFileSync(output, "");
    const base = { ...appEnv(), GITHUB_API_URL: baseUrl, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output };
    const pinned: string[] = [];
    const runner = createInProcessRunner(
      {},
      {
        run: (req) => {
          pinned.push(req.pinnedSha);
          return TE.right(result(["graph"]));
        },
      },
    );
    const deps = { fetch: w.gh.fetch, runner };
    const commentJobFrom = w.gh.log.length;
    assert.equal(
      await runGitHubEvent(
        "comment",
        [],
        io({
          ...base,
          ...event(
            "issue_comment",
            commentPayload({
              body: c.body,
              author: w.users.writer,
              number: 203,
              commentId: c.id,
              createdAt: c.createdAt,
            }),
          ),
        }),
        deps,
      ),
      0,
    );
    // Checks 27, 28 with the bot user read from the App's own comment (issue 14 item 2): the same
    // login under another id, and another App's bot, start nothing; no job asks who the bot is.
    const identityAsked = (from: number) =>
      w.gh.log
        .slice(from)
        .filter((r) => r.operationId === "apps/get-authenticated" || r.operationId === "users/get-by-username");
    // The comment job knows the App by its id alone (commentsOnly): it approved without asking.
    assert.deepEqual(identityAsked(commentJobFrom), []);
    assert.ok(
      w.gh.log.slice(commentJobFrom).some((r) => r.operationId === "issues/add-labels"),
      "the comment job added the label",
    );
    const from = w.gh.log.length;
    const otherApp = w.gh.addApp({ slug: "ml-chatops-preview" });
    for (const sender of [{ login: "ml-chatops[bot]", id: 6, type: "Bot" as const }, otherApp.bot]) {
      lines.length = 0;
      const job = event(
        "pull_request",
        pullPayload({ action: "labeled", sender, label: "ml-chatops:run", number: 203 }),
      );
      assert.equal(await runGitHubEvent("label", [], io({ ...base, ...job }), deps), 0, lines.join(""));
      assert.match(lines.at(-1) ?? "", /Ignored: label not added by the bot/, sender.login);
    }
    assert.equal(
      await runGitHubEvent(
        "label",
        [],
        io({
          ...base,
          ...event(
            "pull_request",
            pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", number: 203 }),
          ),
        }),
        deps,
      ),
      0,
      lines.join(""),
    );
    assert.deepEqual(identityAsked(from), [], "the label jobs read the bot user from the App's comment");
    assert.deepEqual(pinned, [pr.pull!.headSha]);
    assert.match(readFileSync(summary, "utf8"), /graph/);
    assert.match(lines.at(-1) ?? "", /on-label: Reported: run succeeded/);
    // The action's outputs: the outcome, the run's state and the report comment's URL.
    const report = w.gh
      .commentsOn(w.repo, 203)
      .find((x) => x.user.id === BOT.id && x.body.startsWith("<!-- ml-chatops:report"));
    const outputs = readFileSync(output, "utf8");
    assert.match(outputs, /^outcome=Reported$/m);
    assert.match(outputs, /^status=succeeded$/m);
    assert.equal(
      /^report-url=(.*)$/m.exec(outputs)?.[1],
      `https://github.com/octo/kw/pull/203#issuecomment-${report?.id}`,
    );
    // --detach: the run starts and the step ends; a later job follows it
    const c2 = w.gh.addComment(w.repo, 203, w.users.writer, "/experiment run");
    assert.equal(
      await runGitHubEvent(
        "comment",
        [],
        io({
          ...base,
          ...event(
            "issue_comment",
            commentPayload({
              body: c2.body,
              author: w.users.writer,
              number: 203,
              commentId: c2.id,
              createdAt: c2.createdAt,
            }),
          ),
        }),
        deps,
      ),
      0,
    );
    assert.equal(
      await runGitHubEvent(
        "label",
        ["--detach"],
        io({
          ...base,
          ...event(
            "pull_request",
            pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", number: 203 }),
          ),
        }),
        deps,
      ),
      0,
    );
    assert.match(lines.at(-1) ?? "", /on-label: Detached/);
    // a re-run of the same comment job handles nothing twice
    assert.equal(
      await runGitHubEvent(
        "comment",
        [],
        io({
          ...base,
          ...event(
            "issue_comment",
            commentPayload({
              body: c.body,
              author: w.users.writer,
              number: 203,
              commentId: c.id,
              createdAt: c.createdAt,
            }),
          ),
        }),
        deps,
      ),
      0,
    );
    assert.match(lines.at(-1) ?? "", /already handled/);
  });
  it("issue 4 item 4: a push job cancels the run an attached on-label job is following; the report says superseded", async () => {
    const pr = w.gh.addPull(w.repo, { number: 207, user: w.users.bob });
    const lines: string[] = [];
    const io = (env: Record<string, string>): CliIo => ({
      stdout: () => undefined,
      stderr: (t) => void lines.push(t),
      env,
      cwd: dir,
      stderrIsTTY: false,
    });
    const base = { ...appEnv(), GITHUB_API_URL: baseUrl };
    // One engine both jobs talk to (as CodeBuild would be): runs stay running until cancelled.
    const engine = createScriptedRunner({ statuses: [{ state: "running", detail: "building" }] });
    const deps = { fetch: w.gh.fetch, runner: engine.runner };
    const c = w.gh.addComment(w.repo, 207, w.users.writer, "/experiment run max_df=0.3");
    assert.equal(
      await runGitHubEvent(
        "comment",
        [],
        io({
          ...base,
          ...event(
            "issue_comment",
            commentPayload({
              body: c.body,
              author: w.users.writer,
              number: 207,
              commentId: c.id,
              createdAt: c.createdAt,
            }),
          ),
        }),
        deps,
      ),
      0,
    );
    const labelJob = runGitHubEvent(
      "label",
      [],
      io({
        ...base,
        ...event("pull_request", pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", number: 207 })),
      }),
      deps,
    );
    const report = () =>
      w.gh.commentsOn(w.repo, 207).find((x) => x.user.id === BOT.id && x.body.startsWith("<!-- ml-chatops:report"))
        ?.body ?? "";
    while (!/Status:\*\* running/.test(report())) await new Promise((r) => setTimeout(r, 20));

    const head = w.gh.push(w.repo, 207);
    const pushJob = await runGitHubEvent(
      "label",
      [],
      io({
        ...base,
        ...event(
          "pull_request",
          pullPayload({ action: "synchronize", sender: w.users.bob, number: 207, headSha: head }),
        ),
      }),
      deps,
    );
    assert.equal(pushJob, 0, lines.join(""));
    assert.deepEqual(engine.cancelled, ["run-1"]);
    assert.equal(await labelJob, 0, lines.join(""));
    assert.match(lines.join(""), /on-label: Reported: run cancelled/);
    assert.match(report(), /Superseded by\*\* new commits \(head `?[0-9a-f]{7}/);
    assert.notEqual(pr.pull!.headSha, engine.started[0]?.pinnedSha);
  });

  it("check 67: with an invalid repository config a command gets one reply naming the field, once; other comments get none", async () => {
    w.gh.addPull(w.repo, { number: 209, user: w.users.bob });
    w.gh.setFile(w.repo, "main", ".github/ml-chatops.yml", "labl: typo\n");
    try {
      const lines: string[] = [];
      const io = (env: Record<string, string>): CliIo => ({
        stdout: () => undefined,
        stderr: (t) => void lines.push(t),
        env,
        cwd: dir,
        stderrIsTTY: false,
      });
      const base = { ...appEnv(), GITHUB_API_URL: baseUrl };
      const deps = { fetch: w.gh.fetch };
      const handle = (c: { id: number; body: string; createdAt: string }) =>
        runGitHubEvent(
          "comment",
          [],
          io({
            ...base,
            ...event(
              "issue_comment",
              commentPayload({
                body: c.body,
                author: w.users.writer,
                number: 209,
                commentId: c.id,
                createdAt: c.createdAt,
              }),
            ),
          }),
          deps,
        );
      const cmd = w.gh.addComment(w.repo, 209, w.users.writer, "/experiment run");
      assert.equal(await handle(cmd), 1, "a real failure: the config must be fixed");
      assert.equal(await handle(cmd), 1, "a re-run of the job");
      assert.equal(
        await handle(w.gh.addComment(w.repo, 209, w.users.writer, "LGTM, thanks")),
        0,
        "no command: rightly ignored",
      );
      assert.match(lines.at(-1) ?? "", /ignored: no command \(and .*labl/);
      const replies = w.gh.commentsOn(w.repo, 209).filter((x) => x.user.id === BOT.id);
      assert.equal(replies.length, 1, replies.map((r) => r.body).join("\n"));
      assert.match(replies[0]!.body, /config is invalid.*unknown field labl/);
    } finally {
      w.gh.setFile(w.repo, "main", ".github/ml-chatops.yml", "{}");
    }
  });

  it("collect publishes the final report of a finished detached run; promote in a later job finds its result", async () => {
    w.gh.addPull(w.repo, { number: 205, user: w.users.bob });
    const lines: string[] = [];
    const io = (env: Record<string, string>): CliIo => ({
      stdout: () => undefined,
      stderr: (t) => void lines.push(t),
      env,
      cwd: dir,
      stderrIsTTY: false,
    });
    const base = { ...appEnv(), GITHUB_API_URL: baseUrl };
    const runner = createInProcessRunner({}, { run: () => TE.right(result(["bakery", "forecast"])) });
    const deps = { fetch: w.gh.fetch, runner };
    const c = w.gh.addComment(w.repo, 205, w.users.writer, "/experiment run");
    const commentEvent = (id: number, body: string, createdAt: string) =>
      event("issue_comment", commentPayload({ body, author: w.users.writer, number: 205, commentId: id, createdAt }));
    assert.equal(
      await runGitHubEvent("comment", [], io({ ...base, ...commentEvent(c.id, c.body, c.createdAt) }), deps),
      0,
    );
    const labelled = event(
      "pull_request",
      pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", number: 205 }),
    );
    assert.equal(await runGitHubEvent("label", ["--detach"], io({ ...base, ...labelled }), deps), 0);
    const report = () =>
      w.gh.commentsOn(w.repo, 205).find((x) => x.user.id === BOT.id && x.body.startsWith("<!-- ml-chatops:report"))!;
    assert.match(report().body, /running/);

    const schedule = event("schedule", {});
    assert.equal(await runGitHubEvent("collect", [], io({ ...base, ...schedule }), deps), 0, lines.join(""));
    // Two: this run, and the run detached by the previous test, whose runner (another in-process
    // instance) no longer knows it: that one ends as an errored report instead of hanging forever.
    assert.match(lines.at(-1) ?? "", /collect: 2 report\(s\) published, 0 run\(s\) still in progress, 0 failure/);
    const lost = w.gh
      .commentsOn(w.repo, 203)
      .find((x) => x.user.id === BOT.id && x.body.startsWith("<!-- ml-chatops:report"))!;
    assert.match(lost.body, /lost track of the run/);
    assert.match(report().body, /succeeded/);
    assert.match(report().body, /bakery/);
    assert.equal(await runGitHubEvent("collect", [], io({ ...base, ...schedule }), deps), 0);
    assert.match(lines.at(-1) ?? "", /collect: 0 report\(s\) published/);

    const p = w.gh.addComment(w.repo, 205, w.users.writer, "/experiment promote");
    assert.equal(
      await runGitHubEvent("comment", [], io({ ...base, ...commentEvent(p.id, p.body, p.createdAt) }), deps),
      0,
      lines.join(""),
    );
    assert.match(lines.at(-1) ?? "", /on-comment: Handled/);
    const reply =
      w.gh
        .commentsOn(w.repo, 205)
        .filter((x) => x.user.id === BOT.id)
        .at(-1)?.body ?? "";
    assert.match(reply, /Promoted the result/);
  });
});
