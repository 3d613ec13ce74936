import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  createReplicationLagWrap,
  resourcePath,
  type LagResponse,
} from "../../../src/adapters/github/replication-lag.js";
import { memoryLogger } from "./setup.js";

type Opts = { method: string; url: string; request?: object };
const BASE = "https://ghe.example.test/api/v3";

/** A transport double for the wrap: answers by "METHOD path", counting calls; 404 when unknown. */
const transport = (answers: Record<string, ReadonlyArray<LagResponse | number>>) => {
  const calls: string[] = [];
  const left = new Map(Object.entries(answers).map(([k, v]) => [k, [...v]]));
  const request = (o: Opts): Promise<LagResponse> => {
    const key = `${o.method} ${o.url}`;
    calls.push(key);
    const next = left.get(key)?.shift() ?? 404;
    return typeof next === "number"
      ? Promise.reject(Object.assign(new Error(`HTTP ${next}`), { status: next }))
      : Promise.resolve(next);
  };
  return { calls, request };
};

const setup = (config: { retries?: number; windowMs?: number; maxEntries?: number } = {}) => {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const log = memoryLogger();
  const wrap = createReplicationLagWrap<Opts>(
    {
      urlOf: (o) => `${BASE}${o.url}`,
      clock: { now: () => new Date(now), sleep: (ms) => () => Promise.resolve(void sleeps.push(ms)) },
      logger: log,
    },
    {
      baseUrl: BASE,
      retries: config.retries ?? 3,
      windowMs: config.windowMs ?? 60_000,
      retryAfterBaseValueMs: 10,
      maxEntries: config.maxEntries,
    },
  );
  return { wrap, sleeps, log, advance: (ms: number) => void (now += ms) };
};

const created = (url: string, location?: string): LagResponse => ({
  status: 201,
  headers: location === undefined ? {} : { location },
  data: { id: 1, url },
});
const ok: LagResponse = { status: 200, headers: {}, data: {} };

describe("replication-lag wrap", () => {
  it("check 47: resourcePath compares paths: GHES prefix, query, case, encoding and trailing slash do not matter", () => {
    assert.equal(
      resourcePath(BASE, `${BASE}/repos/Octo/KW/issues/comments/5/?per_page=1`),
      "/repos/octo/kw/issues/comments/5",
    );
    assert.equal(
      resourcePath(BASE, "https://api.github.com/repos/octo/kw/labels/needs%20review"),
      "/repos/octo/kw/labels/needs review",
    );
    assert.equal(
      resourcePath("https://api.github.com", "https://api.github.com/repos/octo/kw/check-runs/9"),
      "/repos/octo/kw/check-runs/9",
    );
    assert.equal(resourcePath(BASE, "/repos/octo/kw"), "/repos/octo/kw");
    assert.equal(resourcePath(BASE, "https://ghe.example.test/api/v3x/repos"), "/api/v3x/repos");
    assert.equal(resourcePath(BASE, "http://[bad"), undefined);
  });

  it("check 47: a 201's body url on GHES is matched by a later request's path; retries grow n² × base", async () => {
    const { wrap, sleeps, log } = setup();
    const t = transport({
      "POST /repos/octo/kw/issues/7/comments": [
        created("https://ghe.example.test/api/v3/repos/octo/kw/issues/comments/5"),
      ],
      "PATCH /repos/octo/kw/issues/comments/5": [404, 404, 404, ok],
    });
    await wrap(t.request, { method: "POST", url: "/repos/octo/kw/issues/7/comments" });
    assert.deepEqual(await wrap(t.request, { method: "PATCH", url: "/repos/octo/kw/issues/comments/5" }), ok);
    assert.deepEqual(sleeps, [10, 40, 90]);
    assert.equal(log.lines.filter((l) => l.level === "warn").length, 3);
    assert.match(
      log.lines[0]!.message,
      /404 on PATCH https:\/\/ghe\.example\.test\/api\/v3\/repos\/octo\/kw\/issues\/comments\/5.*retry 1 of 3 in 10 ms/,
    );
  });

  it("check 47: the Location header is remembered as well; the last 404 surfaces unchanged", async () => {
    const { wrap } = setup({ retries: 2 });
    const t = transport({
      "POST /repos/octo/kw/check-runs": [
        { status: 201, headers: { location: `${BASE}/repos/octo/kw/check-runs/77` }, data: { id: 77 } },
      ],
    });
    await wrap(t.request, { method: "POST", url: "/repos/octo/kw/check-runs" });
    await assert.rejects(
      wrap(t.request, { method: "GET", url: "/repos/octo/kw/check-runs/77/annotations" }),
      (e: unknown) => (e as { status: number }).status === 404,
    );
    assert.equal(t.calls.filter((c) => c.startsWith("GET")).length, 3);
  });

  it("check 47: other errors, other statuses and non-creating answers are not retried nor remembered", async () => {
    const { wrap, sleeps } = setup();
    const t = transport({
      "POST /repos/octo/kw/issues/7/labels": [
        { status: 200, headers: {}, data: [{ url: `${BASE}/repos/octo/kw/labels/x` }] },
      ],
      "GET /repos/octo/kw/pulls/999": [404],
      "PATCH /repos/octo/kw/labels/x": [404],
    });
    await wrap(t.request, { method: "POST", url: "/repos/octo/kw/issues/7/labels" });
    await assert.rejects(
      wrap(t.request, { method: "GET", url: "/repos/octo/kw/pulls/999" }),
      (e: unknown) => (e as { status?: number }).status === 404,
    );
    await assert.rejects(
      wrap(t.request, { method: "PATCH", url: "/repos/octo/kw/labels/x" }),
      (e: unknown) => (e as { status?: number }).status === 404,
    );
    assert.deepEqual(sleeps, []);
    assert.equal(wrap.remembered().length, 0);
  });

  it("check 47: a 201 whose url is an ancestor of where it was posted (the repo itself) is not remembered", async () => {
    const { wrap } = setup();
    const t = transport({ "POST /repos/octo/kw/issues/7/comments": [created(`${BASE}/repos/octo/kw`)] });
    await wrap(t.request, { method: "POST", url: "/repos/octo/kw/issues/7/comments" });
    assert.deepEqual(wrap.remembered(), []);
  });

  it("check 47: memory is bounded: at most maxEntries, oldest forgotten first; expired entries are dropped", async () => {
    const { wrap, advance } = setup({ maxEntries: 2, windowMs: 1000 });
    const post = (id: number) =>
      wrap(
        transport({ "POST /repos/o/r/issues/1/comments": [created(`${BASE}/repos/o/r/issues/comments/${id}`)] })
          .request,
        { method: "POST", url: "/repos/o/r/issues/1/comments" },
      );
    await post(1);
    await post(2);
    await post(3);
    assert.deepEqual(wrap.remembered(), ["/repos/o/r/issues/comments/2", "/repos/o/r/issues/comments/3"]);
    advance(1001);
    await post(4);
    assert.deepEqual(wrap.remembered(), ["/repos/o/r/issues/comments/4"]);
  });

  it("check 47: a successful DELETE forgets the resource, so a later 404 on it is final", async () => {
    const { wrap, sleeps } = setup();
    const t = transport({
      "POST /repos/o/r/issues/1/comments": [created(`${BASE}/repos/o/r/issues/comments/8`)],
      "DELETE /repos/o/r/issues/comments/8": [{ status: 204, headers: {}, data: undefined }],
    });
    await wrap(t.request, { method: "POST", url: "/repos/o/r/issues/1/comments" });
    await wrap(t.request, { method: "DELETE", url: "/repos/o/r/issues/comments/8" });
    await assert.rejects(
      wrap(t.request, { method: "GET", url: "/repos/o/r/issues/comments/8" }),
      (e: unknown) => (e as { status?: number }).status === 404,
    );
    assert.deepEqual(sleeps, []);
  });

  it("check 47: each retry gets a fresh copy of the options (inner plugins count retries in options.request)", async () => {
    const { wrap } = setup();
    const seen: object[] = [];
    const t = transport({
      "POST /repos/o/r/issues/1/comments": [created(`${BASE}/repos/o/r/issues/comments/9`)],
      "GET /repos/o/r/issues/comments/9": [404, ok],
    });
    await wrap(t.request, { method: "POST", url: "/repos/o/r/issues/1/comments" });
    const request = (o: Opts) => {
      seen.push({ ...o.request });
      (o.request as { retryCount?: number }).retryCount = 5;
      return t.request(o);
    };
    await wrap(request, { method: "GET", url: "/repos/o/r/issues/comments/9", request: { retries: 3 } });
    assert.deepEqual(seen, [{ retries: 3 }, { retries: 3 }]);
  });
});
