import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as E from "fp-ts/Either";
import { decodeGitHubEvent, type GitHubEvent } from "../../../src/adapters/github/events.js";
import { commentPayload, pullPayload, webhookSchemaErrors } from "../../fixtures/github/payloads.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as Array<{ name: string; examples: Array<{ action: string }> }>;

const BOT = { login: "ml-chatops[bot]", id: 4242, type: "Bot" as const };
const WES = { login: "wes", id: 11 };
const NOW = new Date("2019-05-15T16:00:00Z"); // the recorded example comments are from 2019-05-15T15:20Z
const opts = { botId: BOT.id, now: NOW };

const decoded = (name: string, p: unknown, o: Parameters<typeof decodeGitHubEvent>[2] = opts): GitHubEvent => {
  const r = decodeGitHubEvent(name, p, o);
  if (E.isLeft(r)) throw new Error(r.left);
  return r.right;
};
const reasonOf = (e: GitHubEvent): string => (e._tag === "Ignored" ? e.reason : `not ignored: ${e._tag}`);

describe("GitHub webhook events", () => {
  describe("the recorded @octokit/webhooks-examples payloads decode", () => {
    for (const d of examples.filter((x) => x.name === "issue_comment" || x.name === "pull_request")) {
      d.examples.forEach((p, i) => {
        it(`${d.name}[${i}] ${p.action}`, () => {
          const e = decoded(d.name, p, { now: NOW, maxCommentAgeMs: Number.MAX_SAFE_INTEGER });
          if (d.name === "issue_comment") assert.equal(e._tag, "Ignored"); // none of them is on a PR
          if (p.action === "labeled") assert.equal(e._tag, "Label");
          if (p.action === "synchronize") assert.equal(e._tag, "Push");
          if (p.action === "closed") assert.equal(e._tag, "Closed");
        });
      });
    }
  });

  it("the fixtures built from them still validate against @octokit/webhooks-schemas", () => {
    const cases: Array<[string, unknown]> = [
      ["issue_comment$created", commentPayload({ body: "/experiment run", author: WES })],
      [
        "issue_comment$created",
        commentPayload({ body: "/experiment run", author: BOT, viaApp: { id: 77, slug: "ml-chatops" } }),
      ],
      ["issue_comment$edited", commentPayload({ body: "/experiment run", author: WES, action: "edited", sender: BOT })],
      [
        "pull_request$labeled",
        pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run", installationId: 99 }),
      ],
      ["pull_request$synchronize", pullPayload({ action: "synchronize", sender: WES, headSha: "b".repeat(40) })],
      ["pull_request$closed", pullPayload({ action: "closed", sender: WES })],
    ];
    for (const [def, p] of cases) assert.deepEqual(webhookSchemaErrors(def, p), [], def);
  });

  it("a PR comment becomes a CommentEvent with the author's id", () => {
    const e = decoded(
      "issue_comment",
      commentPayload({
        body: "/experiment run max_df=0.4",
        author: WES,
        commentId: 9,
        createdAt: "2019-05-15T15:59:00Z",
      }),
    );
    assert.deepEqual(e, {
      _tag: "Comment",
      event: {
        pr: { owner: "octo", repo: "kw", number: 7 },
        comment: {
          id: 9,
          body: "/experiment run max_df=0.4",
          author: { login: "wes", id: 11 },
          createdAt: "2019-05-15T15:59:00Z",
        },
      },
    });
  });

  it("a malformed payload is an error naming the path", () => {
    const p = commentPayload({ body: "x", author: WES });
    (p["comment"] as { id: unknown }).id = "nine";
    const r = decodeGitHubEvent("issue_comment", p, opts);
    assert.ok(E.isLeft(r));
    assert.match(r.left, /malformed issue_comment payload: comment\.id: expected number, got "nine"/);
    const q = pullPayload({ action: "synchronize", sender: WES, headSha: "abc1234" });
    assert.match(
      E.isLeft(decodeGitHubEvent("pull_request", q, opts))
        ? (decodeGitHubEvent("pull_request", q, opts) as E.Left<string>).left
        : "",
      /head\.sha/,
    );
  });

  it("check 22: author_association never decides: OWNER and NONE give the same event (the API decides later)", () => {
    const owner = decoded(
      "issue_comment",
      commentPayload({ body: "/experiment run", author: WES, authorAssociation: "OWNER" }),
    );
    const none = decoded(
      "issue_comment",
      commentPayload({ body: "/experiment run", author: WES, authorAssociation: "NONE" }),
    );
    assert.deepEqual(owner, none);
  });

  it("check 40: the bot's own comment, even one quoting the command, is ignored (matched by id)", () => {
    assert.match(
      reasonOf(decoded("issue_comment", commentPayload({ body: "/experiment run", author: BOT }))),
      /by this bot/,
    );
  });

  it("check 26: another bot's comment is ignored unless its id is allow-listed", () => {
    const other = { login: "helper[bot]", id: 77, type: "Bot" as const };
    assert.match(
      reasonOf(decoded("issue_comment", commentPayload({ body: "/experiment run", author: other }))),
      /by bot helper\[bot\]/,
    );
    assert.equal(
      decoded("issue_comment", commentPayload({ body: "/experiment run", author: other }), {
        ...opts,
        allowedBotIds: [77],
      })._tag,
      "Comment",
    );
  });

  it("check 28: a user named like the bot is an ordinary user, not the bot", () => {
    const lookalike = { login: "ml-chatops", id: 5 };
    assert.equal(
      decoded("issue_comment", commentPayload({ body: "/experiment run", author: lookalike }))._tag,
      "Comment",
    );
  });

  it("check 41: edits are ignored by default; when enabled the editor is the actor; deletions never act", () => {
    const edited = commentPayload({
      body: "/experiment run",
      author: WES,
      sender: { login: "eve", id: 66 },
      action: "edited",
    });
    assert.match(reasonOf(decoded("issue_comment", edited)), /comment edited/);
    const e = decoded("issue_comment", edited, { ...opts, allowEdits: true });
    assert.equal(e._tag === "Comment" ? e.event.comment.author.login : "", "eve");
    assert.match(
      reasonOf(
        decoded("issue_comment", commentPayload({ body: "/experiment run", author: WES, action: "deleted" }), {
          ...opts,
          allowEdits: true,
        }),
      ),
      /deleted/,
    );
  });

  it("check 42: comments on plain issues and on closed PRs are ignored", () => {
    assert.match(
      reasonOf(
        decoded("issue_comment", commentPayload({ body: "/experiment run", author: WES, onPullRequest: false })),
      ),
      /not a pull request/,
    );
    assert.match(
      reasonOf(decoded("issue_comment", commentPayload({ body: "/experiment run", author: WES, state: "closed" }))),
      /closed/,
    );
  });

  it("check 43: missing sender, the ghost user, or no installation in App mode are ignored without throwing", () => {
    const noSender = commentPayload({ body: "/experiment run", author: WES });
    noSender["sender"] = null;
    assert.match(reasonOf(decoded("issue_comment", noSender)), /sender/);
    assert.match(
      reasonOf(
        decoded("issue_comment", commentPayload({ body: "/experiment run", author: { login: "ghost", id: 10137 } })),
      ),
      /deleted user/,
    );
    assert.match(
      reasonOf(
        decoded("issue_comment", commentPayload({ body: "/experiment run", author: WES }), {
          ...opts,
          requireInstallation: true,
        }),
      ),
      /installation/,
    );
    const noPr = commentPayload({ body: "x", author: WES });
    delete (noPr["issue"] as { pull_request?: unknown }).pull_request;
    assert.equal(decoded("issue_comment", noPr)._tag, "Ignored");
  });

  it("check 44: a comment older than the window (24 h default) is dropped", () => {
    const old = commentPayload({ body: "/experiment run", author: WES, createdAt: "2019-05-14T15:00:00Z" });
    assert.match(reasonOf(decoded("issue_comment", old)), /too old/);
    assert.equal(decoded("issue_comment", old, { ...opts, maxCommentAgeMs: 2 * 86_400_000 })._tag, "Comment");
  });

  it("pull_request labeled / synchronize / closed map to Label / Push / Closed; other actions are ignored", () => {
    const sha = "c".repeat(40);
    assert.deepEqual(
      decoded("pull_request", pullPayload({ action: "labeled", sender: BOT, label: "ml-chatops:run" })),
      {
        _tag: "Label",
        event: {
          pr: { owner: "octo", repo: "kw", number: 7 },
          label: "ml-chatops:run",
          sender: { login: BOT.login, id: BOT.id },
        },
      },
    );
    assert.deepEqual(decoded("pull_request", pullPayload({ action: "synchronize", sender: WES, headSha: sha })), {
      _tag: "Push",
      event: { pr: { owner: "octo", repo: "kw", number: 7 }, headSha: sha },
    });
    assert.equal(decoded("pull_request", pullPayload({ action: "closed", sender: WES }))._tag, "Closed");
    assert.match(reasonOf(decoded("push", {})), /not handled/);
  });
});
