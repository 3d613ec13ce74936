/**
 * Issue 14 item 2: the GitHub forge reads each comment listing in full once, then revalidates it
 * with If-None-Match, so repeated reads in an event are free 304s while a change by any other
 * process (another job, an admin's edit) is still seen on the very next read. Check 84 (state
 * freshness) depends on that: a signed comment's `updated_at` must always be GitHub's current one.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { createGitHubForge, type GitHubForge } from "../../../src/adapters/github/forge.js";
import { createListingCache } from "../../../src/adapters/github/listing-cache.js";
import { createWorld, right, type World } from "./setup.js";

const BOT = { login: "ml-chatops[bot]", id: 4242 };
const MARKER = "<!-- ml-chatops:test -->";

describe("GitHub forge: conditional reads of comment listings", () => {
  let w: World;
  let forge: GitHubForge;
  let pr = 40;
  const next = () => ({ owner: "octo", repo: "kw", number: ++pr });
  const listings = (number: number) =>
    w.gh.log.filter((r) => r.operationId === "issues/list-comments" && r.path.endsWith(`/issues/${number}/comments`));

  before(async () => {
    w = await createWorld();
    forge = createGitHubForge({ octokit: w.appClient() }, { identity: BOT });
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("the second read of an unchanged listing is a 304 with the same answer", async () => {
    const p = next();
    w.gh.addPull(w.repo, { number: p.number, user: w.users.bob });
    w.gh.addComment(w.repo, p.number, w.gh.state.users.get("ml-chatops[bot]")!, `${MARKER}\nfirst`);
    const first = right(await forge.listOwnComments(p)());
    const again = right(await forge.listOwnComments(p)());
    assert.deepEqual(again, first);
    assert.equal(first.length, 1);
    const [a, b] = listings(p.number);
    assert.deepEqual([a?.status, a?.ifNoneMatch], [200, undefined]);
    assert.equal(b?.status, 304);
    assert.match(b?.ifNoneMatch ?? "", /^W\/"/);
  });

  it("check 84: an edit by someone else (an admin) or a comment by another process is seen on the next read", async () => {
    const p = next();
    w.gh.addPull(w.repo, { number: p.number, user: w.users.bob });
    const ours = w.gh.addComment(w.repo, p.number, w.gh.state.users.get("ml-chatops[bot]")!, `${MARKER}\nv1`);
    right(await forge.listOwnComments(p)());
    // An admin edits the bot's comment (GitHub lets admins edit any comment): a new updated_at.
    const edited = w.gh.commentsOn(w.repo, p.number).find((c) => c.id === ours.id)!;
    edited.body = `${MARKER}\nrestored`;
    edited.updatedAt = new Date(Date.now() + 60_000).toISOString();
    const seen = O.toUndefined(right(await forge.findOwnComment(p, MARKER)()));
    assert.equal(seen?.body, `${MARKER}\nrestored`);
    assert.equal(seen?.updatedAt, edited.updatedAt);
    assert.equal(listings(p.number).at(-1)?.status, 200, "the conditional read got the change, not the copy");
    // Another job (its own forge, its own cache) posts the bot's comment.
    const other = createGitHubForge({ octokit: w.appClient() }, { identity: BOT });
    right(await other.upsertComment(p, "<!-- ml-chatops:other -->", "<!-- ml-chatops:other -->\nfrom another job")());
    const all = right(await forge.listOwnComments(p)());
    assert.deepEqual(
      all.map((c) => c.body.split("\n")[1]),
      ["restored", "from another job"],
    );
  });

  it("a write through the forge forgets the listing: the next read asks without a validator", async () => {
    const p = next();
    w.gh.addPull(w.repo, { number: p.number, user: w.users.bob });
    right(await forge.upsertComment(p, MARKER, `${MARKER}\none`)());
    right(await forge.upsertComment(p, MARKER, `${MARKER}\ntwo`)());
    right(await forge.reply(p, "a reply")());
    const found = O.toUndefined(right(await forge.findOwnComment(p, MARKER)()));
    assert.equal(found?.body, `${MARKER}\ntwo`);
    // upsert #1 reads (full), upsert #2 reads after the create (forgotten: full); the find after the reply: full.
    assert.deepEqual(
      listings(p.number).map((r) => [r.status, r.ifNoneMatch === undefined]),
      [
        [200, true],
        [200, true],
        [200, true],
      ],
    );
    assert.equal(w.gh.commentsOn(w.repo, p.number).length, 2, "one upserted comment and the reply");
  });

  it("a full page answered 304 is followed by the next page: a validator says nothing of the Link header", async () => {
    const p = next();
    w.gh.addPull(w.repo, { number: p.number, user: w.users.bob });
    const bot = w.gh.state.users.get("ml-chatops[bot]")!;
    for (let i = 0; i < 100; i++) w.gh.addComment(w.repo, p.number, bot, `note ${i}`);
    assert.equal(right(await forge.listOwnComments(p)()).length, 100);
    // The 101st lands on page 2; page 1's body is unchanged, so GitHub answers it 304.
    w.gh.addComment(w.repo, p.number, bot, `${MARKER}\nthe 101st`);
    const found = O.toUndefined(right(await forge.findOwnComment(p, MARKER)()));
    assert.equal(found?.body, `${MARKER}\nthe 101st`);
    assert.deepEqual(
      listings(p.number)
        .slice(-2)
        .map((r) => [r.status, r.path]),
      [
        [304, `/repos/octo/kw/issues/${p.number}/comments`],
        [200, `/repos/octo/kw/issues/${p.number}/comments`],
      ],
    );
  });

  it("keeps a bounded number of pages, the least recently read going first", async () => {
    const cache = createListingCache<number>(2);
    const fetched: Array<string | undefined> = [];
    const read = (key: string) =>
      cache.read(
        key,
        async (etag) => {
          fetched.push(etag);
          return { data: [1], headers: { etag: `W/"${key}"` } };
        },
        (data) => TE.right({ items: data as number[], size: 1 }),
        (e) => e,
      )();
    await read("a");
    await read("b");
    await read("a");
    await read("c"); // evicts b, the least recently read
    assert.equal(cache.size(), 2);
    fetched.length = 0;
    await read("b");
    await read("a");
    assert.deepEqual(fetched, [undefined, undefined], "b was evicted; then a, by c's and b's arrival");
  });
});
