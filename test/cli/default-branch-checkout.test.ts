/**
 * `--default-branch-checkout <dir>` (issue 14 item 2): the job's checkout of the default branch answers the config
 * and baseline reads, and only when it is what the workflow meant: the top of a checkout whose
 * HEAD is this repository's default branch as fetched (SECURITY-CHECKLIST 1, 6: the bot's inputs
 * come from the default branch, never from the pull request). Real git, temporary repositories.
 */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as E from "fp-ts/Either";
import { checkoutFiles, readDefaultBranchCheckout } from "../../src/cli/default-branch-checkout.js";
import { createTempGitRepo, git, type TempGitRepo } from "../support/git-repo.js";

const CONFIG = ".github/ml-chatops.yml";
const expect = { owner: "octo", repo: "kw", defaultBranch: "main", serverUrl: "https://github.com" };
const repos: TempGitRepo[] = [];
after(() => repos.forEach((r) => r.remove()));

/** A checkout as actions/checkout leaves one: branch `main` = refs/remotes/origin/main, origin the repository. */
const checkout = (files: Readonly<Record<string, string>>, origin = "https://github.com/octo/kw"): TempGitRepo => {
  const r = createTempGitRepo();
  repos.push(r);
  r.commit(files, "default branch");
  git(r.path, "remote", "add", "origin", origin);
  git(r.path, "update-ref", "refs/remotes/origin/main", "HEAD");
  return r;
};

const blobSha = (r: TempGitRepo, path: string) => git(r.path, "rev-parse", `HEAD:${path}`);
const right = <A>(e: E.Either<string, A>): A => {
  if (E.isLeft(e)) assert.fail(e.left);
  return e.right;
};
const left = (e: E.Either<string, unknown>): string => {
  if (E.isRight(e)) assert.fail("expected a refusal");
  return e.left;
};

describe("readDefaultBranchCheckout", () => {
  it("reads the config and the baseline file it names, with git's blob ids (the contents API's sha)", async () => {
    const r = checkout({ [CONFIG]: "baseline:\n  path: results/best.json\n", "results/best.json": '{"a":1}\n' });
    const files = right(await readDefaultBranchCheckout(r.path, expect));
    assert.equal(files.commit, r.head());
    assert.deepEqual(files.repo, { owner: "octo", repo: "kw" });
    assert.deepEqual(
      [...files.files],
      [
        [CONFIG, { text: "baseline:\n  path: results/best.json\n", sha: blobSha(r, CONFIG) }],
        ["results/best.json", { text: '{"a":1}\n', sha: blobSha(r, "results/best.json") }],
      ],
    );
  });

  it("without a config, the default baseline path; absent files are answered as absent (null)", async () => {
    const r = checkout({ "README.md": "hi\n" });
    const files = right(await readDefaultBranchCheckout(r.path, expect));
    assert.deepEqual(
      [...files.files],
      [
        [CONFIG, null],
        [".ml-chatops/baseline.json", null],
      ],
    );
  });

  it("reads the commit, not the work tree: an edit a later step makes to the files is not what the bot reads", async () => {
    const r = checkout({ [CONFIG]: "label: ml-chatops:run\n" });
    writeFileSync(join(r.path, CONFIG), "requiredRole:\n  run: read\n");
    const files = right(await readDefaultBranchCheckout(r.path, expect));
    assert.equal(files.files.get(CONFIG)?.text, "label: ml-chatops:run\n");
  });

  it("an invalid config is taken as it is (the bot reports it), and no baseline is guessed for it", async () => {
    const r = checkout({ [CONFIG]: "nonsense: [\n", ".ml-chatops/baseline.json": "{}\n" });
    const files = right(await readDefaultBranchCheckout(r.path, expect));
    assert.deepEqual([...files.files.keys()], [CONFIG]);
  });

  it("a path that is no plain file (a directory) is left to GitHub to answer", async () => {
    const r = checkout({ [CONFIG]: "baseline:\n  path: best\n", "best/x.json": "{}\n" });
    const files = right(await readDefaultBranchCheckout(r.path, expect));
    assert.deepEqual([...files.files.keys()], [CONFIG]);
  });

  it("refuses a checkout of another branch, naming the branch", async () => {
    const r = checkout({ [CONFIG]: "{}\n" });
    git(r.path, "checkout", "-q", "-b", "feature");
    assert.equal(
      left(await readDefaultBranchCheckout(r.path, expect)),
      `--default-branch-checkout ${r.path}: HEAD is refs/heads/feature, not the default branch refs/heads/main`,
    );
  });

  it("refuses the pull request's commit checked out by SHA (a detached HEAD)", async () => {
    const r = checkout({ [CONFIG]: "{}\n" });
    git(r.path, "checkout", "-q", "--detach", "HEAD");
    assert.match(left(await readDefaultBranchCheckout(r.path, expect)), /: HEAD is detached, not the default branch/);
  });

  it("refuses a default branch with commits on top of what was fetched (a step committed to it)", async () => {
    const r = checkout({ [CONFIG]: "{}\n" });
    r.commit({ [CONFIG]: "requiredRole:\n  run: read\n" });
    assert.match(
      left(await readDefaultBranchCheckout(r.path, expect)),
      /: HEAD is not origin\/main as fetched \(commits on top of it, or never fetched\)$/,
    );
  });

  it("refuses another repository's checkout (a fork's main), naming its origin", async () => {
    const r = checkout({ [CONFIG]: "{}\n" }, "https://github.com/mallory/kw");
    assert.match(
      left(await readDefaultBranchCheckout(r.path, expect)),
      /: origin is "https:\/\/github\.com\/mallory\/kw", not https:\/\/github\.com\/octo\/kw$/,
    );
    // The same repository spelled with ".git", in another case or over SSH is the same remote.
    for (const url of ["https://github.com/Octo/kw.git", "git@github.com:octo/kw.git"])
      right(await readDefaultBranchCheckout(checkout({ [CONFIG]: "{}\n" }, url).path, expect));
    assert.match(
      left(
        await readDefaultBranchCheckout(checkout({ [CONFIG]: "{}\n" }, "git@evil.example:octo/kw.git").path, expect),
      ),
      /: origin is "git@evil\.example:octo\/kw\.git", not https:\/\/github\.com\/octo\/kw$/,
    );
  });

  it("refuses a directory inside another checkout, which git would answer for", async () => {
    const r = checkout({ [CONFIG]: "{}\n" });
    mkdirSync(join(r.path, "tool"));
    assert.match(left(await readDefaultBranchCheckout(join(r.path, "tool"), expect)), /: not the top of a checkout/);
  });

  it("refuses a directory that does not exist", async () => {
    const dir = join(tmpdir(), "ml-chatops-no-such-checkout");
    assert.equal(
      left(await readDefaultBranchCheckout(dir, expect)),
      `--default-branch-checkout ${dir}: no such directory`,
    );
  });

  it("a path holding pathspec magic is taken literally", async () => {
    const r = checkout({ [CONFIG]: 'baseline:\n  path: ":(glob)b*.json"\n', "best.json": "{}\n" });
    const files = right(await readDefaultBranchCheckout(r.path, expect));
    assert.deepEqual(
      [...files.files],
      [
        [CONFIG, { text: 'baseline:\n  path: ":(glob)b*.json"\n', sha: blobSha(r, CONFIG) }],
        [":(glob)b*.json", null],
      ],
    );
  });

  it("refuses a directory that is no checkout at all, with git's reason", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ml-chatops-no-checkout-"));
    assert.match(left(await readDefaultBranchCheckout(dir, expect)), /: fatal: not a git repository/);
  });
});

describe("checkoutFiles", () => {
  it("takes the default branch from the event and the server from the job", async () => {
    const r = checkout({ [CONFIG]: "{}\n" }, "https://ghe.example.com/octo/kw");
    git(r.path, "branch", "-q", "-m", "main", "trunk");
    git(r.path, "update-ref", "refs/remotes/origin/trunk", "HEAD");
    const env = { repository: "octo/kw", serverUrl: "https://ghe.example.com/" };
    right(await checkoutFiles(r.path, env, { repository: { default_branch: "trunk" } }));
    assert.match(
      left(await checkoutFiles(r.path, env, { repository: { default_branch: "main" } })),
      /not the default branch refs\/heads\/main/,
    );
  });

  it("an event without repository.default_branch (a schedule) is refused in one line", async () => {
    assert.equal(
      left(await checkoutFiles(".", { repository: "octo/kw", serverUrl: "https://github.com" }, {})),
      "--default-branch-checkout .: the event names no repository.default_branch (only on-comment and on-label take it)",
    );
  });
});
