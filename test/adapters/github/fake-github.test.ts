import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Octokit } from "@octokit/core";
import { createAppAuth } from "@octokit/auth-app";
import {
  createFakeGitHub,
  BODY_LIMIT,
  type FakeGitHub,
  type FakeRepo,
  type FakeUser,
} from "../../support/fake-github/index.js";

describe("fake GitHub (shared test infrastructure)", () => {
  let gh: FakeGitHub;
  let repo: FakeRepo;
  let alice: FakeUser;
  let octokit: Octokit;
  before(async () => {
    gh = await createFakeGitHub();
    alice = gh.addUser("alice");
    repo = gh.addRepo("octo", "kw");
    gh.grant(repo, alice, "maintain");
    gh.addPull(repo, { number: 7, user: alice });
    octokit = new Octokit({ auth: gh.addToken(alice), request: { fetch: gh.fetch } });
  });
  after(() => assert.deepEqual(gh.problems, []));

  it("serves schema-valid pull requests and permission levels", async () => {
    const pr = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner: "octo",
      repo: "kw",
      pull_number: 7,
    });
    assert.equal(pr.data.number, 7);
    assert.match(pr.data.head.sha, /^[0-9a-f]{40}$/);
    const perm = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      owner: "octo",
      repo: "kw",
      username: "alice",
    });
    assert.deepEqual([perm.data.permission, perm.data.role_name], ["write", "maintain"]);
  });

  it("rejects requests that break the spec with 422 and the reason", async () => {
    const bad = { owner: "octo", repo: "kw", issue_number: 7, body: 5 as unknown as string };
    await assert.rejects(
      octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", bad),
      (e: { status: number; message: string }) => {
        assert.equal(e.status, 422);
        assert.match(e.message, /body must be string/);
        return true;
      },
    );
  });

  it("requires auth and rejects unknown tokens", async () => {
    const anon = new Octokit({ request: { fetch: gh.fetch } });
    await assert.rejects(
      anon.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner: "octo", repo: "kw", pull_number: 7 }),
      { status: 401 },
    );
    const wrong = new Octokit({ auth: "ghp_nope", request: { fetch: gh.fetch } });
    await assert.rejects(
      wrong.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner: "octo", repo: "kw", pull_number: 7 }),
      { status: 401 },
    );
  });

  it("check 64: enforces GitHub's 65,536-character comment limit (counted in characters)", async () => {
    const at = "😀".repeat(BODY_LIMIT);
    const ok = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: "octo",
      repo: "kw",
      issue_number: 7,
      body: at,
    });
    assert.equal(ok.status, 201);
    await assert.rejects(
      octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: "octo",
        repo: "kw",
        issue_number: 7,
        body: "x".repeat(BODY_LIMIT + 1),
      }),
      (e: { status: number; message: string }) =>
        e.status === 422 && /too long \(maximum is 65536 characters\)/.test(e.message),
    );
  });

  it("paginates comments with Link headers; only the author may edit a comment", async () => {
    const bob = gh.addUser("bob");
    for (let i = 0; i < 5; i++) gh.addComment(repo, 7, bob, `c${i}`);
    const page1 = await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: "octo",
      repo: "kw",
      issue_number: 7,
      per_page: 2,
    });
    assert.equal(page1.data.length, 2);
    assert.match(page1.headers.link ?? "", /page=2>; rel="next"/);
    const bobs = gh.commentsOn(repo, 7).find((c) => c.user.id === bob.id)!;
    await assert.rejects(
      octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner: "octo",
        repo: "kw",
        comment_id: bobs.id,
        body: "x",
      }),
      { status: 403 },
    );
  });

  it("labels: add, remove, 404 when absent; reactions are idempotent", async () => {
    await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
      owner: "octo",
      repo: "kw",
      issue_number: 7,
      labels: ["ml-chatops:run"],
    });
    assert.deepEqual(repo.issues.get(7)!.labels, ["ml-chatops:run"]);
    await octokit.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", {
      owner: "octo",
      repo: "kw",
      issue_number: 7,
      name: "ml-chatops:run",
    });
    await assert.rejects(
      octokit.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", {
        owner: "octo",
        repo: "kw",
        issue_number: 7,
        name: "ml-chatops:run",
      }),
      { status: 404 },
    );
    const c = gh.addComment(repo, 7, alice, "/experiment run");
    const r1 = await octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
      owner: "octo",
      repo: "kw",
      comment_id: c.id,
      content: "eyes",
    });
    const r2 = await octokit.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
      owner: "octo",
      repo: "kw",
      comment_id: c.id,
      content: "eyes",
    });
    assert.deepEqual([r1.status, r2.status, c.reactions.length], [201, 200, 1]);
  });

  it("contents: read, create, update with the blob sha, 422 without it, 409 on a stale sha (as GitHub)", async () => {
    gh.setFile(repo, "main", "a.json", "{}");
    const got = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: "octo",
      repo: "kw",
      path: "a.json",
    });
    const file = got.data as { content: string; sha: string };
    assert.equal(Buffer.from(file.content, "base64").toString("utf8"), "{}");
    const put = (sha?: string) =>
      octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", {
        owner: "octo",
        repo: "kw",
        path: "a.json",
        message: "m",
        content: Buffer.from("[1]").toString("base64"),
        ...(sha === undefined ? {} : { sha }),
      });
    await assert.rejects(
      put(),
      (e: { status?: number; message?: string }) => e.status === 422 && /"sha" wasn't supplied/.test(e.message ?? ""),
    );
    assert.equal((await put(file.sha)).status, 200);
    await assert.rejects(put(file.sha), { status: 409 });
  });

  it("check runs need an App; App JWT -> installation token works over loopback HTTP and a GHES prefix", async () => {
    await assert.rejects(
      octokit.request("POST /repos/{owner}/{repo}/check-runs", {
        owner: "octo",
        repo: "kw",
        name: "x",
        head_sha: "a".repeat(40),
      }),
      { status: 403 },
    );
    const app = gh.addApp({ slug: "ml-chatops" });
    gh.install(app, 42, [repo]);
    const server = await gh.listen();
    try {
      for (const baseUrl of [server.baseUrl, `${server.baseUrl}/api/v3`]) {
        const bot = new Octokit({
          baseUrl,
          authStrategy: createAppAuth,
          auth: { appId: app.id, privateKey: app.privateKey, installationId: 42 },
        });
        const run = await bot.request("POST /repos/{owner}/{repo}/check-runs", {
          owner: "octo",
          repo: "kw",
          name: "ml-chatops",
          head_sha: "a".repeat(40),
          status: "completed",
          conclusion: "success",
          output: { title: "t", summary: "s" },
        });
        assert.equal(run.data.app?.id, app.id);
      }
    } finally {
      await server.close();
    }
    assert.equal(gh.state.checkRuns.length, 2);
  });

  it("scripted faults answer before the handler, or after it (the write happened, the response was lost)", async () => {
    gh.faults.push({ operationId: "pulls/get", status: 502, body: { message: "Bad Gateway" } });
    await assert.rejects(
      octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner: "octo", repo: "kw", pull_number: 7 }),
      { status: 502 },
    );
    const n = gh.commentsOn(repo, 7).length;
    gh.faults.push({ operationId: "issues/create-comment", status: 502, after: true });
    await assert.rejects(
      octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: "octo",
        repo: "kw",
        issue_number: 7,
        body: "x",
      }),
      { status: 502 },
    );
    assert.equal(gh.commentsOn(repo, 7).length, n + 1);
  });
});
