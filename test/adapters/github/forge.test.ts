import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as O from "fp-ts/Option";
import { createGitHubForge, type GitHubForge } from "../../../src/adapters/github/forge.js";
import { resolveGitHubIdentity } from "../../../src/adapters/github/identity.js";
import { hasRole, type Role } from "../../../src/core/model.js";
import { createWorld, left, right, type World } from "./setup.js";
import { assertError } from "../../support/assert-error.js";

const PR = { owner: "octo", repo: "kw", number: 7 };
const REPO = { owner: "octo", repo: "kw" };

describe("GitHub forge", () => {
  let w: World;
  let forge: GitHubForge;
  before(async () => {
    w = await createWorld();
    const octokit = w.appClient();
    const identity = right(await resolveGitHubIdentity(octokit, "app")());
    forge = createGitHubForge({ octokit }, { identity });
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("resolves the App's bot identity by id", () => {
    assert.deepEqual(forge.identity, { login: "ml-chatops[bot]", id: 4242 });
  });

  describe("check 21: role matrix from role_name", () => {
    const table: ReadonlyArray<[keyof World["users"], Role, boolean, boolean]> = [
      // user, role the forge reports, allowed when write required, allowed when triage required
      ["reader", "read", false, false],
      ["triager", "triage", false, true],
      ["writer", "write", true, true],
      ["maintainer", "maintain", true, true],
      ["admin", "admin", true, true],
      ["owner", "admin", true, true],
    ];
    for (const [who, role, write, triage] of table) {
      it(`${who} -> ${role}`, async () => {
        const got = right(await forge.getPermission(REPO, w.users[who])());
        assert.equal(got, role);
        assert.equal(hasRole(got, "write"), write);
        assert.equal(hasRole(got, "triage"), triage);
      });
    }
    it("a triager whose legacy permission says read still counts as triage", async () => {
      const perm = w.gh.state.repos.get("octo/kw")!.grants.get("tia")!;
      assert.equal(perm.permission, "read");
      assert.equal(right(await forge.getPermission(REPO, w.users.triager)()), "triage");
    });
    it("a custom role is denied by default, or mapped through its base permission when configured", async () => {
      const carl = w.gh.addUser("carl");
      w.gh.grant(w.repo, carl, "ml-runner", "write");
      assert.equal(right(await forge.getPermission(REPO, carl)()), "none");
      const mapped = createGitHubForge(
        { octokit: w.appClient() },
        { identity: forge.identity, customRoles: "base-permission" },
      );
      assert.equal(right(await mapped.getPermission(REPO, carl)()), "write");
    });
  });

  it("check 24: a team-granted writer (REST permission endpoint includes team grants) is write", async () => {
    const tina = w.gh.addUser("tina");
    w.gh.grant(w.repo, tina, "write"); // the REST answer has the same shape whatever the grant's source
    assert.equal(right(await forge.getPermission(REPO, tina)()), "write");
  });

  it("check 25: on a public repo a stranger gets read", async () => {
    const pub = w.gh.addRepo("octo", "public-kw", { private: false });
    w.app.installations.set(99, [...w.app.installations.get(99)!, "octo/public-kw"]);
    assert.equal(right(await forge.getPermission({ owner: "octo", repo: pub.name }, w.users.stranger)()), "read");
    assert.equal(right(await forge.getPermission(REPO, w.users.stranger)()), "none");
  });

  describe("check 23: a failed permission check is an error (the pipeline denies)", () => {
    it("403 'Must have push access' for a read-only PAT caller", async () => {
      const weak = createGitHubForge({ octokit: w.tokenClient(w.users.reader) }, { identity: w.users.reader });
      const e = left(await weak.getPermission(REPO, w.users.writer)());
      assert.equal(e._tag, "ForgeForbidden");
      assert.match(JSON.stringify(e), /"operation":"getPermission".*Must have push access/);
    });
    it("404 for an unknown user", async () => {
      const e = left(await forge.getPermission(REPO, { login: "ghost-x", id: 1 })());
      assert.deepEqual([e._tag, e.operation], ["ForgeNotFound", "getPermission"]);
      assert.match(JSON.stringify(e), /ghost-x/);
    });
    it("check 26: 404 'is not a user' for a bot or App actor", async () => {
      const other = w.gh.addUser("other-app[bot]", { type: "Bot" });
      const e = left(await forge.getPermission(REPO, other)());
      assert.deepEqual([e._tag, e.operation], ["ForgeNotFound", "getPermission"]);
      assert.match(JSON.stringify(e), /other-app\[bot\]/);
    });
    it("5xx after retries", async () => {
      w.gh.faults.push({ operationId: "repos/get-collaborator-permission-level", status: 502, times: 4 });
      const e = left(await forge.getPermission(REPO, w.users.writer)());
      assert.deepEqual([e._tag, e.operation], ["ForgeUnavailable", "getPermission"]);
      assert.match(JSON.stringify(e), /502/);
      assert.equal(w.gh.log.filter((r) => r.status === 502).length, 4);
    });
    it("network error", async () => {
      const broken = createGitHubForge(
        { octokit: w.appClient({ fetch: () => Promise.reject(new TypeError("fetch failed")) }, { retries: 0 }) },
        { identity: forge.identity },
      );
      const e = left(await broken.getPermission(REPO, w.users.writer)());
      assert.deepEqual([e._tag, e.operation], ["ForgeUnavailable", "getPermission"]);
      assert.match(JSON.stringify(e), /fetch failed/);
    });
  });

  it("reads the pull request with its full head SHA", async () => {
    const pr = right(await forge.getPullRequest(PR)());
    assert.equal(pr.headSha, w.repo.issues.get(7)!.pull!.headSha);
    assert.deepEqual([pr.state, pr.merged, pr.draft, pr.headRepoAvailable], ["open", false, false, true]);
  });

  it("404 on the PR -> ForgeNotFound", async () => {
    assertError(
      left(await forge.getPullRequest({ ...PR, number: 404 })()),
      "ForgeNotFound",
      /^operation=getPullRequest what=pull request #404$/,
    );
  });

  it("check 18: a fork PR whose head repository was deleted reads cleanly with headRepoAvailable=false", async () => {
    w.gh.addPull(w.repo, { number: 18, user: w.users.bob, headRepo: null });
    const pr = right(await forge.getPullRequest({ ...PR, number: 18 })());
    assert.equal(pr.headRepoAvailable, false);
  });

  it("check 3: labels are added with the App identity; removing an absent label succeeds", async () => {
    right(await forge.addLabel(PR, "ml-chatops:run")());
    const add = w.gh.log.filter((r) => r.operationId === "issues/add-labels").at(-1)!;
    assert.equal(add.caller, "ml-chatops[bot]");
    right(await forge.removeLabel(PR, "ml-chatops:run")());
    right(await forge.removeLabel(PR, "ml-chatops:run")());
    assert.deepEqual(w.repo.issues.get(7)!.labels, []);
  });

  it("check 65: upsert finds the bot's own marked comment only; a user's forged marker is never edited", async () => {
    const marker = "<!-- ml-chatops:report tfidf-keywords -->";
    const forged = w.gh.addComment(w.repo, 7, w.users.bob, `${marker}\nforged`);
    assert.ok(O.isNone(right(await forge.findComment(PR, marker)())));
    const first = right(await forge.upsertComment(PR, marker, `${marker}\nv1`)());
    const second = right(await forge.upsertComment(PR, marker, `${marker}\nv2`)());
    assert.equal(first.id, second.id);
    assert.equal(forged.body, `${marker}\nforged`);
    assert.deepEqual(right(await forge.findComment(PR, marker)()), O.some(`${marker}\nv2`));
  });

  it("finds the bot's comment beyond the first page of 100", async () => {
    w.gh.addPull(w.repo, { number: 30, user: w.users.bob });
    for (let i = 0; i < 150; i++) w.gh.addComment(w.repo, 30, w.users.bob, `chatter ${i}`);
    const marker = "<!-- ml-chatops:late -->";
    w.gh.addComment(w.repo, 30, w.app.bot, `${marker} here`);
    assert.deepEqual(right(await forge.findComment({ ...PR, number: 30 }, marker)()), O.some(`${marker} here`));
  });

  it("check 48: a create whose response was lost leaves exactly one results comment", async () => {
    w.gh.addPull(w.repo, { number: 48, user: w.users.bob });
    const marker = "<!-- ml-chatops:c48 -->";
    w.gh.faults.push({ operationId: "issues/create-comment", status: 502, after: true });
    right(await forge.upsertComment({ ...PR, number: 48 }, marker, `${marker} final`)());
    const mine = w.gh.commentsOn(w.repo, 48);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.body, `${marker} final`);
  });

  it("check 64: a body over 65,536 characters is cut to fit and accepted", async () => {
    const posted = right(await forge.reply(PR, "y".repeat(70_000))());
    const c = w.gh.state.comments.find((x) => x.id === posted.id)!;
    assert.ok(c.body.length <= 65_536);
    assert.match(c.body, /truncated/);
  });

  it("reactions 👀 🚀 😕 by the bot", async () => {
    const c = w.gh.addComment(w.repo, 7, w.users.writer, "/experiment run");
    for (const r of ["eyes", "rocket", "confused"] as const) right(await forge.react(PR, c.id, r)());
    assert.deepEqual(
      c.reactions.map((r) => [r.content, r.user.id]),
      [
        ["eyes", 4242],
        ["rocket", 4242],
        ["confused", 4242],
      ],
    );
  });
});

describe("GitHub forge: claims by reaction and head push times", () => {
  let w: World;
  let forge: GitHubForge;
  before(async () => {
    w = await createWorld();
    const octokit = w.appClient();
    forge = createGitHubForge({ octokit }, { identity: right(await resolveGitHubIdentity(octokit, "app")()) });
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  const prOf = async (number: number) => right(await forge.getPullRequest({ ...PR, number })());

  it("react resolves true when it added the reaction, false when the bot's was already there", async () => {
    const c = w.gh.addComment(w.repo, 7, w.users.writer, "/experiment run");
    assert.equal(right(await forge.react(PR, c.id, "eyes")()), true);
    assert.equal(right(await forge.react(PR, c.id, "eyes")()), false);
    assert.equal(right(await forge.react(PR, c.id, "rocket")()), true);
    assert.deepEqual(
      c.reactions.map((r) => r.content),
      ["eyes", "rocket"],
    );
  });

  it("check 39: two workers (separate clients of the same App) claim one comment concurrently -> exactly one wins", async () => {
    const c = w.gh.addComment(w.repo, 7, w.users.writer, "/experiment run max_df=0.4");
    const other = createGitHubForge({ octokit: w.appClient() }, { identity: forge.identity });
    const claims = await Promise.all([forge.react(PR, c.id, "rocket")(), other.react(PR, c.id, "rocket")()]);
    assert.deepEqual(claims.map(right).sort(), [false, true]);
    assert.equal(c.reactions.length, 1);
  });

  it("getPullRequest returns the head repository: the base for a same-repo PR, the fork for a fork PR, none when deleted", async () => {
    assert.deepEqual((await prOf(7)).headRepo, { owner: "octo", repo: "kw" });
    const fork = w.gh.addRepo("bob", "kw-fork", { private: false });
    w.gh.addPull(w.repo, {
      number: 50,
      user: w.users.bob,
      headRepo: { owner: fork.owner, name: fork.name },
      headRef: "tune",
    });
    assert.deepEqual((await prOf(50)).headRepo, { owner: "bob", repo: "kw-fork" });
    w.gh.addPull(w.repo, { number: 51, user: w.users.bob, headRepo: null });
    const gone = await prOf(51);
    assert.equal("headRepo" in gone, false);
    assert.equal(gone.headRepoAvailable, false);
  });

  describe("headPushedAt", () => {
    it("the push time of the current head, from the activity log (not a commit date)", async () => {
      w.gh.addPull(w.repo, { number: 60, user: w.users.bob, pushedAt: "2026-11-27T08:00:00Z" });
      assert.deepEqual(right(await forge.headPushedAt(await prOf(60))()), O.some("2026-11-27T08:00:00Z"));
      w.gh.push(w.repo, 60, undefined, { at: "2026-11-27T09:30:00Z", by: w.users.bob });
      assert.deepEqual(right(await forge.headPushedAt(await prOf(60))()), O.some("2026-11-27T09:30:00Z"));
      const call = w.gh.log.filter((r) => r.operationId === "repos/list-activities").at(-1)!;
      assert.match(call.path, /^\/repos\/octo\/kw\/activity$/);
      assert.equal(call.caller, "ml-chatops[bot]");
    });

    it("after a force-push back to an older SHA, the newest push of that SHA counts", async () => {
      const pull = w.gh.addPull(w.repo, { number: 61, user: w.users.bob, pushedAt: "2026-11-27T08:00:00Z" });
      const old = pull.pull!.headSha;
      w.gh.push(w.repo, 61, undefined, { at: "2026-11-27T09:00:00Z" });
      w.gh.push(w.repo, 61, old, { at: "2026-11-27T10:00:00Z", force: true });
      const pr = await prOf(61);
      assert.equal(pr.headSha, old);
      assert.deepEqual(right(await forge.headPushedAt(pr)()), O.some("2026-11-27T10:00:00Z"));
    });

    it("defaults to the fake's clock for a push, a minute earlier for the branch of a new PR", async () => {
      // App JWTs are checked against the fake's clock, so it is moved back only around the arrangement.
      w.gh.setClock(() => Date.parse("2026-11-27T12:00:00Z"));
      w.gh.addPull(w.repo, { number: 62, user: w.users.bob });
      w.gh.push(w.repo, 62);
      w.gh.setClock(() => Date.now());
      const activity = w.gh.state.repos.get("octo/kw")!.activities.filter((a) => a.ref === "refs/heads/feature-62");
      assert.deepEqual(
        activity.map((a) => [a.type, a.at]),
        [
          ["branch_creation", "2026-11-27T11:59:00Z"],
          ["push", "2026-11-27T12:00:00Z"],
        ],
      );
      assert.deepEqual(right(await forge.headPushedAt(await prOf(62))()), O.some("2026-11-27T12:00:00Z"));
    });

    it("None when GitHub has no record of the head's push", async () => {
      w.gh.addPull(w.repo, { number: 63, user: w.users.bob, pushedAt: "2026-11-27T08:00:00Z" });
      w.gh.push(w.repo, 63, undefined, { activity: false });
      assert.deepEqual(right(await forge.headPushedAt(await prOf(63))()), O.none);
      w.gh.addPull(w.repo, { number: 64, user: w.users.bob, activity: false });
      assert.deepEqual(right(await forge.headPushedAt(await prOf(64))()), O.none);
    });

    it("None without a head repository (deleted fork), and no request is made", async () => {
      const before = w.gh.log.length;
      assert.deepEqual(right(await forge.headPushedAt(await prOf(51))()), O.none);
      assert.equal(w.gh.log.length, before + 1); // the getPullRequest only
    });

    it("a fork PR reads the fork's activity, not the base repository's", async () => {
      const fork = w.gh.state.repos.get("bob/kw-fork")!;
      w.gh.push(w.repo, 50, undefined, { at: "2026-11-27T11:11:11Z", by: w.users.bob });
      // a same-named branch in the base repository must not be consulted
      w.gh.addActivity(w.repo, {
        branch: "tune",
        before: "0".repeat(40),
        after: w.repo.issues.get(50)!.pull!.headSha,
        type: "push",
        at: "2026-11-27T11:59:00Z",
      });
      assert.deepEqual(right(await forge.headPushedAt(await prOf(50))()), O.some("2026-11-27T11:11:11Z"));
      assert.equal(fork.activities.at(-1)?.after, w.repo.issues.get(50)!.pull!.headSha);
      const call = w.gh.log.filter((r) => r.operationId === "repos/list-activities").at(-1)!;
      assert.equal(call.path, "/repos/bob/kw-fork/activity");
    });

    it("404 on the fork's activity (private fork the App cannot see) -> None: no record, which the pipeline refuses by default", async () => {
      const hidden = w.gh.addRepo("bob", "secret-fork", { private: true });
      w.gh.addPull(w.repo, { number: 65, user: w.users.bob, headRepo: { owner: hidden.owner, name: hidden.name } });
      const pr = await prOf(65);
      const since = w.gh.log.length;
      assert.deepEqual(right(await forge.headPushedAt(pr)()), O.none);
      assert.deepEqual(
        w.gh.log.slice(since).map((r) => [r.operationId, r.status]),
        [["repos/list-activities", 404]],
      );
    });

    it("5xx after retries -> ForgeUnavailable", async () => {
      w.gh.faults.push({ operationId: "repos/list-activities", status: 502, times: 4 });
      assertError(
        left(await forge.headPushedAt(await prOf(60))()),
        "ForgeUnavailable",
        /^operation=headPushedAt cause=.*"status":502/,
      );
    });

    it("an activity answer of the wrong shape -> ForgeInvalidResponse naming the field", async () => {
      const pr = await prOf(60);
      w.gh.faults.push({
        operationId: "repos/list-activities",
        status: 200,
        body: [{ ref: `refs/heads/${pr.headRef}`, after: pr.headSha, timestamp: "yesterday" }],
      });
      const e = left(await forge.headPushedAt(pr)());
      assert.equal(e._tag, "ForgeInvalidResponse");
      assert.match(
        e._tag === "ForgeInvalidResponse" ? e.detail : "",
        /0\.timestamp: expected IsoDateTime, got "yesterday"/,
      );
      w.gh.faults.push({ operationId: "repos/list-activities", status: 200, body: { after: pr.headSha } });
      assertError(
        left(await forge.headPushedAt(pr)()),
        "ForgeInvalidResponse",
        /^operation=headPushedAt detail=\(root\): expected ReadonlyArray<.*>, got an object$/,
      );
    });
  });
});
