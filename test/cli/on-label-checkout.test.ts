/**
 * The Actions commands with `--default-branch-checkout` (issue 14 item 2), over the fake GitHub with the real
 * Octokit: the job's checkout of the default branch answers the config and baseline reads, so no
 * contents request is made; what that checkout held is what the job compares with, and promote's
 * write is still locked on the blob GitHub has (SECURITY-CHECKLIST 86), so a checkout that went
 * stale during the job never overwrites a newer best.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as TE from "fp-ts/TaskEither";
import { createInProcessRunner } from "../../src/adapters/local/in-process-runner.js";
import { runGitHubEvent } from "../../src/cli/github-commands.js";
import { createWorld, type World } from "../adapters/github/setup.js";
import { commentPayload, pullPayload } from "../fixtures/github/payloads.js";
import { checkoutDefaultBranch } from "../support/actions-checkout.js";
import { actionsJobIo, TEST_BOT } from "../support/actions-event.js";
import { result } from "../support/core-fakes.js";

const BASELINE = ".ml-chatops/baseline.json";
const NUMBER = 300;

/** A baseline file whose tfidf-keywords best came from pull request `from`. */
const baselineFrom = (from: number, terms: ReadonlyArray<string>): string =>
  `${JSON.stringify(
    {
      "tfidf-keywords": {
        result: result(terms),
        meta: {
          pr: { owner: "octo", repo: "kw", number: from },
          sha: String(from).repeat(40).slice(0, 40),
          promotedBy: { login: "mia", id: 3 },
          promotedAt: "2026-11-30T10:00:00.000Z",
        },
      },
    },
    null,
    2,
  )}\n`;

describe("on-comment / on-label --default-branch-checkout: config and baseline from the job's default-branch checkout", () => {
  let w: World;
  const dir = mkdtempSync(join(tmpdir(), "ml-chatops-checkout-"));
  const runner = createInProcessRunner({}, { run: () => TE.right(result(["graph", "tensor"])) });
  const lines: string[] = [];
  const job = async (
    mode: "comment" | "label",
    eventName: string,
    payload: unknown,
    checkout: string,
  ): Promise<{ code: number; requests: ReadonlyArray<string>; last: string }> => {
    const io = actionsJobIo(dir, eventName, payload, w.app, lines);
    const from = w.gh.log.length;
    const code = await runGitHubEvent(mode, ["--default-branch-checkout", checkout], io, { fetch: w.gh.fetch, runner });
    const requests = w.gh.log.slice(from).map((r) => r.operationId ?? `${r.method} ${r.path}`);
    return { code, requests, last: lines.join("").trim().split("\n").at(-1) ?? "" };
  };
  const command = async (body: string, checkout: string) => {
    const author = body.includes("promote") ? w.users.maintainer : w.users.writer;
    const c = w.gh.addComment(w.repo, NUMBER, author, body);
    const payload = commentPayload({ body, author, number: NUMBER, commentId: c.id, createdAt: c.createdAt });
    return job("comment", "issue_comment", payload, checkout);
  };
  const label = (checkout: string) =>
    job(
      "label",
      "pull_request",
      pullPayload({ action: "labeled", sender: TEST_BOT, label: "ml-chatops:run", number: NUMBER }),
      checkout,
    );
  const baselineNow = () => w.repo.files.get("main")?.get(BASELINE);
  const report = () =>
    w.gh
      .commentsOn(w.repo, NUMBER)
      .find((c) => c.user.id === TEST_BOT.id && c.body.startsWith("<!-- ml-chatops:report"))?.body ?? "";

  before(async () => {
    w = await createWorld();
    w.gh.addPull(w.repo, { number: NUMBER, user: w.users.bob });
    w.gh.setFile(w.repo, "main", ".github/ml-chatops.yml", "label: ml-chatops:run\n");
    w.gh.setFile(w.repo, "main", BASELINE, baselineFrom(11, ["graph"]));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(w.gh.problems, []);
  });

  it("approves and runs with no contents request; the report compares with the checkout's current best", async () => {
    const checkout = checkoutDefaultBranch(w.repo);
    try {
      const approved = await command("/experiment run", checkout.path);
      assert.equal(approved.code, 0, lines.join(""));
      assert.match(approved.last, /on-comment: Approved/);
      const reported = await label(checkout.path);
      assert.equal(reported.code, 0, lines.join(""));
      assert.match(reported.last, /on-label: Reported: run succeeded/);
      for (const r of [approved, reported]) assert.ok(!r.requests.includes("repos/get-content"), r.requests.join(", "));
      assert.match(report(), /\*\*Current best:\*\* #11 at `1111111`, promoted by mia/);
      assert.ok(
        lines.join("").includes(`the config and current best come from the checkout at ${checkout.head()}\n`),
        "the job says which commit it read",
      );
    } finally {
      checkout.remove();
    }
  });

  it("a best promoted after the job's checkout: the job compares with its checkout's, and promote never writes over the newer one", async () => {
    const stale = checkoutDefaultBranch(w.repo);
    try {
      // Another pull request's promote lands while this job runs.
      w.gh.setFile(w.repo, "main", BASELINE, baselineFrom(12, ["tensor"]));
      assert.equal((await command("/experiment run", stale.path)).code, 0, lines.join(""));
      assert.equal((await label(stale.path)).code, 0, lines.join(""));
      assert.match(report(), /\*\*Current best:\*\* #11 at `1111111`/, "as of the job's checkout");

      // Promote from a checkout older than the file: GitHub refuses the write locked on the old
      // blob (409), the store re-reads the file through the API, sees that the compared entry
      // changed, and reports the conflict instead of writing.
      const before = baselineNow();
      const refused = await command("/experiment promote force=true", stale.path);
      assert.ok(refused.requests.includes("repos/create-or-update-file-contents"), refused.requests.join(", "));
      assert.equal(refused.requests.filter((r) => r === "repos/get-content").length, 1, refused.requests.join(", "));
      assert.equal(baselineNow(), before, "the newer best is kept");
      assert.match(lines.join(""), /changed on the default branch while promoting \(HTTP 409\)/);
    } finally {
      stale.remove();
    }

    // The next job checks out the newer best and promotes over it with the lock it read.
    const fresh = checkoutDefaultBranch(w.repo);
    try {
      const promoted = await command("/experiment promote force=true", fresh.path);
      assert.equal(promoted.code, 0, lines.join(""));
      assert.ok(!promoted.requests.includes("repos/get-content"), promoted.requests.join(", "));
      assert.match(baselineNow() ?? "", new RegExp(`"number": ${NUMBER}`));
    } finally {
      fresh.remove();
    }
  });

  it("a --default-branch-checkout that is not the default branch exits 2 with one line before any request", async () => {
    const other = checkoutDefaultBranch(w.repo);
    try {
      other.moveBranch("feature", other.head());
      const from = lines.length;
      const r = await label(other.path);
      assert.equal(r.code, 2);
      assert.deepEqual(r.requests, []);
      assert.equal(
        lines.slice(from).join(""),
        `ml-chatops error: on-label: --default-branch-checkout ${other.path}: HEAD is refs/heads/feature, not the default branch refs/heads/main\n`,
      );
    } finally {
      other.remove();
    }
  });
});
