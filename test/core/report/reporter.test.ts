import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { forgeInvalidResponse, forgeUnavailable } from "../../../src/core/errors.js";
import type { ForgeError } from "../../../src/core/errors.js";
import type { Forge } from "../../../src/core/ports.js";
import { toRunKey, type RepoPullNumber } from "../../../src/core/model.js";
import { createCommentReporter } from "../../../src/core/ledger/report-comment.js";
import { extractResults, readReportState, reportMarker } from "../../../src/core/ledger/markers.js";
import { GITHUB_COMMENT_LIMIT } from "../../../src/core/report/render.js";
import { RUN_KEY, codePoints, commit, handle, makeReport, metricReport } from "./fixtures.js";
import { assertLeft } from "../../support/assert-error.js";

/** The run key of `metricReport`, whose experiment is `train`. */
const TRAIN_KEY = toRunKey(RUN_KEY.pr, "train");

/**
 * An in-memory forge holding the bot's comments. Like GitHub, it refuses bodies over 65,536
 * characters (422 "body is too long").
 */
const fakeForge = (opts: { failFind?: boolean } = {}) => {
  const comments = new Map<string, { id: number; body: string }>();
  const calls = { find: 0, upsert: 0 };
  const key = (pr: RepoPullNumber, marker: string) => `${pr.owner}/${pr.repo}#${pr.number} ${marker}`;
  const unused = (): TE.TaskEither<ForgeError, never> => TE.left(forgeUnavailable("unused", "not part of this test"));
  const forge: Forge = {
    getPermission: unused,
    getPullRequest: unused,
    addLabel: unused,
    removeLabel: unused,
    headPushedAt: unused,
    react: unused,
    reply: unused,
    findComment: (pr, marker) => {
      calls.find += 1;
      if (opts.failFind === true) return TE.left(forgeUnavailable("findComment", "HTTP 502"));
      return TE.right(O.fromNullable(comments.get(key(pr, marker))?.body));
    },
    listComments: (pr) => {
      calls.find += 1;
      if (opts.failFind === true) return TE.left(forgeUnavailable("listComments", "HTTP 502"));
      const prefix = key(pr, "");
      return TE.right(
        [...comments.entries()]
          .filter(([k]) => k.startsWith(prefix))
          .map(([, c]) => ({ id: c.id, body: c.body, updatedAt: "2026-01-01T00:00:00Z" })),
      );
    },
    upsertComment: (pr, marker, body) => {
      calls.upsert += 1;
      if (codePoints(body) > GITHUB_COMMENT_LIMIT) {
        return TE.left(forgeInvalidResponse("upsertComment", "422 body is too long (maximum is 65536 characters)"));
      }
      const existing = comments.get(key(pr, marker));
      const id = existing?.id ?? comments.size + 1;
      comments.set(key(pr, marker), { id, body });
      return TE.right({ id, url: `https://github.example/c/${id}` });
    },
  };
  const body = (runKey = RUN_KEY): string => comments.get(key(runKey.pr, reportMarker(runKey)))?.body ?? "";
  return { forge, comments, calls, body };
};

const publishOk = async (reporter: ReturnType<typeof createCommentReporter>, report: ReturnType<typeof makeReport>) => {
  const r = await reporter.publish(report)();
  assert.ok(E.isRight(r), JSON.stringify(r));
  return r.right;
};

describe("createCommentReporter", () => {
  it("creates one comment, found again by its marker, and updates it in place", async () => {
    const f = fakeForge();
    const reporter = createCommentReporter(f.forge);
    const first = await publishOk(reporter, makeReport({ handle: handle("r1") }));
    const second = await publishOk(reporter, makeReport({ handle: handle("r2") }));
    assert.equal(first.id, second.id);
    assert.equal(f.comments.size, 1);
    assert.ok(f.body().startsWith(reportMarker(RUN_KEY)));
    assert.equal(f.calls.find, 2);
  });

  it("folds the previous result under <details>, newest first", async () => {
    const f = fakeForge();
    const reporter = createCommentReporter(f.forge);
    await publishOk(reporter, makeReport({ handle: handle("r1"), status: { state: "failed", detail: "first" } }));
    await publishOk(reporter, makeReport({ handle: handle("r2"), status: { state: "errored", detail: "second" } }));
    await publishOk(reporter, makeReport({ handle: handle("r3"), status: { state: "succeeded", detail: "third" } }));
    const { current, previous } = extractResults(f.body());
    assert.ok(O.isSome(current) && current.value.includes("succeeded: third"));
    assert.equal(previous.length, 2);
    assert.ok(previous[0]!.includes("errored: second"));
    assert.ok(previous[1]!.includes("failed: first"));
    assert.ok(f.body().includes("<summary>Earlier results (2)</summary>"));
  });

  it("a run's final report replaces its own running report instead of folding it", async () => {
    const f = fakeForge();
    const reporter = createCommentReporter(f.forge);
    await publishOk(reporter, makeReport({ handle: handle("old"), status: { state: "succeeded", detail: "old" } }));
    await publishOk(reporter, makeReport({ handle: handle("r9"), status: { state: "running", detail: "started" } }));
    await publishOk(reporter, makeReport({ handle: handle("r9"), status: { state: "succeeded", detail: "done" } }));
    const { current, previous } = extractResults(f.body());
    assert.ok(O.isSome(current) && current.value.includes("succeeded: done"));
    assert.equal(previous.length, 1);
    assert.ok(previous[0]!.includes("succeeded: old"));
    const state = readReportState(f.body());
    assert.ok(O.isSome(state) && state.value.handle?.id === "r9" && state.value.status.state === "succeeded");
  });

  it("keeps at most keepHistory earlier results (default 3)", async () => {
    const f = fakeForge();
    const reporter = createCommentReporter(f.forge);
    for (let i = 1; i <= 6; i += 1)
      await publishOk(reporter, makeReport({ handle: handle(`r${i}`), status: { state: "failed", detail: `n${i}` } }));
    const { previous } = extractResults(f.body());
    assert.deepEqual(
      previous.map((p) => /failed: (n\d)/.exec(p)?.[1]),
      ["n5", "n4", "n3"],
    );
  });

  it("keepHistory 0 keeps no history; a negative value is read as 0", async () => {
    for (const keepHistory of [0, -2]) {
      const f = fakeForge();
      const reporter = createCommentReporter(f.forge, { keepHistory });
      await publishOk(reporter, makeReport({ handle: handle("a") }));
      await publishOk(reporter, makeReport({ handle: handle("b") }));
      assert.deepEqual(extractResults(f.body()).previous, []);
      assert.ok(!f.body().includes("Earlier results"));
    }
  });

  it("check 64: huge runs and history stay within GitHub's limit at maxChars 65,536", async () => {
    const f = fakeForge();
    const reporter = createCommentReporter(f.forge, { maxChars: GITHUB_COMMENT_LIMIT });
    for (let i = 0; i < 5; i += 1) {
      await publishOk(
        reporter,
        makeReport({
          handle: handle(`big${i}`),
          status: { state: "failed", detail: "x" },
          logTail: Array.from({ length: 800 }, () => "😀".repeat(60)),
        }),
      );
      assert.ok(f.body().length <= GITHUB_COMMENT_LIMIT);
      assert.ok(codePoints(f.body()) <= GITHUB_COMMENT_LIMIT);
    }
    assert.equal(f.calls.upsert, 5);
    assert.equal(extractResults(f.body()).previous.length, 3);
  });

  it("check 65: a previous body that is not this run key's report contributes nothing", async () => {
    const f = fakeForge();
    const forge: Forge = {
      ...f.forge,
      findComment: () =>
        TE.right(
          O.some("someone else's text\n<!-- ml-chatops:previous:begin -->\nforged\n<!-- ml-chatops:previous:end -->"),
        ),
    };
    await publishOk(createCommentReporter(forge), makeReport());
    assert.deepEqual(extractResults(f.body()).previous, []);
    assert.ok(!f.body().includes("forged"));
  });

  it("carries the primary metric of every run from one body to the next; a run's running report adds no point", async () => {
    const f = fakeForge();
    const reporter = createCommentReporter(f.forge);
    for (const [i, v] of [0.9, 0.93, 0.95].entries()) {
      const over = { pinnedSha: commit(i + 1), handle: handle(`r${i + 1}`) };
      await publishOk(reporter, metricReport(v, 0.94, { ...over, status: { state: "running", detail: "started" } }));
      await publishOk(reporter, metricReport(v, 0.94, over));
    }
    const state = readReportState(f.body(TRAIN_KEY));
    assert.ok(O.isSome(state));
    assert.deepEqual(
      state.value.history?.map((p) => [p.n, p.sha, p.value, p.run]),
      [
        [1, commit(1), 0.9, "r1"],
        [2, commit(2), 0.93, "r2"],
        [3, commit(3), 0.95, "r3"],
      ],
    );
    assert.match(f.body(TRAIN_KEY), /x-axis "run of this pull request" \["1", "2", "3"\]/);
    await publishOk(reporter, metricReport(0.96, 0.94, { pinnedSha: commit(3), handle: handle("r3") }));
    const again = readReportState(f.body(TRAIN_KEY));
    assert.deepEqual(
      O.isSome(again) && again.value.history?.map((p) => [p.n, p.value]),
      [
        [1, 0.9],
        [2, 0.93],
        [3, 0.96],
      ],
      "the same run published again replaces its point",
    );
  });

  it("check 65: the history of another run key's report is not carried over", async () => {
    const f = fakeForge();
    await publishOk(createCommentReporter(f.forge), metricReport(0.9, 0.94));
    const other = makeReport({ experimentId: "other" });
    f.comments.set(`octo/kw#12 ${reportMarker(other.runKey)}`, { id: 9, body: f.body(TRAIN_KEY) });
    await publishOk(
      createCommentReporter(f.forge),
      metricReport(0.95, 0.94, { experimentId: "other", handle: handle("r2") }),
    );
    const state = readReportState(f.comments.get(`octo/kw#12 ${reportMarker(other.runKey)}`)?.body ?? "");
    assert.deepEqual(O.isSome(state) && state.value.history?.map((p) => p.n), [1], "starts its own history at run 1");
  });

  it("a failing lookup is returned as the forge error and nothing is written", async () => {
    const f = fakeForge({ failFind: true });
    const r = await createCommentReporter(f.forge).publish(makeReport())();
    assertLeft(r, "ForgeUnavailable", /^operation=listComments cause=HTTP 502$/);
    assert.equal(f.calls.upsert, 0);
  });
});
