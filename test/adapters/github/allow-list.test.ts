import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { withAllowList } from "../../../src/adapters/github/allow-list.js";
import { createGitHubForge, type GitHubForge } from "../../../src/adapters/github/forge.js";
import { parseRepoConfig } from "../../../src/adapters/github/repo-config.js";
import * as E from "fp-ts/Either";
import { createWorld, right, type World } from "./setup.js";

const REPO = { owner: "octo", repo: "kw" };

describe("allow-lists of users and teams (issue item 3)", () => {
  let w: World;
  let forge: GitHubForge;
  before(async () => {
    w = await createWorld();
    forge = createGitHubForge({ octokit: w.appClient() }, { identity: { login: "ml-chatops[bot]", id: 4242 } });
    w.gh.addTeam("octo", "ml", [w.users.maintainer]);
  });
  after(() => assert.deepEqual(w.gh.problems, []));

  it("no lists: the role alone decides", async () => {
    assert.equal(withAllowList({ octokit: w.appClient() }, forge, {}), forge);
  });

  it("a listed user or an active team member keeps their role; anyone else is treated as none", async () => {
    const f = withAllowList({ octokit: w.appClient() }, forge, { users: ["WES"], teams: ["octo/ml"] });
    assert.equal(right(await f.getPermission(REPO, w.users.writer)()), "write");
    assert.equal(right(await f.getPermission(REPO, w.users.maintainer)()), "maintain");
    assert.equal(right(await f.getPermission(REPO, w.users.admin)()), "none");
  });

  it("a team API error means not allowed", async () => {
    w.gh.faults.push({
      operationId: "teams/get-membership-for-user-in-org",
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    const f = withAllowList({ octokit: w.appClient() }, forge, { teams: ["octo/ml"] });
    assert.equal(right(await f.getPermission(REPO, w.users.maintainer)()), "none");
  });

  it("the lists come from .github/ml-chatops.yml", () => {
    const r = parseRepoConfig("allow:\n  users: [wes]\n  teams: [octo/ml]\n");
    assert.ok(E.isRight(r));
    assert.deepEqual(r.right.allow, { users: ["wes"], teams: ["octo/ml"] });
  });
});
