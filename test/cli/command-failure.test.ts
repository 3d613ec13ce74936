/**
 * Issue 11 part 7: every command gets an answer. `promote` with an App that has "Contents: read"
 * only (as the CodeBuild README once listed) is refused by GitHub with 403 "Resource not accessible
 * by integration"; the command still gets ONE reply naming the failure and the missing permission,
 * the job fails, and a re-run of the same job is not swallowed by the 👀 claim.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as TE from "fp-ts/TaskEither";
import { createInProcessRunner } from "../../src/adapters/local/in-process-runner.js";
import { runGitHubEvent } from "../../src/cli/github-commands.js";
import type { CliIo } from "../../src/cli/io.js";
import { result } from "../support/core-fakes.js";
import { commentPayload, pullPayload } from "../fixtures/github/payloads.js";
import { createWorld, type World } from "../adapters/github/setup.js";
import { actionsEvent, appCredentials } from "../support/actions-event.js";

const SECRET = "4f1c2a9e7b3d8c6f0a5e1b9d2c7f4a8e3b6d0c9f1e5a2b7d4c8f0e3a6b9d2c5f";
const BOT = { login: "ml-chatops[bot]", id: 4242, type: "Bot" as const };

describe("a command that fails after the 👀 claim still gets one answer (issue 11 part 7)", () => {
  let w: World;
  const dir = mkdtempSync(join(tmpdir(), "ml-chatops-failure-"));
  const lines: string[] = [];
  const io = (env: Record<string, string>): CliIo => ({
    stdout: () => undefined,
    stderr: (t) => void lines.push(t),
    env,
    cwd: dir,
    stderrIsTTY: false,
  });
  const event = (name: string, payload: unknown): Record<string, string> => ({
    ...actionsEvent(dir, name, payload),
    ...appCredentials(w.app, { secret: SECRET }),
  });
  const runner = createInProcessRunner({}, { run: () => TE.right(result(["graph", "tensor"])) });
  const job = (mode: "comment" | "label", env: Record<string, string>) =>
    runGitHubEvent(mode, [], io(env), { fetch: w.gh.fetch, runner });
  const botComments = (n: number) => w.gh.commentsOn(w.repo, n).filter((c) => c.user.id === BOT.id);

  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("promote without Contents: write → one reply naming the 403 and the permission; the job fails; a re-run answers the same reply again, and succeeds once the permission is granted", async () => {
    w.gh.addPull(w.repo, { number: 301, user: w.users.bob });
    const run = w.gh.addComment(w.repo, 301, w.users.writer, "/experiment run");
    assert.equal(
      await job(
        "comment",
        event(
          "issue_comment",
          commentPayload({
            body: run.body,
            author: w.users.writer,
            number: 301,
            commentId: run.id,
            createdAt: run.createdAt,
          }),
        ),
      ),
      0,
      lines.join(""),
    );
    assert.equal(
      await job(
        "label",
        event("pull_request", pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", number: 301 })),
      ),
      0,
      lines.join(""),
    );

    w.app.permissions["contents"] = "read";
    const promote = w.gh.addComment(w.repo, 301, w.users.writer, "/experiment promote");
    const promoteJob = () =>
      job(
        "comment",
        event(
          "issue_comment",
          commentPayload({
            body: promote.body,
            author: w.users.writer,
            number: 301,
            commentId: promote.id,
            createdAt: promote.createdAt,
          }),
        ),
      );
    const failureReplies = () =>
      botComments(301).filter((c) => c.body.startsWith(`<!-- ml-chatops:command-failed:${promote.id} -->`));

    assert.equal(await promoteJob(), 1, "a refused write is a failed job");
    assert.match(
      lines.at(-1) ?? "",
      /on-comment: failed: github baseline: forbidden during baseline: Resource not accessible by integration: the App or token lacks the permission Contents: write\n$/,
    );
    const refused = w.gh.log.filter((r) => r.operationId === "repos/create-or-update-file-contents").at(-1);
    assert.equal(refused?.status, 403);
    assert.equal(failureReplies().length, 1);
    assert.match(failureReplies()[0]!.body, /The `promote` command failed: .*Contents: write/);
    const reactions = w.gh.log.filter(
      (r) => r.operationId === "reactions/create-for-issue-comment" && r.path.includes(`/comments/${promote.id}/`),
    );
    assert.equal(reactions.length >= 1, true, "the 👀 claim was taken");

    // The same job re-run (Actions "Re-run job"): the 👀 is there, but the failure is not hidden.
    assert.equal(await promoteJob(), 1, "the re-run fails again, visibly");
    assert.doesNotMatch(lines.at(-1) ?? "", /already handled/);
    assert.equal(failureReplies().length, 1, "still one reply: the same comment, updated");

    w.app.permissions["contents"] = "write";
    assert.equal(await promoteJob(), 0, lines.join(""));
    assert.match(lines.at(-1) ?? "", /on-comment: Handled/);
    assert.equal(w.gh.log.filter((r) => r.operationId === "repos/create-or-update-file-contents").at(-1)?.status, 201);
    assert.match(failureReplies()[0]!.body, /failed earlier and succeeded when retried/);
    // The promotion is told in the living comment of the experiment (a notice above its report), not a reply.
    assert.equal(botComments(301).filter((c) => /^Promoted the result of/m.test(c.body)).length, 1);

    // And now it was handled: one more re-run does nothing.
    assert.equal(await promoteJob(), 0);
    assert.match(lines.at(-1) ?? "", /already handled/);
    assert.equal(botComments(301).filter((c) => /^Promoted the result of/m.test(c.body)).length, 1);
  });

  it("an API error after the claim (502 on every read of the PR for run) is answered once too", async () => {
    w.gh.addPull(w.repo, { number: 302, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 302, w.users.writer, "/experiment run");
    // pulls/get fails every attempt (retries included): a real outage, not a blip.
    w.gh.faults.push({ operationId: "pulls/get", status: 502, body: { message: "Server Error" }, times: 20 });
    try {
      assert.equal(
        await job(
          "comment",
          event(
            "issue_comment",
            commentPayload({
              body: c.body,
              author: w.users.writer,
              number: 302,
              commentId: c.id,
              createdAt: c.createdAt,
            }),
          ),
        ),
        1,
      );
    } finally {
      w.gh.faults.length = 0;
    }
    const replies = botComments(302).filter((x) => x.body.startsWith(`<!-- ml-chatops:command-failed:${c.id} -->`));
    assert.equal(replies.length, 1);
    assert.match(replies[0]!.body, /The `run` command failed: .*(502|unavailable)/i);
  });
});
