/**
 * Check 47, last sentence: a 404 on a resource this client just created is retried a bounded
 * number of times (replication lag), through the real Octokit against the fake GitHub.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createGitHubForge } from "../../../src/adapters/github/forge.js";
import { createWorld, left, memoryLogger, right, type World } from "./setup.js";
import { assertError } from "../../support/assert-error.js";

const PR = { owner: "octo", repo: "kw", number: 7 };
const REPO = { owner: "octo", repo: "kw" };
const BOT = { login: "ml-chatops[bot]", id: 4242 };
const attempts = (op: string, since: number) => w.gh.log.slice(since).filter((r) => r.operationId === op).length;

let w: World;
before(async () => {
  w = await createWorld();
});
after(() => assert.deepEqual(w.gh.problems, []));

describe("check 47: a 404 right after creating a resource is retried (replication lag)", () => {
  /** A clock the test moves by hand; sleeps return at once and are recorded. */
  const handClock = () => {
    let now = Date.now();
    const sleeps: number[] = [];
    return {
      sleeps,
      advance: (ms: number) => void (now += ms),
      clock: { now: () => new Date(now), sleep: (ms: number) => () => Promise.resolve(void sleeps.push(ms)) },
    };
  };
  const lagForge = (extra: object = {}) => {
    const c = handClock();
    const log = memoryLogger();
    const forge = createGitHubForge(
      { octokit: w.appClient({ logger: log, clock: c.clock }, extra) },
      { identity: BOT },
    );
    return { forge, log, ...c };
  };
  const lagWarnings = (log: ReturnType<typeof memoryLogger>) =>
    log.lines.filter((l) => l.level === "warn" && /replication lag/.test(l.message));
  const commentsPath = (id: number) => `/repos/octo/kw/issues/comments/${id}`;
  const ownComment = (marker: string) => w.gh.commentsOn(w.repo, 7).find((c) => c.body.startsWith(marker))!;

  it("check 47: an update of a just-created comment that 404s twice succeeds on the 3rd attempt", async () => {
    const { forge, log, sleeps } = lagForge();
    const marker = "<!-- ml-chatops:check-47-a -->";
    right(await forge.upsertComment(PR, marker, `${marker}\nfirst`)());
    const id = ownComment(marker).id;
    const since = w.gh.log.length;
    w.gh.faults.push({ operationId: "issues/update-comment", status: 404, times: 2, body: { message: "Not Found" } });
    right(await forge.upsertComment(PR, marker, `${marker}\nsecond`)());
    assert.equal(attempts("issues/update-comment", since), 3);
    assert.deepEqual(
      w.gh.log
        .slice(since)
        .filter((r) => r.operationId === "issues/update-comment")
        .map((r) => r.status),
      [404, 404, 200],
    );
    assert.equal(ownComment(marker).body, `${marker}\nsecond`);
    assert.deepEqual(sleeps, [1, 4], "growing delays, (n)² × retryAfterBaseValueMs");
    const warns = lagWarnings(log);
    assert.equal(warns.length, 2);
    warns.forEach((l, i) => {
      assert.ok(l.message.includes(`PATCH https://api.github.com${commentsPath(id)}`), l.message);
      assert.match(l.message, new RegExp(`retry ${i + 1} of 3`));
    });
  });

  it("check 47: a 404 that outlasts the bound surfaces as not-found after exactly bound + 1 attempts", async () => {
    const { forge, log, sleeps } = lagForge();
    const marker = "<!-- ml-chatops:check-47-b -->";
    right(await forge.upsertComment(PR, marker, `${marker}\nfirst`)());
    const since = w.gh.log.length;
    w.gh.faults.push({ operationId: "issues/update-comment", status: 404, times: 10, body: { message: "Not Found" } });
    const e = left(await forge.upsertComment(PR, marker, `${marker}\nsecond`)());
    w.gh.faults.length = 0;
    assertError(e, "ForgeNotFound", /^operation=updateComment what=comment \d+$/);
    assert.equal(attempts("issues/update-comment", since), 4);
    assert.deepEqual(sleeps, [1, 4, 9]);
    assert.equal(lagWarnings(log).length, 3);
    assert.equal(ownComment(marker).body, `${marker}\nfirst`);
  });

  it("check 47: a sub-resource of a just-created comment (its reactions) is covered too", async () => {
    const { forge } = lagForge();
    const posted = right(await forge.reply(PR, "a reply to react to")());
    const since = w.gh.log.length;
    w.gh.faults.push({
      operationId: "reactions/create-for-issue-comment",
      status: 404,
      body: { message: "Not Found" },
    });
    right(await forge.react(PR, posted.id, "rocket")());
    assert.deepEqual(
      w.gh.log.slice(since).map((r) => `${r.operationId}:${r.status}`),
      ["reactions/create-for-issue-comment:404", "reactions/create-for-issue-comment:201"],
    );
  });

  it("check 47: a 404 on a resource this client did not create is not retried", async () => {
    const { forge, log, sleeps } = lagForge();
    right(await forge.reply(PR, "something created, but elsewhere")());
    const since = w.gh.log.length;
    assertError(
      left(await forge.getPullRequest({ ...PR, number: 999 })()),
      "ForgeNotFound",
      /^operation=getPullRequest what=pull request #999$/,
    );
    assert.equal(attempts("pulls/get", since), 1);
    w.gh.faults.push({
      operationId: "repos/get-collaborator-permission-level",
      status: 404,
      body: { message: "Not Found" },
    });
    assertError(
      left(await forge.getPermission(REPO, w.users.writer)()),
      "ForgeNotFound",
      /^operation=getPermission what=/,
    );
    assert.equal(attempts("repos/get-collaborator-permission-level", since), 1);
    const someoneElses = w.gh.addComment(w.repo, 7, w.users.writer, "not the bot's");
    w.gh.faults.push({
      operationId: "reactions/create-for-issue-comment",
      status: 404,
      body: { message: "Not Found" },
    });
    assertError(left(await forge.react(PR, someoneElses.id, "eyes")()), "ForgeNotFound", /^operation=react what=/);
    assert.equal(attempts("reactions/create-for-issue-comment", since), 1);
    assert.deepEqual(sleeps, []);
    assert.deepEqual(lagWarnings(log), []);
  });

  it("check 47: once the window (60 s) has passed, a 404 on the created comment is final", async () => {
    const { forge, sleeps, advance } = lagForge();
    const marker = "<!-- ml-chatops:check-47-c -->";
    right(await forge.upsertComment(PR, marker, `${marker}\nfirst`)());
    advance(60_001);
    const since = w.gh.log.length;
    w.gh.faults.push({ operationId: "issues/update-comment", status: 404, times: 2, body: { message: "Not Found" } });
    assertError(
      left(await forge.upsertComment(PR, marker, `${marker}\nsecond`)()),
      "ForgeNotFound",
      /^operation=updateComment what=comment \d+$/,
    );
    assert.equal(attempts("issues/update-comment", since), 1);
    assert.deepEqual(sleeps, []);
    w.gh.faults.length = 0;
  });

  it("check 47: the window and the bound are configurable; 0 retries turns it off", async () => {
    const short = lagForge({ replicationLagWindowMs: 1000, replicationLagRetries: 1 });
    const marker = "<!-- ml-chatops:check-47-d -->";
    right(await short.forge.upsertComment(PR, marker, `${marker}\nfirst`)());
    short.advance(999);
    let since = w.gh.log.length;
    w.gh.faults.push({ operationId: "issues/update-comment", status: 404, times: 5, body: { message: "Not Found" } });
    assertError(
      left(await short.forge.upsertComment(PR, marker, `${marker}\nsecond`)()),
      "ForgeNotFound",
      /^operation=updateComment what=comment \d+$/,
    );
    assert.equal(attempts("issues/update-comment", since), 2);
    w.gh.faults.length = 0;

    const off = lagForge({ replicationLagRetries: 0 });
    const posted = right(await off.forge.reply(PR, "fresh")());
    since = w.gh.log.length;
    w.gh.faults.push({
      operationId: "reactions/create-for-issue-comment",
      status: 404,
      body: { message: "Not Found" },
    });
    assertError(left(await off.forge.react(PR, posted.id, "eyes")()), "ForgeNotFound", /^operation=react what=/);
    assert.equal(attempts("reactions/create-for-issue-comment", since), 1);
  });

  it("check 47: token clients retry too", async () => {
    const c = handClock();
    const forge = createGitHubForge(
      { octokit: w.tokenClient(w.users.writer, { clock: c.clock }) },
      { identity: { login: w.users.writer.login, id: w.users.writer.id } },
    );
    const marker = "<!-- ml-chatops:check-47-e -->";
    right(await forge.upsertComment(PR, marker, `${marker}\nfirst`)());
    const since = w.gh.log.length;
    w.gh.faults.push({ operationId: "issues/update-comment", status: 404, times: 2, body: { message: "Not Found" } });
    right(await forge.upsertComment(PR, marker, `${marker}\nsecond`)());
    const updates = w.gh.log.slice(since).filter((r) => r.operationId === "issues/update-comment");
    assert.deepEqual(
      updates.map((r) => `${r.caller ?? "-"}:${r.status}`),
      ["-:404", "-:404", "wes:200"],
    );
  });

  it("check 47: composes with plugin-retry (a 5xx inside a lag retry) and with the 401 refresh", async (t) => {
    const { forge } = lagForge();
    const marker = "<!-- ml-chatops:check-47-f -->";
    right(await forge.upsertComment(PR, marker, `${marker}\nfirst`)());
    let since = w.gh.log.length;
    w.gh.faults.push({ operationId: "issues/update-comment", status: 404, body: { message: "Not Found" } });
    w.gh.faults.push({ operationId: "issues/update-comment", status: 502, body: { message: "Bad Gateway" } });
    right(await forge.upsertComment(PR, marker, `${marker}\nsecond`)());
    const statuses = () =>
      w.gh.log
        .slice(since)
        .filter((r) => r.operationId !== "issues/list-comments")
        .map((r) => `${r.operationId}:${r.status}`);
    assert.deepEqual(statuses(), [
      "issues/update-comment:404",
      "issues/update-comment:502",
      "issues/update-comment:200",
    ]);

    // GitHub stops accepting the installation token while the lag retry waits: the retry meets
    // a 401, the inner 401 wrap mints a new token once, and the retry goes through.
    const expiring = createGitHubForge(
      {
        octokit: w.appClient({
          clock: { now: () => new Date(), sleep: () => () => Promise.resolve(w.gh.expireInstallationTokens()) },
        }),
      },
      { identity: BOT },
    );
    const marker2 = "<!-- ml-chatops:check-47-f2 -->";
    right(await expiring.upsertComment(PR, marker2, `${marker2}\nfirst`)());
    // past auth-app's own 5 s grace for a fresh token, so it agrees to mint another
    t.mock.timers.enable({ apis: ["Date"], now: Date.now() + 10_000 });
    since = w.gh.log.length;
    w.gh.faults.push({ operationId: "issues/update-comment", status: 404, body: { message: "Not Found" } });
    right(await expiring.upsertComment(PR, marker2, `${marker2}\nsecond`)());
    assert.deepEqual(statuses(), [
      "issues/update-comment:404",
      "issues/update-comment:401",
      "apps/create-installation-access-token:201",
      "issues/update-comment:200",
    ]);
    assert.equal(ownComment(marker2).body, `${marker2}\nsecond`);
  });

  it("check 47: on GitHub Enterprise Server (baseUrl …/api/v3) the created comment is recognised by path", async () => {
    const { forge, sleeps } = lagForge({ baseUrl: "https://ghe.example.test/api/v3/" });
    const marker = "<!-- ml-chatops:check-47-g -->";
    right(await forge.upsertComment(PR, marker, `${marker}\nfirst`)());
    const since = w.gh.log.length;
    w.gh.faults.push({ operationId: "issues/update-comment", status: 404, body: { message: "Not Found" } });
    right(await forge.upsertComment(PR, marker, `${marker}\nsecond`)());
    assert.equal(attempts("issues/update-comment", since), 2);
    assert.deepEqual(sleeps, [1]);
  });
});
