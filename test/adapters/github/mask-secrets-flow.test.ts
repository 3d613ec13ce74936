/**
 * Check 82, end to end: a run that prints every secret the bot holds, and token shapes it never
 * held, through the real pipeline, Octokit and the fake GitHub. The report comment, the replies
 * and the check run GitHub stores hold none of them.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as TE from "fp-ts/TaskEither";
import { result } from "../../support/core-fakes.js";
import { commentPayload, pullPayload } from "../../fixtures/github/payloads.js";
import { createWorld, type World } from "./setup.js";
import { BOT, SECRET, createHarness } from "./harness.js";

const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAflowTestKeyMaterial0123\n-----END RSA PRIVATE KEY-----";
const HELD = {
  appKey: PEM,
  pat: "pat-value-held-by-the-bot-0123456789",
  state: SECRET,
  webhook: "webhook-secret-held-by-the-bot-42",
};
const SHAPES = [
  `ghs_${"Ab12".repeat(9)}`,
  `ghp_${"Cd34".repeat(9)}`,
  `gho_${"Ef56".repeat(9)}`,
  `github_pat_11AAAAAAA0${"Gh78".repeat(15)}`,
  "AKIAIOSFODNN7EXAMPLE",
];

describe("check 82: nothing the bot publishes holds a secret", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("a run that prints each secret: report comment, replies and check run are masked", async () => {
    const everything = [...Object.values(HELD), ...SHAPES];
    const h = await createHarness(w, {
      run: (_req, { log }) => {
        for (const s of everything) log(`leak: ${s}`);
        log(`escaped key: ${PEM.replace(/\n/g, "\\n")}`);
        return TE.right(result(["graph", ...SHAPES.slice(0, 2), HELD.pat]));
      },
      secrets: [HELD.appKey.replace(/\n/g, "\\n"), HELD.pat, HELD.state, HELD.webhook],
    });
    const pr = w.gh.addPull(w.repo, { number: 301, user: w.users.bob });
    const c = w.gh.addComment(w.repo, 301, { ...w.users.writer, type: "User" }, "/experiment run");
    await h.deliver(
      "issue_comment",
      commentPayload({ body: c.body, author: w.users.writer, number: 301, commentId: c.id, createdAt: c.createdAt }),
      "mask-1",
    );
    await h.deliver(
      "pull_request",
      pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", number: 301 }),
      "mask-2",
    );

    const published = w.gh.commentsOn(w.repo, 301).filter((x) => x.user.id === BOT.id);
    const report = published.find((x) => x.body.includes("graph"));
    assert.ok(report !== undefined, "the report was published");
    assert.match(report.body, /leak: \*\*\*|leak: \\\*\\\*\\\*/, "the log tail is there, masked");
    const check = w.gh.state.checkRuns.find((x) => x.headSha === pr.pull!.headSha);
    assert.ok(check !== undefined, "the check run was published");
    const texts = [...published.map((x) => x.body), JSON.stringify(check.output)];
    const pieces = [...everything, ...PEM.split("\n").filter((l) => l.length > 8), SHAPES[0]!.slice(4, 24)];
    for (const t of texts) for (const p of pieces) assert.ok(!t.includes(p), `published text holds ${p.slice(0, 12)}…`);
  });
});
