import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as O from "fp-ts/Option";
import { decodeBase64Url, encodeBase64Url } from "../../../src/core/report/base64url.js";
import {
  extractResults,
  isReportFor,
  readReportState,
  reportMarker,
  stateMarker,
  toReportState,
} from "../../../src/core/ledger/markers.js";
import { renderReportComment } from "../../../src/core/ledger/report-comment.js";
import { RUN_KEY, handle, makeReport, omit } from "./fixtures.js";
import { fromKeywordResult } from "../../../src/core/keyword-ranking.js";
import { toRunKey } from "../../../src/core/model.js";

describe("base64url", () => {
  const texts = [
    "",
    "a",
    "ab",
    "abc",
    "hi",
    "形態素解析",
    "😀 emoji",
    '{"a":[1,2]}',
    "\u0000\u007f\u0080\u07ff\u0800\uffff",
  ];
  for (const text of texts) {
    it(`round-trips ${JSON.stringify(text)}`, () => {
      const enc = encodeBase64Url(text);
      assert.match(enc, /^[A-Za-z0-9_-]*$/);
      assert.deepEqual(decodeBase64Url(enc), O.some(text));
    });
  }
  it("matches RFC 4648 test vectors (base64url, no padding)", () => {
    assert.equal(encodeBase64Url("foobar"), "Zm9vYmFy");
    assert.equal(encodeBase64Url("fooba"), "Zm9vYmE");
    assert.equal(encodeBase64Url("\u00ff\u00fe"), "w7_Dvg");
  });
  it("encodes a lone surrogate as U+FFFD", () =>
    assert.deepEqual(decodeBase64Url(encodeBase64Url("a\ud800")), O.some("a\ufffd")));
  const bad = ["a", "Zm9v!", "Zm9v=", "_w", "wA", "7aCA"];
  for (const b of bad) it(`rejects ${JSON.stringify(b)}`, () => assert.deepEqual(decodeBase64Url(b), O.none));
});

describe("report marker", () => {
  it("names pull request × experiment", () => {
    assert.equal(reportMarker(RUN_KEY), "<!-- ml-chatops:report octo/kw#12:tfidf-keywords -->");
  });
  it("check 65: cannot be ended early whatever it is given", () => {
    const m = reportMarker(toRunKey({ owner: "a-->b c\n<!--d", repo: "r", number: 1 }, "x"));
    assert.equal(m.indexOf("-->"), m.length - 3);
    assert.equal(m.lastIndexOf("<!--"), 0);
    assert.ok(!m.slice(0, -1).includes("\n"));
  });
  it("a report is recognised only by its first line", () => {
    const body = renderReportComment(makeReport());
    assert.ok(isReportFor(body, RUN_KEY));
    assert.ok(!isReportFor(body, toRunKey({ owner: "octo", repo: "kw", number: 13 }, "tfidf-keywords")));
    assert.ok(!isReportFor(`hello\n${body}`, RUN_KEY));
  });
});

describe("readReportState", () => {
  it("reads back the state of a rendered report", () => {
    const report = makeReport({ status: { state: "running", detail: "started", phase: "BUILD" } });
    const state = readReportState(renderReportComment(report));
    assert.deepEqual(state, O.some(toReportState(report)));
    assert.equal(O.isSome(state) && state.value.handle?.id, "r1");
  });

  it("works without a handle", () => {
    const state = readReportState(renderReportComment(omit(makeReport(), "handle")));
    assert.ok(O.isSome(state) && state.value.handle === undefined);
  });

  it("tolerates CRLF line ends", () => {
    const body = renderReportComment(makeReport()).replace(/\n/g, "\r\n");
    assert.ok(O.isSome(readReportState(body)));
  });

  it("bounds the status detail it carries", () => {
    const state = toReportState(makeReport({ status: { state: "failed", detail: "x".repeat(10_000) } }));
    assert.ok(state.status.detail.length <= 300);
  });

  it("check 65: a marker forged in untrusted text is never read", () => {
    const forgedState = stateMarker(toReportState(makeReport({ handle: handle("evil"), params: { evil: "1" } })));
    const forged = `${reportMarker(RUN_KEY)}\n${forgedState}`;
    const report = makeReport({
      logTail: [forged, "<!-- ml-chatops:result:begin -->", "x"],
      result: fromKeywordResult({ documents: [{ id: forged, keywords: [{ term: forged, score: 1 }] }] }),
      params: { note: forged },
      status: { state: "failed", detail: forged },
    });
    const body = renderReportComment(report);
    assert.equal(body.indexOf(reportMarker(RUN_KEY)), 0);
    assert.equal(body.split(reportMarker(RUN_KEY)).length, 2, "exactly one report marker");
    assert.equal(body.split("<!-- ml-chatops:state ").length, 2, "exactly one state marker");
    assert.equal(body.split("<!-- ml-chatops:result:begin -->").length, 2);
    const state = readReportState(body);
    assert.ok(O.isSome(state));
    assert.equal(state.value.handle?.id, "r1");
    assert.deepEqual(state.value.status.state, "failed");
  });

  it("check 65: a forged marker that is not at the very start is ignored", () => {
    const forged = `${reportMarker(RUN_KEY)}\n${stateMarker(toReportState(makeReport()))}`;
    assert.deepEqual(readReportState(`Look at this:\n${forged}`), O.none);
    assert.deepEqual(readReportState(` ${forged}`), O.none);
  });

  const broken: ReadonlyArray<[string, string]> = [
    ["no markers", "just a comment"],
    ["a report marker without state", `${reportMarker(RUN_KEY)}\nhello`],
    ["state that is not base64url", `${reportMarker(RUN_KEY)}\n<!-- ml-chatops:state !!! -->`],
    ["state that is not JSON", `${reportMarker(RUN_KEY)}\n<!-- ml-chatops:state ${encodeBase64Url("{nope")} -->`],
    [
      "state of the wrong shape",
      `${reportMarker(RUN_KEY)}\n<!-- ml-chatops:state ${encodeBase64Url('{"runKey":1}')} -->`,
    ],
    [
      "state for another run key",
      `${reportMarker(toRunKey({ owner: "octo", repo: "kw", number: 99 }, "tfidf-keywords"))}\n${stateMarker(toReportState(makeReport()))}`,
    ],
  ];
  for (const [name, body] of broken) it(`none for ${name}`, () => assert.deepEqual(readReportState(body), O.none));
});

describe("extractResults", () => {
  it("finds the current result and the earlier ones, newest first", () => {
    const body = renderReportComment(makeReport(), { previous: ["### one", "### two"] });
    const { current, previous } = extractResults(body);
    assert.ok(O.isSome(current) && current.value.startsWith("### tfidf-keywords: succeeded at `0123456`"));
    assert.deepEqual(previous, ["### one", "### two"]);
  });

  it("nothing from a body that is not a report", () => {
    assert.deepEqual(extractResults("<!-- ml-chatops:result:begin -->\nx\n<!-- ml-chatops:result:end -->"), {
      current: O.none,
      previous: [],
    });
  });

  it("check 65: a result marker forged in a log line does not split the section", () => {
    const body = renderReportComment(
      makeReport({ logTail: ["<!-- ml-chatops:result:end -->", "<!-- ml-chatops:previous:begin -->"] }),
    );
    const { current, previous } = extractResults(body);
    assert.ok(O.isSome(current) && current.value.includes("Log tail"));
    assert.deepEqual(previous, []);
  });
});
