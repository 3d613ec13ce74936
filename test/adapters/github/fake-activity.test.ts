import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createWorld, type World } from "./setup.js";

describe("fake GitHub: List repository activities", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
    w.gh.addPull(w.repo, { number: 70, user: w.users.bob, headRef: "tune", pushedAt: "2026-11-27T08:00:00Z" });
    for (let h = 9; h <= 13; h++)
      w.gh.push(w.repo, 70, undefined, {
        at: `2026-11-27T${String(h).padStart(2, "0")}:00:00Z`,
        by: w.users.bob,
        force: h === 11,
      });
    w.gh.addPull(w.repo, { number: 71, user: w.users.bob, headRef: "other", pushedAt: "2026-11-27T07:00:00Z" });
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  const list = async (query: Record<string, string | number>, repo = "kw", client = w.appClient()) =>
    client.request("GET /repos/{owner}/{repo}/activity", { owner: "octo", repo, ...query });

  it("filters by ref (refs/heads/x or x), newest first by default, asc on request", async () => {
    const full = await list({ ref: "refs/heads/tune" });
    const short = await list({ ref: "tune" });
    assert.deepEqual(full.data, short.data);
    assert.deepEqual(
      full.data.map((a) => a.timestamp.slice(11, 13)),
      ["13", "12", "11", "10", "09", "08"],
    );
    assert.deepEqual(full.data.at(-1)!.activity_type, "branch_creation");
    assert.equal(full.data.at(-1)!.before, "0".repeat(40));
    assert.equal(full.data[0]!.after, w.repo.issues.get(70)!.pull!.headSha);
    assert.equal(full.data[0]!.before, full.data[1]!.after);
    assert.equal(full.data[0]!.actor?.login, "bob");
    const asc = await list({ ref: "tune", direction: "asc" });
    assert.deepEqual(
      asc.data.map((a) => a.id),
      full.data.map((a) => a.id).reverse(),
    );
  });

  it("filters by activity_type and pages with per_page and a Link cursor", async () => {
    assert.deepEqual(
      (await list({ ref: "tune", activity_type: "force_push" })).data.map((a) => a.timestamp),
      ["2026-11-27T11:00:00Z"],
    );
    const first = await list({ ref: "tune", per_page: 4 });
    assert.equal(first.data.length, 4);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.link ?? "")?.[1];
    assert.ok(next !== undefined);
    const cursor = new URL(next).searchParams.get("after")!;
    const second = await list({ ref: "tune", per_page: 4, after: cursor });
    assert.deepEqual(
      second.data.map((a) => a.timestamp.slice(11, 13)),
      ["09", "08"],
    );
    assert.doesNotMatch(second.headers.link ?? "", /rel="next"/);
  });

  it("without ref it lists every branch; an unknown direction is a 422", async () => {
    const refs = (await list({})).data.map((a) => a.ref);
    assert.deepEqual(new Set(refs), new Set(["refs/heads/tune", "refs/heads/other", "refs/heads/feature-7"]));
    assert.equal(refs.length, 8);
    await assert.rejects(list({ direction: "sideways" }), (e: { status?: number }) => e.status === 422);
  });

  it("private repositories need read access; public ones are readable by any authenticated caller", async () => {
    await assert.rejects(list({}, "kw", w.tokenClient(w.users.stranger)), (e: { status?: number }) => e.status === 404);
    assert.ok((await list({}, "kw", w.tokenClient(w.users.reader))).data.length > 0);
    w.gh.addRepo("octo", "open-kw", { private: false });
    assert.deepEqual((await list({}, "open-kw")).data, []);
    assert.deepEqual((await list({}, "open-kw", w.tokenClient(w.users.stranger))).data, []);
  });
});
