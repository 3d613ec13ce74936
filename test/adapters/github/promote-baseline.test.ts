// Check 86: the current best lives where it is read. `promote` writes the default branch through
// the contents API with the file's blob SHA as an optimistic lock; a fork PR works (nothing is
// written to the fork, which the bot could not write anyway); a concurrent writer is never
// overwritten, and a writer that keeps losing the race gets a clear conflict.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as O from "fp-ts/Option";
import { createGitHubBaselineStore } from "../../../src/adapters/github/baseline-store.js";
import type { Sha } from "../../../src/core/model.js";
import { fromKeywordResult } from "../../../src/core/keyword-ranking.js";
import type { ExperimentResult } from "../../../src/core/result.js";
import { blobSha } from "../../support/fake-github/state.js";
import { createWorld, left, right, type World } from "./setup.js";

const PR = { owner: "octo", repo: "kw", number: 7 };
const FILE = ".ml-chatops/baseline.json";
const result = (term: string): ExperimentResult =>
  fromKeywordResult({ documents: [{ id: "d1", keywords: [{ term, score: 0.5 }] }] });
const meta = (number = 7) => ({
  pr: { ...PR, number },
  sha: "c".repeat(40) as Sha,
  promotedBy: { login: "wes", id: 11 },
  promotedAt: "2026-11-27T16:00:00Z",
});

describe("check 86: promote writes the baseline to the default branch", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));
  const mainFile = () =>
    JSON.parse(w.repo.files.get("main")?.get(FILE) ?? "{}") as Record<string, { result: ExperimentResult }>;

  it("by default: main gets the commit, load reads it back, the PR head does not move", async () => {
    const head = w.repo.issues.get(7)!.pull!;
    const before = head.headSha;
    const store = createGitHubBaselineStore({ octokit: w.appClient() });
    right(await store.save("tfidf-keywords", result("graph"), meta())());
    assert.deepEqual(
      right(await store.load("tfidf-keywords", PR)()),
      O.some({ result: result("graph"), meta: meta() }),
    );
    assert.equal(head.headSha, before);
    assert.equal(w.repo.files.get(head.headRef)?.get(FILE), undefined);
    assert.deepEqual(
      w.repo.commits.map((c) => [c.branch, c.author.login]),
      [["main", "ml-chatops[bot]"]],
    );
  });

  it("a fork PR promotes to the base repository's default branch; the bot cannot write the fork", async () => {
    const fork = w.gh.addRepo("bob", "kw");
    w.gh.addPull(w.repo, { number: 41, user: w.users.bob, headRepo: { owner: "bob", name: "kw" } });
    const store = createGitHubBaselineStore({ octokit: w.appClient() });
    right(await store.save("tfidf-keywords", result("forked"), meta(41))());
    assert.equal(mainFile()["tfidf-keywords"]?.result.rankings?.["keywords"]?.["d1"]?.[0]?.term, "forked");
    assert.equal(fork.commits.length, 0);
    // What pr-branch would have to do is refused by GitHub (the App is not installed on the fork).
    const direct = await w
      .appClient()
      .request("PUT /repos/{owner}/{repo}/contents/{path}", {
        owner: "bob",
        repo: "kw",
        path: FILE,
        message: "x",
        content: "e30=",
      })
      .then(
        () => 0,
        (e: { status?: number }) => e.status ?? -1,
      );
    assert.ok(direct === 403 || direct === 404, `status ${direct}`);
    assert.equal(fork.commits.length, 0);
  });

  it("a commit by another process between our read and our write (409) is kept: we re-read and add on top", async () => {
    const other = createGitHubBaselineStore({ octokit: w.appClient() });
    let raced = false;
    const racing = w.appClient({
      fetch: async (url, init) => {
        if (init?.method === "PUT" && !raced) {
          raced = true;
          right(await other.save("other-experiment", result("theirs"), meta())());
        }
        return w.gh.fetch(url, init);
      },
    });
    right(await createGitHubBaselineStore({ octokit: racing }).save("tfidf-keywords", result("ours"), meta())());
    const puts = w.gh.log.filter((x) => x.operationId === "repos/create-or-update-file-contents").map((x) => x.status);
    // Theirs lands, our write with the stale blob sha is refused (409), our re-read write lands.
    assert.deepEqual([puts.at(-1), puts.includes(409)], [200, true]);
    assert.equal(mainFile()["other-experiment"]?.result.rankings?.["keywords"]?.["d1"]?.[0]?.term, "theirs");
    assert.equal(mainFile()["tfidf-keywords"]?.result.rankings?.["keywords"]?.["d1"]?.[0]?.term, "ours");
  });

  it("a writer that loses the race twice gets a clear conflict and overwrites nothing", async () => {
    const other = createGitHubBaselineStore({ octokit: w.appClient() });
    let n = 0;
    const racing = w.appClient({
      fetch: async (url, init) => {
        if (init?.method === "PUT") right(await other.save("other-experiment", result(`theirs-${++n}`), meta())());
        return w.gh.fetch(url, init);
      },
    });
    const e = left(
      await createGitHubBaselineStore({ octokit: racing }).save("tfidf-keywords", result("lost"), meta())(),
    );
    assert.deepEqual(e, {
      _tag: "StoreConflict",
      store: "github baseline",
      detail: `${FILE} changed on the default branch while promoting (HTTP 409); promote again to build on the newer file`,
    });
    assert.match(
      mainFile()["other-experiment"]?.result.rankings?.["keywords"]?.["d1"]?.[0]?.term ?? "",
      /^theirs-\d+$/,
    );
    assert.equal(mainFile()["tfidf-keywords"]?.result.rankings?.["keywords"]?.["d1"]?.[0]?.term, "ours");
  });

  it("an update without the blob sha is GitHub's 422, reported as a conflict after one retry", async () => {
    w.gh.faults.push({
      operationId: "repos/create-or-update-file-contents",
      status: 422,
      body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' },
    });
    w.gh.faults.push({
      operationId: "repos/create-or-update-file-contents",
      status: 422,
      body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' },
    });
    const e = left(
      await createGitHubBaselineStore({ octokit: w.appClient() }).save("tfidf-keywords", result("x"), meta())(),
    );
    assert.deepEqual(e, {
      _tag: "StoreConflict",
      store: "github baseline",
      detail: `${FILE} changed on the default branch while promoting (HTTP 422); promote again to build on the newer file`,
    });
  });
});

// Promote loads the current best, compares, then saves: the file is read once, and the save's lock
// is the blob sha of that read, so a commit in between is GitHub's 409, never overwritten (check 86).
describe("check 86: promote reads the baseline file once; its blob sha locks the save", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));
  const mainFile = () =>
    JSON.parse(w.repo.files.get("main")?.get(FILE) ?? "{}") as Record<string, { result: ExperimentResult }>;
  const termIn = (experimentId: string) => mainFile()[experimentId]?.result.rankings?.["keywords"]?.["d1"]?.[0]?.term;
  const fileOps = (from: number) =>
    w.gh.log
      .slice(from)
      .filter((x) => x.operationId === "repos/get-content" || x.operationId === "repos/create-or-update-file-contents")
      .map((x) => `${x.method} ${x.status}${x.caller === "ml-chatops[bot]" ? "" : ` by ${x.caller}`}`);
  /** Another client (a second bot process, with its own client and store) promotes meanwhile. */
  const anotherClientSaves = async (experimentId: string, term: string) =>
    right(
      await createGitHubBaselineStore({ octokit: w.tokenClient(w.users.maintainer) }).save(
        experimentId,
        result(term),
        meta(),
      )(),
    );

  it("load then save: one read, and the PUT carries the blob sha that read answered", async () => {
    await anotherClientSaves("tfidf-keywords", "before");
    const loaded = w.repo.files.get("main")?.get(FILE) ?? "";
    const store = createGitHubBaselineStore({ octokit: w.appClient() });
    const from = w.gh.log.length;
    right(await store.load("tfidf-keywords", PR)());
    right(await store.save("tfidf-keywords", result("ours"), meta())());
    assert.deepEqual(fileOps(from), ["GET 200", "PUT 200"]);
    const put = w.gh.log.slice(from).find((x) => x.method === "PUT");
    assert.equal((put?.body as { sha?: unknown } | undefined)?.sha, blobSha(loaded));
    assert.equal(termIn("tfidf-keywords"), "ours");
  });

  it("a second client's promote of the same experiment between load and save: GitHub's 409 is the conflict, theirs is kept", async () => {
    const store = createGitHubBaselineStore({ octokit: w.appClient() });
    right(await store.load("tfidf-keywords", PR)());
    await anotherClientSaves("tfidf-keywords", "theirs");
    const from = w.gh.log.length;
    const e = left(await store.save("tfidf-keywords", result("compared-with-stale"), meta())());
    assert.deepEqual(e, {
      _tag: "StoreConflict",
      store: "github baseline",
      detail: `${FILE} changed on the default branch while promoting (HTTP 409); promote again to build on the newer file`,
    });
    // One re-read tells what changed: the entry promote compared with, so nothing is written on top.
    assert.deepEqual(fileOps(from), ["PUT 409", "GET 200"]);
    assert.equal(termIn("tfidf-keywords"), "theirs");
  });

  it("a second client's commit of another experiment between load and save: 409, one re-read, both kept", async () => {
    const store = createGitHubBaselineStore({ octokit: w.appClient() });
    right(await store.load("tfidf-keywords", PR)());
    await anotherClientSaves("other-experiment", "theirs");
    const from = w.gh.log.length;
    right(await store.save("tfidf-keywords", result("ours-again"), meta())());
    assert.deepEqual(fileOps(from), ["PUT 409", "GET 200", "PUT 200"]);
    assert.deepEqual([termIn("other-experiment"), termIn("tfidf-keywords")], ["theirs", "ours-again"]);
  });

  it("no file when loaded, one with our experiment by the save: GitHub's 422 (no sha) is the conflict", async () => {
    w.repo.files.get("main")?.delete(FILE);
    const store = createGitHubBaselineStore({ octokit: w.appClient() });
    assert.deepEqual(right(await store.load("tfidf-keywords", PR)()), O.none);
    await anotherClientSaves("tfidf-keywords", "first-best");
    const from = w.gh.log.length;
    const e = left(await store.save("tfidf-keywords", result("compared-with-nothing"), meta())());
    assert.deepEqual(e, {
      _tag: "StoreConflict",
      store: "github baseline",
      detail: `${FILE} changed on the default branch while promoting (HTTP 422); promote again to build on the newer file`,
    });
    assert.deepEqual(fileOps(from), ["PUT 422", "GET 200"]);
    assert.equal(termIn("tfidf-keywords"), "first-best");
  });
});
