/**
 * Conditional reads of `.github/ml-chatops.yml` and the baseline file (contents-cache.ts), driven
 * by the real Octokit over the fake GitHub: an unchanged file is a 304 (free of the rate limit),
 * a commit by another client is seen by the very next read (SECURITY-CHECKLIST 84: fresh state
 * only; 86: the current best is read where it lives; 29: a required role raised in the config
 * applies to the next event), nothing is ever answered from memory without GitHub's 304, and our
 * own write forgets the file.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { createCachedGitHubBaselineStore } from "../../../src/adapters/github/baseline-store.js";
import { createGitHubBot } from "../../../src/adapters/github/bot.js";
import { createContentsCache } from "../../../src/adapters/github/contents-cache.js";
import { readRepoConfig, REPO_CONFIG_PATH } from "../../../src/adapters/github/repo-config.js";
import { fromKeywordResult } from "../../../src/core/keyword-ranking.js";
import type { Sha } from "../../../src/core/model.js";
import { assertError } from "../../support/assert-error.js";
import { TEST_STATE_SECRET } from "../../support/actions-event.js";
import type { FakeRepo } from "../../support/fake-github/index.js";
import { createWorld, left, right, type World } from "./setup.js";

const REPO = { owner: "octo", repo: "kw" };
const PR = { ...REPO, number: 7 };
const BASELINE = ".ml-chatops/baseline.json";
const result = (term: string) => fromKeywordResult({ documents: [{ id: "d1", keywords: [{ term, score: 0.5 }] }] });
const meta = () => ({
  pr: PR,
  sha: "c".repeat(40) as Sha,
  promotedBy: { login: "wes", id: 11 },
  promotedAt: "2026-12-02T06:00:00Z",
});
const termOf = (entry: { readonly result: ReturnType<typeof result> }) =>
  entry.result.rankings?.["keywords"]?.["d1"]?.[0]?.term;

describe("conditional reads of the config and baseline files (contents API)", () => {
  let w: World;
  let repo: FakeRepo;
  before(async () => {
    w = await createWorld();
    repo = w.repo;
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  const contentReads = (from: number) => w.gh.log.slice(from).filter((x) => x.operationId === "repos/get-content");
  /** A commit by another client (a maintainer's own token), as a person or another bot process makes it. */
  const commitByAnotherClient = async (path: string, text: string) => {
    const other = w.tokenClient(w.users.maintainer);
    const sha = await other
      .request("GET /repos/{owner}/{repo}/contents/{path}", { ...REPO, path })
      .then((r) => (Array.isArray(r.data) ? undefined : r.data.sha))
      .catch(() => undefined);
    await other.request("PUT /repos/{owner}/{repo}/contents/{path}", {
      ...REPO,
      path,
      message: `edit ${path}`,
      content: Buffer.from(text).toString("base64"),
      ...(sha === undefined ? {} : { sha }),
    });
  };

  it("an unchanged config is revalidated with If-None-Match and answered 304; the kept file is what GitHub confirmed", async () => {
    w.gh.setFile(repo, "main", REPO_CONFIG_PATH, "label: ml-chatops:go\n");
    const contents = createContentsCache(w.appClient());
    const from = w.gh.log.length;
    const first = right(await readRepoConfig(contents, REPO)());
    const second = right(await readRepoConfig(contents, REPO)());
    const reads = contentReads(from);
    assert.deepEqual(
      reads.map((r) => r.status),
      [200, 304],
    );
    assert.equal(reads[0]?.ifNoneMatch, undefined, "the first read is a full one");
    assert.match(reads[1]?.ifNoneMatch ?? "", /^W\/"[0-9a-f]{32}"$/);
    assert.equal(first.pipeline.label, "ml-chatops:go");
    assert.deepEqual(second, first);
  });

  it("checks 84 and 29: a required role raised by another client's commit applies on the very next read", async () => {
    w.gh.setFile(repo, "main", REPO_CONFIG_PATH, "requiredRole:\n  run: write\n");
    const contents = createContentsCache(w.appClient());
    assert.equal(right(await readRepoConfig(contents, REPO)()).pipeline.requiredRole.run, "write");
    await commitByAnotherClient(REPO_CONFIG_PATH, "requiredRole:\n  run: maintain\n");
    const from = w.gh.log.length;
    assert.equal(right(await readRepoConfig(contents, REPO)()).pipeline.requiredRole.run, "maintain");
    const [read] = contentReads(from);
    assert.notEqual(read?.ifNoneMatch, undefined, "it was a conditional read");
    assert.equal(read?.status, 200, "the ETag changed with the file: GitHub sent the new one");
  });

  it("a config deleted meanwhile means the defaults at once, and the file is no longer kept", async () => {
    w.gh.setFile(repo, "main", REPO_CONFIG_PATH, "requiredRole:\n  run: admin\n");
    const contents = createContentsCache(w.appClient());
    assert.equal(right(await readRepoConfig(contents, REPO)()).pipeline.requiredRole.run, "admin");
    repo.files.get("main")?.delete(REPO_CONFIG_PATH);
    assert.equal(right(await readRepoConfig(contents, REPO)()).pipeline.requiredRole.run, "write");
    assert.equal(contents.size(), 0);
  });

  it("a failed revalidation is an error, never the kept answer", async () => {
    w.gh.setFile(repo, "main", REPO_CONFIG_PATH, "label: ml-chatops:kept\n");
    const contents = createContentsCache(w.appClient());
    right(await readRepoConfig(contents, REPO)());
    // More 502s than the retry plugin's attempts: GitHub cannot confirm the file.
    w.gh.faults.push({ operationId: "repos/get-content", status: 502, body: { message: "Bad Gateway" }, times: 5 });
    const e = left(await readRepoConfig(contents, REPO)());
    assertError(e, "ForgeUnavailable", /operation=repoConfig .*502/);
    w.gh.faults.length = 0;
    assert.equal(right(await readRepoConfig(contents, REPO)()).pipeline.label, "ml-chatops:kept");
  });

  it("each (repository, path, ref) is its own entry: a 304 for one ref never answers for another", async () => {
    const head = repo.issues.get(7)?.pull?.headRef ?? "";
    w.gh.setFile(repo, "main", BASELINE, "{}\n");
    w.gh.setFile(repo, head, BASELINE, '{"x": 1}\n');
    const contents = createContentsCache(w.appClient());
    const textOf = async (ref: string | undefined) => {
      const f = right(await contents.read(REPO, BASELINE, ref, "test")());
      return O.isSome(f) && f.value._tag === "File" ? f.value.text : "(none)";
    };
    const from = w.gh.log.length;
    const seen = [await textOf(undefined), await textOf(head), await textOf(undefined), await textOf(head)];
    assert.deepEqual(seen, ["{}\n", '{"x": 1}\n', "{}\n", '{"x": 1}\n']);
    assert.deepEqual(
      contentReads(from).map((r) => r.status),
      [200, 200, 304, 304],
    );
  });

  it("keeps at most the files it was told to, the least recently read going first", async () => {
    for (const p of ["a.txt", "b.txt", "c.txt"]) w.gh.setFile(repo, "main", p, p);
    const contents = createContentsCache(w.appClient(), 2);
    for (const p of ["a.txt", "b.txt", "a.txt", "c.txt"]) right(await contents.read(REPO, p, undefined, "test")());
    assert.equal(contents.size(), 2);
    const from = w.gh.log.length;
    right(await contents.read(REPO, "a.txt", undefined, "test")());
    right(await contents.read(REPO, "b.txt", undefined, "test")());
    assert.deepEqual(
      contentReads(from).map((r) => r.status),
      [304, 200],
      "b was evicted, a was kept",
    );
  });

  it("check 86: the baseline is revalidated per load, another client's promote is seen at once, our own write forgets the file", async () => {
    const octokit = w.appClient();
    const contents = createContentsCache(octokit);
    const store = createCachedGitHubBaselineStore({ octokit, contents });
    right(await store.save("tfidf-keywords", result("first"), meta())());
    assert.equal(contents.size(), 0, "our write forgot the file");
    let from = w.gh.log.length;
    right(await store.load("tfidf-keywords", PR)());
    const loaded = right(await store.load("tfidf-keywords", PR)());
    assert.equal(O.isSome(loaded) ? termOf(loaded.value) : undefined, "first");
    assert.deepEqual(
      contentReads(from).map((r) => [r.status, r.ifNoneMatch === undefined]),
      [
        [200, true],
        [304, false],
      ],
    );

    const theirs = JSON.stringify({
      "tfidf-keywords": { result: result("theirs"), meta: { ...meta(), promotedBy: { login: "mia", id: 12 } } },
    });
    await commitByAnotherClient(BASELINE, theirs);
    const after = right(await store.load("tfidf-keywords", PR)());
    assert.equal(O.isSome(after) ? termOf(after.value) : undefined, "theirs");

    right(await store.save("tfidf-keywords", result("ours"), meta())());
    assert.equal(contents.size(), 0, "our write forgot the file");
    from = w.gh.log.length;
    const ours = right(await store.load("tfidf-keywords", PR)());
    assert.equal(O.isSome(ours) ? termOf(ours.value) : undefined, "ours");
    assert.equal(contentReads(from)[0]?.ifNoneMatch, undefined, "after our write: a full read");
  });

  it("a long-lived bot keeps one cache: its second config read is a 304, another client's change is seen next", async () => {
    w.gh.setFile(repo, "main", REPO_CONFIG_PATH, "label: ml-chatops:one\n");
    const bot = createGitHubBot(
      { octokit: w.appClient(), identity: { login: "ml-chatops[bot]", id: 4242 } },
      { stateSecret: TEST_STATE_SECRET, runnerFor: () => assert.fail("no run here"), experiments: [] },
    );
    const from = w.gh.log.length;
    const one = await bot.readConfig(REPO)();
    const again = await bot.readConfig(REPO)();
    await commitByAnotherClient(REPO_CONFIG_PATH, "label: ml-chatops:two\n");
    const two = await bot.readConfig(REPO)();
    assert.deepEqual(
      [one, again, two].map((c) => (E.isRight(c) ? c.right.pipeline.label : c.left._tag)),
      ["ml-chatops:one", "ml-chatops:one", "ml-chatops:two"],
    );
    assert.deepEqual(
      contentReads(from)
        .filter((r) => r.caller === "ml-chatops[bot]")
        .map((r) => r.status),
      [200, 304, 200],
    );
  });

  it("check 84: a checkout's file answers its first read on the default branch only; every later read asks GitHub", async () => {
    w.gh.setFile(repo, "main", REPO_CONFIG_PATH, "label: ml-chatops:now\n");
    const checkout = {
      repo: { owner: "Octo", repo: "KW" },
      commit: "d".repeat(40),
      files: new Map([
        [REPO_CONFIG_PATH, { text: "label: ml-chatops:then\n", sha: "e".repeat(40) }],
        [BASELINE, null],
      ]),
    };
    const contents = createContentsCache(w.appClient(), 8, checkout);
    const from = w.gh.log.length;
    const text = (f: O.Option<{ readonly _tag: string; readonly text?: string }>) =>
      O.isSome(f) ? f.value.text : "absent";
    // Another ref, and another repository, are never answered from the checkout.
    right(await contents.read(REPO, REPO_CONFIG_PATH, "main", "repoConfig")());
    right(await contents.read({ owner: "octo", repo: "elsewhere" }, REPO_CONFIG_PATH, undefined, "repoConfig")());
    assert.equal(contentReads(from).length, 2);
    const seeded = w.gh.log.length;
    assert.equal(
      text(right(await contents.read(REPO, REPO_CONFIG_PATH, undefined, "repoConfig")())),
      "label: ml-chatops:then\n",
    );
    assert.equal(text(right(await contents.read(REPO, BASELINE, undefined, "baseline")())), "absent");
    assert.equal(contentReads(seeded).length, 0, "the checkout answered both first reads");
    // The next read is GitHub's, in full (a checkout's file has no validator): the newest commit.
    assert.equal(
      text(right(await contents.read(REPO, REPO_CONFIG_PATH, undefined, "repoConfig")())),
      "label: ml-chatops:now\n",
    );
    assert.deepEqual(
      contentReads(seeded).map((r) => r.status),
      [200],
    );
    // Our own write forgets a file the checkout has not answered yet: its text is no longer current.
    const again = createContentsCache(w.appClient(), 8, checkout);
    again.forget(REPO, REPO_CONFIG_PATH);
    assert.equal(
      text(right(await again.read(REPO, REPO_CONFIG_PATH, undefined, "repoConfig")())),
      "label: ml-chatops:now\n",
    );
  });
});
