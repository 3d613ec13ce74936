/**
 * Issue 10, the keywords example as a user runs it: a repository holding only keywords.py, its
 * corpus, its .github/ml-chatops.yml and the installed package. A PR comment runs it through the
 * installed CLI on the local runner (bubblewrap, as by default: MeCab's config and Debian's
 * dictionaries are visible read-only inside) and the report compares the keyword rankings with
 * the current best, which `ml-chatops run --save-as-baseline` made at the default parameters.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { installExample, type InstalledChatOps } from "./installed-chatops.js";

describe("issue 10 end to end: the keywords example, installed, from a PR comment to a rankings report", () => {
  let t: InstalledChatOps;
  before(async () => {
    t = await installExample("keywords");
  });
  after(() => t.close());

  it("the current best on the default branch is the local run's rankings at the default parameters", () => {
    const file = JSON.parse(t.baselineText) as Record<
      string,
      {
        result: { rankings: { keywords: Record<string, Array<{ term: string }>> } };
        meta: { params: Record<string, string> };
      }
    >;
    const best = file["keywords"];
    assert.deepEqual(Object.keys(best?.result.rankings.keywords ?? {}).length, 8);
    assert.deepEqual(best?.meta.params, { top: "5", max_df: "0.5", min_df: "1", sublinear_tf: "false" });
  });

  it("/experiment run sublinear_tf=true → label → local run in bubblewrap → the rankings diffed against the current best, per document", async () => {
    t.w.gh.addPull(t.w.repo, { number: 31, user: t.w.users.bob, headSha: t.sha });
    const body = await t.run(31, "/experiment run sublinear_tf=true");
    const lines = body.split("\n");
    const has = (line: string) => assert.ok(lines.includes(line), `no line ${JSON.stringify(line)} in\n${body}`);
    has(`### keywords: succeeded at \`${t.sha.slice(0, 7)}\``);
    has("- **Parameters:** top = 5, max\\_df = 0.5, min\\_df = 1, sublinear\\_tf = true");
    has("- **Current best's parameters:** top = 5, max\\_df = 0.5, min\\_df = 1, sublinear\\_tf = false");
    assert.ok(
      lines.some((l) =>
        l.startsWith(
          `- **Current best:** no pull request at \`${t.sha.slice(0, 7)}\`, promoted by Data Scientist on 20`,
        ),
      ),
      body,
    );
    // The delta and verdict of a rankings-only experiment: how many documents changed, and how much.
    has(
      "**Against the baseline:** 1 of 8 documents changed; mean top-5 overlap 0.95 over the 8 documents present in both.",
    );
    has("| talk-04 | 0.60 | hints ↑2, how ↑2, in ↑2, **pipeline** ➕, **type** ➕ | ~~data~~ ➖, ~~we~~ ➖ |");
    // MeCab ran inside the sandbox: the Japanese nouns are split as IPADIC splits them.
    has("| talk-02 | 1.00 | 日本語, 検索, 形態素, 解析, mecab |  |");
    has("[ml-chatops] sandbox: bubblewrap, network off");
    has("8 documents, 172 terms, wrote out/result.json");
  });
});
