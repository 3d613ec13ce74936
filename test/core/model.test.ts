import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import { PathReporter } from "io-ts/PathReporter";
import { Sha, RunKey, hasRole, runKeyId, sameRunKey, toRunKey, PullRequestRef } from "../../src/core/model.js";

describe("model codecs", () => {
  const cases: ReadonlyArray<[string, unknown, boolean]> = [
    ["full lower-case sha", "0123456789abcdef0123456789abcdef01234567", true],
    ["short sha", "0123456", false],
    ["upper-case sha", "0123456789ABCDEF0123456789ABCDEF01234567", false],
    ["41 chars", "0123456789abcdef0123456789abcdef012345678", false],
    ["not a string", 42, false],
  ];
  for (const [name, input, ok] of cases) {
    it(`Sha: ${name}`, () => assert.equal(E.isRight(Sha.decode(input)), ok));
  }

  it("RunKey is structured: the pull request and the experiment are fields, the text form only an id", () => {
    const key = toRunKey({ owner: "octo", repo: "kw", number: 7 }, "tfidf-keywords");
    assert.deepEqual(key, { pr: { owner: "octo", repo: "kw", number: 7 }, experiment: "tfidf-keywords" });
    assert.ok(RunKey.is(key));
    assert.equal(runKeyId(key), "octo/kw#7:tfidf-keywords");
    assert.ok(sameRunKey(key, toRunKey({ owner: "octo", repo: "kw", number: 7 }, "tfidf-keywords")));
    assert.ok(!sameRunKey(key, toRunKey({ owner: "octo", repo: "kw", number: 8 }, "tfidf-keywords")));
    assert.ok(!RunKey.is("octo/kw#7:tfidf-keywords"), "the old string form is not a key");
  });

  it("a bad payload names the failing path", () => {
    const r = PullRequestRef.decode({ owner: "o", repo: "r", number: 1, headRef: "main", headSha: "abc" });
    assert.ok(E.isLeft(r));
    assert.match(PathReporter.report(r).join("\n"), /headSha/);
  });

  it("roles are ordered", () => {
    assert.ok(hasRole("admin", "write"));
    assert.ok(hasRole("write", "write"));
    assert.ok(!hasRole("triage", "write"));
    assert.ok(!hasRole("none", "read"));
  });
});
