/**
 * The default-branch checkout an Actions job makes with actions/checkout (`ref:` the default
 * branch), built from the fake GitHub's files: a local branch named like the default branch at
 * the commit fetched as `refs/remotes/origin/<branch>`, and origin set to the repository's URL on
 * the server, as actions/checkout leaves them. Its blobs have git's ids, which the fake's contents
 * API answers as `sha` too, so a write locked on one of them is checked as GitHub checks it.
 */
import type { FakeRepo } from "./fake-github/index.js";
import { createTempGitRepo, git, type TempGitRepo } from "./git-repo.js";

/**
 * Checks out `repo`'s default branch as it is now on the fake.
 *
 * @example
 * const checkout = checkoutDefaultBranch(w.repo);
 * await runGitHubEvent("label", ["--default-branch-checkout", checkout.path], io, deps);
 */
export const checkoutDefaultBranch = (repo: FakeRepo, serverUrl = "https://github.com"): TempGitRepo => {
  const checkout = createTempGitRepo();
  const branch = repo.defaultBranch;
  if (branch !== "main") git(checkout.path, "checkout", "-q", "-b", branch);
  checkout.commit(Object.fromEntries(repo.files.get(branch) ?? []), "default branch");
  git(checkout.path, "remote", "add", "origin", `${serverUrl}/${repo.owner}/${repo.name}`);
  git(checkout.path, "update-ref", `refs/remotes/origin/${branch}`, "HEAD");
  return checkout;
};
