import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runReport } from "../../../src/core/ledger/run-report.js";
import { toRunKey, type RunHandle, type Sha } from "../../../src/core/model.js";

const PR = { owner: "octo", repo: "kw", number: 7 };
const SHA = "0123456789abcdef0123456789abcdef01234567" as Sha;
const KEY = toRunKey(PR, "tfidf-keywords");
const FC = { pr: PR, experimentId: "tfidf-keywords", params: { top: "5" } };
const handle = (url?: string): RunHandle => ({
  runner: "local",
  id: "run-1",
  runKey: KEY,
  pinnedSha: SHA,
  startedAt: "2026-01-01T00:00:00.000Z",
  ...(url === undefined ? {} : { url }),
});

describe("runReport: the one builder of a run's report", () => {
  it("a started run's report carries its handle and links to the run", () => {
    const r = runReport(handle("https://ci.example/run-1"), FC, { state: "running", detail: "started" });
    assert.deepEqual(r.links, [{ label: "run", url: "https://ci.example/run-1" }]);
    assert.equal(r.handle?.id, "run-1");
    assert.deepEqual(r.runKey, KEY);
    assert.deepEqual(r.params, { top: "5" });
    assert.deepEqual(r.logTail, []);
  });

  it("a handle without a url gives no link", () => {
    assert.deepEqual(runReport(handle(), FC, { state: "failed", detail: "x" }, ["last line"]).links, []);
    assert.deepEqual(runReport(handle(), FC, { state: "failed", detail: "x" }, ["last line"]).logTail, ["last line"]);
  });

  it("a run that never started has neither handle nor link, and names its runner", () => {
    const r = runReport({ runKey: KEY, pinnedSha: SHA, runner: "codebuild" }, FC, { state: "errored", detail: "no" });
    assert.equal(r.handle, undefined);
    assert.deepEqual(r.links, []);
    assert.equal(r.runner, "codebuild");
    assert.equal(r.pinnedSha, SHA);
  });
});
