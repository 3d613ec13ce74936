/**
 * Issue 10, done as a user does it: a repository holding only the classifier example (train.py),
 * its .github/ml-chatops.yml and the packed package installed from the tarball, on Node 20. The
 * installed CLI (`npx ml-chatops on-comment` / `on-label --runner local`, the local runner
 * sandboxed by bubblewrap as by default) handles the PR's events against the fake GitHub on
 * loopback (every request checked against @octokit/openapi). The current best is the baseline
 * `ml-chatops run --save-as-baseline` wrote, committed on the default branch.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { installExample, lastLine, type InstalledChatOps } from "./installed-chatops.js";

type BaselineFileJson = Record<
  string,
  {
    result: { metrics: Record<string, number> };
    meta: { sha: string; forced?: boolean; promotedBy: { login: string }; pr: { number: number } };
  }
>;

describe("issue 10 end to end: the classifier example, installed, from /experiment run c=0.2 to a guarded promote", () => {
  let t: InstalledChatOps;
  let sha = "";
  let baseline: BaselineFileJson = {};
  before(async () => {
    t = await installExample("classifier");
    sha = t.sha;
    baseline = JSON.parse(t.baselineText) as BaselineFileJson;
  });
  after(() => t.close());

  it("the current best on the default branch is the local run's baseline at C=1.0, credited to no pull request", () => {
    const best = baseline["train"];
    assert.equal(best?.result.metrics["accuracy"], 437 / 450);
    assert.equal(best?.meta.sha, sha);
    assert.equal(best?.meta.pr.number, 0);
    assert.equal(best?.meta.promotedBy.login, "Data Scientist");
  });

  it("/experiment run c=0.2 → label → local run in bubblewrap → a report with accuracy, its delta against the current best, and the verdict", async () => {
    t.w.gh.addPull(t.w.repo, { number: 21, user: t.w.users.bob, headSha: sha });
    const body = await t.run(21, "/experiment run c=0.2");
    // The first line answers "better than the current best?" on the primary metric: 439/450 vs 437/450.
    assert.ok(
      body
        .split("\n")
        .includes(
          `### train: succeeded at \`${sha.slice(0, 7)}\` · ✅ better than the current best: accuracy 0.975556 vs 0.971111 (+0.00444444)`,
        ),
      body,
    );
    assert.match(
      body,
      /^\| accuracy \(primary, max, ±0\.001\) \| 0\.975556 \| 0\.971111 \| ↑ \+0\.00444444 \(\+0\.46%\) \| ✅ better \|$/m,
    );
    assert.match(
      body,
      /^\| log\\_loss \(min, ±0\.001\) \| 0\.136564 \| 0\.114332 \| ↑ \+0\.0222313 \(\+19\.44%\) \| ❌ worse \|$/m,
    );
    assert.match(body, /^- \*\*Parameters:\*\* c = 0\.2, max\\_iter = 200$/m);
    assert.ok(
      body
        .split("\n")
        .some((l) =>
          l.startsWith(
            `- **Current best:** no pull request at \`${sha.slice(0, 7)}\`, promoted by Data Scientist on 20`,
          ),
        ),
      body,
    );
    assert.match(body, /^- \*\*Current best's parameters:\*\* c = 1, max\\_iter = 200$/m);
    assert.match(
      body,
      /^- \*\*Artifacts:\*\* the local runner removes the checkout after the run and keeps no artifacts\b/m,
    );
    assert.match(body, /^\*\*confusion \(rows: true digit, columns: predicted\)\*\* _\(beside the current best's\)_$/m);
    // The run was sandboxed (the local runner's default), and the log tail says so.
    assert.match(body, /^\[ml-chatops\] sandbox: bubblewrap, network off\naccuracy 0\.9756, wrote out\/result\.json$/m);
  });

  it("a worse C is reported worse; /experiment promote is refused with by how much; promote force=true commits it to the default branch, recorded as forced", async () => {
    const body = await t.run(21, "/experiment run c=0.001");
    assert.match(
      body,
      /^### train: succeeded at `[0-9a-f]{7}` · ❌ worse than the current best: accuracy 0\.911111 vs 0\.971111 \(−0\.06\)$/m,
    );
    assert.match(
      body,
      /^\| accuracy \(primary, max, ±0\.001\) \| 0\.911111 \| 0\.971111 \| ↓ −0\.06 \(−6\.18%\) \| ❌ worse \|$/m,
    );
    const writes = () => t.w.gh.log.filter((x) => x.operationId === "repos/create-or-update-file-contents");

    const refused = await t.comment(21, "/experiment promote");
    assert.equal(refused.code, 0, refused.stderr);
    assert.match(lastLine(refused.stderr), /on-comment: Refused: promote refused: worse than the current best$/);
    const no = t.botComments(21).at(-1)?.body ?? "";
    assert.match(
      no,
      /Not promoted: `accuracy is 0\.911111, worse than the current best 0\.971111 by 0\.06 \(−6\.18%\)`\. The current best of `train` stays\./,
    );
    assert.match(no, /comment `\/experiment promote force=true`/);
    assert.equal(writes().length, 0, "nothing was committed");

    const forced = await t.comment(21, "/experiment promote force=true");
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(lastLine(forced.stderr), /on-comment: Handled/);
    // Told in the experiment's living comment, above its report; the refusal was a reply.
    const yes = t.botComments(21).find((c) => c.body.startsWith("<!-- ml-chatops:report "))?.body ?? "";
    assert.match(
      yes,
      /^Promoted the result of `[0-9a-f]{7}` to be the new baseline of `train`\. Forced with `force=true` although `accuracy is 0\.911111, worse than the current best 0\.971111 by 0\.06 \(−6\.18%\)`; the baseline records that it was forced\./m,
    );
    const [write] = writes();
    assert.equal(writes().length, 1);
    assert.equal(write?.caller, "ml-chatops[bot]");
    // No branch named: the contents API then writes to the repository's default branch, where the
    // current best is read (the bot no longer looks the branch's name up first).
    assert.equal((write?.body as { branch?: string }).branch, undefined, "no branch named: the default branch");
    const file = t.w.repo.files.get("main")?.get(".ml-chatops/baseline.json");
    const now = JSON.parse(file ?? "{}") as BaselineFileJson;
    assert.equal(now["train"]?.result.metrics["accuracy"], 410 / 450);
    assert.equal(now["train"]?.meta.forced, true);
    assert.equal(now["train"]?.meta.pr.number, 21);
    assert.equal(now["train"]?.meta.promotedBy.login, t.w.users.writer.login);
  });
});
