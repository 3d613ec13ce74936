/**
 * Issue 14 item 2: GitHub requests per event, through both entries, counted by the bench's own
 * scenario (scripts/bench/github-requests.ts) over the fake GitHub. The counts are deterministic,
 * so they are asserted: an event already within the budget of 8 rate-limited requests must stay
 * there; the others must not grow past what they cost now (a ratchet). Either failure names the
 * operations.
 * The comment listing is read in full at most once per change: every other read is a 304.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  countGitHubRequests,
  REQUEST_BUDGET,
  type Entry,
  type EventCount,
} from "../../../scripts/bench/github-requests.js";

// Rate-limited requests per event now (before issue 14: 14/27/14/7 via Actions, 17/27/16/7 via
// webhook). The webhook bot and the Actions entry as the shipped workflows run it are within the
// budget on every event. Without --default-branch-checkout, an Actions job pays, per process, a full read of the
// config and of the baseline that a long-lived bot revalidates for free: no validator can carry
// over, since GitHub's ETags are specific to the token and each job mints its own; that entry is
// held to what it costs now (a ratchet). No Actions job asks who the bot is: a comment job knows
// the App by its id (its pipeline is commentsOnly), and a pull_request job reads the bot user
// from the App's own comment in the listing it reads anyway.
const CEILING: Readonly<Record<Entry, Readonly<Record<string, number>>>> = {
  actions: {
    "comment → approval": 8,
    "label → run → report": 8,
    promote: 6,
    push: 2,
    "comment → approval (2nd run)": 8,
    "label → run → report (2nd run)": 8,
  },
  "actions-without-checkout": {
    "comment → approval": 9,
    "label → run → report": 10,
    promote: 8,
    push: 3,
    "comment → approval (2nd run)": 9,
    "label → run → report (2nd run)": 10,
  },
  webhook: {
    "comment → approval": 8,
    "label → run → report": 8,
    promote: 6,
    push: 1,
    "comment → approval (2nd run)": 7,
    "label → run → report (2nd run)": 8,
  },
};

const ops = (c: EventCount): string =>
  c.operations
    .map((o) => `${o.operationId} ${o.limited}${o.notModified > 0 ? `+${o.notModified}×304` : ""}`)
    .join(", ");
const limitedOf = (c: EventCount, id: string): number => c.operations.find((o) => o.operationId === id)?.limited ?? 0;

for (const entry of ["webhook", "actions", "actions-without-checkout"] as const) {
  describe(`GitHub requests per event through the ${entry} entry (issue 14 item 2)`, () => {
    let counts: ReadonlyArray<EventCount> = [];
    it("every event of the scenario is handled", async () => {
      counts = await countGitHubRequests(entry);
      assert.deepEqual(
        counts.map((c) => c.event),
        Object.keys(CEILING[entry]),
      );
      for (const c of counts) assert.equal(c.ok, true, `${c.event}: ${c.outcome}`);
      assert.match(counts[1]?.outcome ?? "", /Reported/);
    });

    it(`no event costs more than its ceiling${entry === "actions-without-checkout" ? "" : `, and none more than the budget (${REQUEST_BUDGET})`}`, () => {
      for (const c of counts) {
        const ceiling = CEILING[entry][c.event] ?? 0;
        const bound =
          entry === "actions-without-checkout" ? Math.max(ceiling, REQUEST_BUDGET) : Math.min(ceiling, REQUEST_BUDGET);
        assert.ok(c.limited <= bound, `${c.event}: ${c.limited} rate-limited requests, at most ${bound} (${ops(c)})`);
      }
    });

    if (entry === "actions")
      it("with --default-branch-checkout no job reads the config or the baseline through the contents API", () => {
        for (const c of counts) assert.equal(limitedOf(c, "repos/get-content"), 0, `${c.event}: ${ops(c)}`);
      });

    it("after every event the pull request holds exactly one bot comment: the living comment of its experiment", () => {
      for (const c of counts)
        assert.deepEqual(c.botComments, ["<!-- ml-chatops:report octo/kw#900:tfidf-keywords -->"], c.event);
    });

    it("the comment listing is read in full only after something changed it; every other read is a 304", () => {
      for (const c of counts) {
        const fullReads = limitedOf(c, "issues/list-comments");
        // What changes a PR's listing within an event: our comment writes and reactions (GitHub's rollup).
        const changes =
          limitedOf(c, "issues/create-comment") +
          limitedOf(c, "issues/update-comment") +
          limitedOf(c, "reactions/create-for-issue-comment");
        assert.ok(
          fullReads <= changes + 1,
          `${c.event}: ${fullReads} full listings for ${changes} changes (${ops(c)})`,
        );
      }
      const label = counts[1]!;
      assert.ok(
        (label.operations.find((o) => o.operationId === "issues/list-comments")?.notModified ?? 0) > 0,
        "the label event revalidates",
      );
    });
  });
}
