import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import { PathReporter } from "io-ts/PathReporter";
import {
  MAX_HISTORY_POINTS,
  MetricHistory,
  MetricPoint,
  nextHistory,
} from "../../../src/core/report/metric-history.js";
import { readReportState, reportMarker, toReportState } from "../../../src/core/ledger/markers.js";
import { encodeBase64Url } from "../../../src/core/report/base64url.js";
import { renderReportComment } from "../../../src/core/ledger/report-comment.js";
import { RUN_KEY, SHA, commit, handle, makeReport, metricReport, omit } from "./fixtures.js";

const point = (n: number, value = 0.9, over: Partial<MetricPoint> = {}): MetricPoint => ({
  n,
  sha: commit(n),
  metric: "accuracy",
  value,
  run: `r${n}`,
  ...over,
});

/** The decode failure's messages, so a test says why a history was refused. */
const why = (u: unknown): string => {
  const r = MetricHistory.decode(u);
  assert.ok(E.isLeft(r), "refused");
  return PathReporter.report(r).join("; ");
};

/** A report body whose state is `state` as written by hand (as anyone who may edit the comment could). */
const handWritten = (state: unknown): string =>
  `${reportMarker(RUN_KEY)}\n<!-- ml-chatops:state ${encodeBase64Url(JSON.stringify(state))} -->\nbody`;

describe("MetricHistory: the history codec treats the state as untrusted (checks 64, 65)", () => {
  it("decodes a valid history and drops keys it does not know, so nothing rides along into the next report", () => {
    const r = MetricHistory.decode([{ ...point(1), extra: "x".repeat(1000) }, point(2, 0.91)]);
    assert.ok(E.isRight(r));
    assert.deepEqual(r.right, [point(1), point(2, 0.91)]);
  });

  it(`refuses more than ${MAX_HISTORY_POINTS} runs`, () => {
    assert.match(
      why(Array.from({ length: MAX_HISTORY_POINTS + 1 }, (_, i) => point(i + 1))),
      /history: at most 20 runs, got 21/,
    );
    assert.ok(E.isRight(MetricHistory.decode(Array.from({ length: MAX_HISTORY_POINTS }, (_, i) => point(i + 1)))));
  });

  it("refuses values that are not finite numbers (1e999 parses to Infinity)", () => {
    const infinite = JSON.parse('[{"n":1,"sha":"aaaaaaa","metric":"accuracy","value":1e999}]') as unknown;
    assert.match(why(infinite), /value: not a finite number/);
    assert.match(why([{ ...point(1), value: "0.9" }]), /value: not a finite number/);
    assert.match(why([{ ...point(1), value: null }]), /value: not a finite number/);
  });

  it("refuses run numbers that repeat or go back (two chart categories would share a label)", () => {
    assert.match(why([point(2), point(2)]), /history: run numbers must increase/);
    assert.match(why([point(3), point(1)]), /history: run numbers must increase/);
    assert.match(why([{ ...point(1), n: 0 }]), /n: an integer from 1 to 1000000000/);
    assert.match(why([{ ...point(1), n: 1.5 }]), /n: an integer from 1 to 1000000000/);
  });

  it("refuses hostile strings: a commit that is not hex, a metric name too long or empty, a run id too long", () => {
    assert.match(why([{ ...point(1), sha: 'abc"] bar [1]' }]), /sha: 7 to 40 lowercase hex digits/);
    assert.match(why([{ ...point(1), sha: SHA.toUpperCase() }]), /sha: 7 to 40 lowercase hex digits/);
    assert.match(why([{ ...point(1), metric: "m".repeat(65) }]), /metric: 1 to 64 characters/);
    assert.match(why([{ ...point(1), metric: "" }]), /metric: 1 to 64 characters/);
    assert.match(why([{ ...point(1), run: "r".repeat(81) }]), /run: 1 to 80 characters/);
    assert.match(why({ 0: point(1) }), /history: not an array/);
  });

  it("check 65: a history edited into nonsense is dropped alone; the run's handle and status are still read", () => {
    const state = { ...toReportState(makeReport()), history: [point(1, Number.MAX_VALUE), { n: "2; rm -rf /" }] };
    const read = readReportState(handWritten(state));
    assert.ok(O.isSome(read));
    assert.equal(read.value.handle?.id, "r1");
    assert.equal(read.value.status.state, "succeeded");
    assert.equal(read.value.history, undefined);
  });

  it("a valid hand-written history is read back as it is", () => {
    const read = readReportState(handWritten({ ...toReportState(makeReport()), history: [point(1), point(4, 0.93)] }));
    assert.deepEqual(O.map((s: { readonly history?: unknown }) => s.history)(read), O.some([point(1), point(4, 0.93)]));
  });
});

describe("nextHistory: what the next report carries", () => {
  it("appends this run's primary metric with the next run number", () => {
    const next = nextHistory([point(1, 0.9), point(2, 0.91)], metricReport(0.95, 0.9519, { handle: handle("r3") }));
    assert.deepEqual(next, [
      point(1, 0.9),
      point(2, 0.91),
      { n: 3, sha: SHA, metric: "accuracy", value: 0.95, run: "r3" },
    ]);
  });

  it("replaces the point of the same run (its report published again) instead of counting it twice", () => {
    const next = nextHistory(
      [point(1), point(2, 0.91, { run: "r9" })],
      metricReport(0.95, 0.9519, { handle: handle("r9") }),
    );
    assert.deepEqual(
      next.map((p) => [p.n, p.value]),
      [
        [1, 0.9],
        [2, 0.95],
      ],
    );
  });

  it(`keeps the last ${MAX_HISTORY_POINTS}`, () => {
    const earlier = Array.from({ length: MAX_HISTORY_POINTS }, (_, i) => point(i + 1));
    const next = nextHistory(earlier, metricReport(0.95, 0.9519, { handle: handle("new") }));
    assert.equal(next.length, MAX_HISTORY_POINTS);
    assert.deepEqual([next[0]?.n, next[next.length - 1]?.n], [2, 21]);
  });

  it("a running, failed or valueless run adds nothing but carries the earlier runs on", () => {
    const earlier = [point(1), point(2)];
    const other = { handle: handle("r3") };
    assert.deepEqual(
      nextHistory(earlier, metricReport(0.95, 0.9, { ...other, status: { state: "running", detail: "started" } })),
      earlier,
    );
    assert.deepEqual(
      nextHistory(earlier, metricReport(0.95, 0.9, { ...other, status: { state: "failed", detail: "exit 1" } })),
      earlier,
    );
    assert.deepEqual(nextHistory(earlier, omit(metricReport(0.95, 0.9, other), "diff")), earlier);
    assert.deepEqual(nextHistory(earlier, makeReport(other)), earlier, "a keyword experiment has no primary metric");
  });

  it("check 64: the largest history the codec admits (20 runs, 64-character names, 80-character run ids; a longer run id is shortened) is read back and the body stays within budget", () => {
    const name = "m".repeat(64);
    const earlier = Array.from({ length: MAX_HISTORY_POINTS }, (_, i) =>
      point(i + 1, -Number.MAX_SAFE_INTEGER / 3, { metric: name, run: "r".repeat(79) + String(i % 10) }),
    );
    const body = renderReportComment(metricReport(0.5, 0.4, { handle: handle("x".repeat(100)) }, { name }), {
      history: earlier,
    });
    assert.ok(body.length <= 60_000);
    const read = readReportState(body);
    assert.ok(O.isSome(read));
    assert.equal(read.value.history?.length, MAX_HISTORY_POINTS);
    assert.deepEqual(read.value.history?.[MAX_HISTORY_POINTS - 1], {
      n: 21,
      sha: SHA,
      metric: name,
      value: 0.5,
      run: "x".repeat(79) + "…",
    });
  });

  it("round-trips through the report's state: each body remembers the runs before it", () => {
    let body = "";
    for (const [i, v] of [0.9, 0.92, 0.94].entries()) {
      const history = O.toNullable(readReportState(body))?.history ?? [];
      body = renderReportComment(metricReport(v, 0.93, { pinnedSha: commit(i + 1), handle: handle(`r${i + 1}`) }), {
        history,
      });
    }
    const read = readReportState(body);
    assert.ok(O.isSome(read));
    assert.deepEqual(
      read.value.history?.map((p) => [p.n, p.sha.slice(0, 7), p.value]),
      [
        [1, "1111111", 0.9],
        [2, "2222222", 0.92],
        [3, "3333333", 0.94],
      ],
    );
  });
});
