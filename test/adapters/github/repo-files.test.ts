import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { createGitHubBaselineStore } from "../../../src/adapters/github/baseline-store.js";
import { loadRepoConfig, parseRepoConfig, REPO_CONFIG_PATH } from "../../../src/adapters/github/repo-config.js";
import type { KeywordResult, Sha } from "../../../src/core/model.js";
import { fromKeywordResult } from "../../../src/core/keyword-ranking.js";
import type { ExperimentResult } from "../../../src/core/result.js";
import { createWorld, left, right, type World } from "./setup.js";
import { assertError } from "../../support/assert-error.js";

const PR = { owner: "octo", repo: "kw", number: 7 };
const legacy = (term: string): KeywordResult => ({ documents: [{ id: "d1", keywords: [{ term, score: 0.5 }] }] });
const result = (term: string): ExperimentResult => fromKeywordResult(legacy(term));
const meta = (number = 7) => ({
  pr: { ...PR, number },
  sha: "c".repeat(40) as Sha,
  promotedBy: { login: "wes", id: 11 },
  promotedAt: "2026-11-27T16:00:00Z",
});

describe("GitHub baseline store and repository config", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("no baseline file -> none", async () => {
    const store = createGitHubBaselineStore({ octokit: w.appClient() });
    assert.deepEqual(right(await store.load("tfidf-keywords", PR)()), O.none);
  });

  it("commitTo pr-branch commits to the PR branch (reviewed with the PR); load keeps reading the default branch", async () => {
    const store = createGitHubBaselineStore({ octokit: w.appClient() }, { commitTo: "pr-branch" });
    right(await store.save("tfidf-keywords", result("graph"), meta())()); // create
    right(await store.save("tfidf-keywords", result("tensor"), meta())()); // update with the blob sha
    const headRef = w.repo.issues.get(7)!.pull!.headRef;
    const text = w.repo.files.get(headRef)!.get(".ml-chatops/baseline.json")!;
    assert.equal(
      JSON.parse(text)["tfidf-keywords"].result.rankings.keywords.d1[0].term,
      "tensor",
      "written in the result contract's form",
    );
    assert.deepEqual(
      w.repo.commits.map((c) => [c.branch, c.author.login]),
      [
        [headRef, "ml-chatops[bot]"],
        [headRef, "ml-chatops[bot]"],
      ],
    );
    assert.match(w.repo.commits[0]!.message, /promote tfidf-keywords from #7 \(ccccccc\) by @wes/);
    assert.deepEqual(right(await store.load("tfidf-keywords", PR)()), O.none);
  });

  it("commitTo default-branch lands it on main, where load finds it; other experiments (in the earlier keyword format) are kept", async () => {
    w.gh.setFile(
      w.repo,
      "main",
      ".ml-chatops/baseline.json",
      JSON.stringify({ other: { result: legacy("x"), meta: meta() } }),
    );
    const store = createGitHubBaselineStore({ octokit: w.appClient() }, { commitTo: "default-branch" });
    right(await store.save("tfidf-keywords", result("graph"), meta())());
    assert.deepEqual(
      right(await store.load("tfidf-keywords", PR)()),
      O.some({ result: result("graph"), meta: meta() }),
    );
    assert.deepEqual(
      right(await store.load("other", PR)()),
      O.some({ result: result("x"), meta: meta() }),
      "an earlier keyword result reads as the keywords ranking",
    );
  });

  it("a concurrent commit in between (409) is retried once with a fresh sha", async () => {
    const store = createGitHubBaselineStore({ octokit: w.appClient() }, { commitTo: "default-branch" });
    w.gh.faults.push({
      operationId: "repos/create-or-update-file-contents",
      status: 409,
      body: { message: "sha mismatch" },
    });
    right(await store.save("tfidf-keywords", result("again"), meta())());
    assert.deepEqual(
      right(await store.load("tfidf-keywords", PR)()),
      O.some({ result: result("again"), meta: meta() }),
    );
  });

  it("commitTo pr-branch: a fork PR's branch cannot take the commit: a clear conflict, nothing written", async () => {
    w.gh.addPull(w.repo, { number: 40, user: w.users.bob, headRepo: { owner: "bob", name: "kw" } });
    const store = createGitHubBaselineStore({ octokit: w.appClient() }, { commitTo: "pr-branch" });
    const e = left(await store.save("tfidf-keywords", result("x"), meta(40))());
    assert.equal(e._tag, "StoreConflict");
    assert.match(e._tag === "StoreConflict" ? e.detail : "", /fork/);
  });

  it("a corrupt baseline file is StoreCorrupt naming the file", async () => {
    w.gh.setFile(w.repo, "main", ".ml-chatops/baseline.json", "{not json");
    const store = createGitHubBaselineStore({ octokit: w.appClient() });
    assertError(
      left(await store.load("tfidf-keywords", PR)()),
      "StoreCorrupt",
      /^store=github baseline detail=\.ml-chatops\/baseline\.json@main: not JSON$/,
    );
    w.gh.setFile(w.repo, "main", ".ml-chatops/baseline.json", "{}");
  });

  describe("repository config", () => {
    it("missing file -> defaults", async () => {
      const c = right(await loadRepoConfig({ octokit: w.appClient() }, PR)());
      assert.equal(c.pipeline.label, "ml-chatops:run");
      assert.equal(c.pipeline.requiredRole.run, "write");
    });

    it("is read from the default branch only, never from the PR branch", async () => {
      w.gh.setFile(w.repo, "main", REPO_CONFIG_PATH, "requiredRole:\n  run: maintain\n");
      w.gh.setFile(w.repo, w.repo.issues.get(7)!.pull!.headRef, REPO_CONFIG_PATH, "requiredRole:\n  run: read\n");
      const c = right(await loadRepoConfig({ octokit: w.appClient() }, PR)());
      assert.equal(c.pipeline.requiredRole.run, "maintain");
      assert.equal(c.pipeline.requiredRole.promote, "write");
    });

    it("an invalid file is one error naming the bad field", async () => {
      w.gh.setFile(w.repo, "main", REPO_CONFIG_PATH, "requiredRole:\n  run: superuser\n");
      const e = left(await loadRepoConfig({ octokit: w.appClient() }, PR)());
      assert.equal(e._tag, "RepoConfigInvalid");
      assert.match(
        e._tag === "RepoConfigInvalid" ? e.detail : "",
        /^\.github\/ml-chatops\.yml: requiredRole\.run: expected "none" \| .*, got "superuser"$/,
      );
      w.gh.setFile(w.repo, "main", REPO_CONFIG_PATH, "");
    });

    const bad: ReadonlyArray<[string, string, RegExp]> = [
      ["unknown field (typo)", "labl: x\n", /unknown field `labl`/],
      ["YAML syntax, with the line", "label: [unclosed\n", /ml-chatops\.yml: .*line/i],
      ["check 67: label over 50 characters", `label: ${"l".repeat(51)}\n`, /label/],
      ["trigger without a slash", "trigger: run\n", /trigger/],
      ["wrong type", "allowEdits: yes please\n", /allowEdits/],
      ["unknownPushTime outside refuse|allow", "unknownPushTime: sometimes\n", /unknownPushTime/],
      [
        "a value nested 3,000 deep is one line, never a stack overflow in the report",
        `runner:\n  settings: ${"[".repeat(3000)}${"]".repeat(3000)}\n`,
        /^\.github\/ml-chatops\.yml: /,
      ],
    ];
    for (const [name, text, re] of bad) {
      it(`rejects: ${name}`, () => {
        const r = parseRepoConfig(text);
        assert.ok(E.isLeft(r));
        assert.match(r.left, re);
        assert.doesNotMatch(r.left, /\n/);
      });
    }

    it("merges a valid file over defaults", () => {
      const r = parseRepoConfig(
        "trigger: /kw\nlabel: kw:go\nrunner:\n  kind: codebuild\n  settings: { projectName: p }\nbaseline:\n  commitTo: default-branch\n",
      );
      assert.ok(E.isRight(r));
      assert.deepEqual(
        [
          r.right.pipeline.trigger,
          r.right.pipeline.label,
          r.right.runner.kind,
          r.right.baseline.commitTo,
          r.right.events.allowEdits,
        ],
        ["/kw", "kw:go", "codebuild", "default-branch", false],
      );
      assert.equal(r.right.pipeline.unknownPushTime, "refuse", "refusing is the default");
    });

    it("unknownPushTime: allow reaches the pipeline config", () => {
      const r = parseRepoConfig("unknownPushTime: allow\n");
      assert.ok(E.isRight(r));
      assert.equal(r.right.pipeline.unknownPushTime, "allow");
    });
  });
});
