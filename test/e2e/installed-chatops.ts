/**
 * A user's repository for the end-to-end tests of issue 10: one example of
 * examples/python-experiment/ (its files and its .github/ml-chatops.yml), the packed package
 * installed from the tarball (one pack per test file), and nothing of our source. The installed
 * CLI handles the pull request's events the way the shipped workflows call it (`npx --no-install
 * ml-chatops on-comment`, `on-label --runner local`) against the fake GitHub on loopback, whose
 * default branch holds the config and the current best written by `ml-chatops run --save-as-baseline`.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commentPayload, pullPayload } from "../fixtures/github/payloads.js";
import { createWorld, type World } from "../adapters/github/setup.js";
import { actionsEvent, appCredentials, TEST_BOT } from "../support/actions-event.js";
import { git } from "../support/git-repo.js";
import { REPO_ROOT, cleanEnv, exec, freshProject, npmInstall, packOnce, type Exec } from "../package/support.js";

// Debian's python3 (scikit-learn, MeCab) first: a pyenv python3 earlier on PATH may lack them.
const PATH = `/usr/bin:/bin:${process.env["PATH"] ?? ""}`;

export type InstalledChatOps = {
  readonly w: World;
  /** The user's repository (a git work tree at `sha`). */
  readonly repo: string;
  readonly sha: string;
  /** The baseline file the local dev loop saved, as committed on the default branch. */
  readonly baselineText: string;
  /** `npx --no-install ml-chatops …` in the repository, with the user's PATH and HOME. */
  readonly npx: (args: ReadonlyArray<string>, env?: Readonly<Record<string, string>>) => Promise<Exec>;
  /** One `issue_comment` job: the comment is posted on the fake, then `on-comment` handles it. */
  readonly comment: (pr: number, body: string) => Promise<Exec>;
  /** One `pull_request labeled` job for the bot's run label: `on-label --runner local`. */
  readonly labelled: (pr: number) => Promise<Exec>;
  /** comment → approved → label → run → reported; returns the report comment's body. */
  readonly run: (pr: number, body: string) => Promise<string>;
  readonly botComments: (pr: number) => ReadonlyArray<{ readonly body: string }>;
  readonly close: () => Promise<void>;
};

export const lastLine = (s: string): string => s.trim().split("\n").at(-1) ?? "";

/**
 * Packs this checkout (dist/ as built), installs it into a fresh repository holding only the
 * example, commits it, saves the current best with `ml-chatops run --save-as-baseline`, and puts
 * the config and that baseline on the fake GitHub's default branch.
 *
 * @example
 * const t = await installExample("classifier");
 * const report = await t.run(21, "/experiment run c=0.2");
 */
export const installExample = async (example: "classifier" | "keywords"): Promise<InstalledChatOps> => {
  const [tarball, w] = await Promise.all([packOnce(), createWorld()]);
  const { baseUrl, close } = await w.gh.listen();
  const repo = freshProject(example, {});
  const home = mkdtempSync(join(tmpdir(), "ml-chatops-home-"));
  const remove = async () => {
    await close();
    for (const dir of [home, repo, join(tarball, "..")]) rmSync(dir, { recursive: true, force: true });
  };
  try {
    return await prepare({ example, tarball, w, baseUrl, repo, home, remove });
  } catch (e) {
    // A failed setup must not leave the fake listening: the test process would never end.
    await remove();
    throw e;
  }
};

const prepare = async (c: {
  readonly example: string;
  readonly tarball: string;
  readonly w: World;
  readonly baseUrl: string;
  readonly repo: string;
  readonly home: string;
  readonly remove: () => Promise<void>;
}): Promise<InstalledChatOps> => {
  const { example, tarball, w, baseUrl, repo, home } = c;
  cpSync(join(REPO_ROOT, "examples", "python-experiment", example), repo, { recursive: true });
  writeFileSync(join(repo, ".gitignore"), "node_modules/\nout/\n.ml-chatops/\n");
  await npmInstall(repo, [tarball]);
  git(repo, "init", "-q", "-b", "main");
  git(repo, "config", "user.name", "Data Scientist");
  git(repo, "config", "user.email", "ds@example.invalid");
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", `${example} experiment`);
  const sha = git(repo, "rev-parse", "HEAD");

  const npx = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) =>
    exec("npx", ["--no-install", "ml-chatops", ...args], repo, cleanEnv({ PATH, HOME: home, ...env }));
  const saved = await npx(["run", "--save-as-baseline", "--format", "json"]);
  assert.equal(saved.code, 0, saved.stderr);
  const baselineText = readFileSync(join(repo, ".ml-chatops", "baseline.json"), "utf8");
  w.gh.setFile(w.repo, "main", ".github/ml-chatops.yml", readFileSync(join(repo, ".github", "ml-chatops.yml"), "utf8"));
  w.gh.setFile(w.repo, "main", ".ml-chatops/baseline.json", baselineText);

  // The job's environment: the App's credentials, the fake's URL, the checkout as the workspace.
  const job = (args: ReadonlyArray<string>, event: Record<string, string>) =>
    npx(args, { ...appCredentials(w.app), GITHUB_API_URL: baseUrl, GITHUB_WORKSPACE: repo, ...event });
  const comment = (pr: number, body: string) => {
    const c = w.gh.addComment(w.repo, pr, w.users.writer, body);
    return job(
      ["on-comment"],
      actionsEvent(
        home,
        "issue_comment",
        commentPayload({ body, author: w.users.writer, number: pr, commentId: c.id, createdAt: c.createdAt }),
      ),
    );
  };
  const labelled = (pr: number) =>
    job(
      ["on-label", "--runner", "local"],
      actionsEvent(
        home,
        "pull_request",
        pullPayload({ action: "labeled", sender: TEST_BOT, label: "ml-chatops:run", number: pr }),
      ),
    );
  const botComments = (pr: number) => w.gh.commentsOn(w.repo, pr).filter((c) => c.user.id === TEST_BOT.id);
  const run = async (pr: number, body: string) => {
    const approved = await comment(pr, body);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(lastLine(approved.stderr), /on-comment: Approved/);
    const ran = await labelled(pr);
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(lastLine(ran.stderr), /on-label: Reported: run succeeded/);
    return botComments(pr).find((c) => c.body.startsWith("<!-- ml-chatops:report"))?.body ?? "";
  };
  return {
    w,
    repo,
    sha,
    baselineText,
    npx,
    comment,
    labelled,
    run,
    botComments,
    close: async () => {
      await c.remove();
      assert.deepEqual(w.gh.problems, []);
    },
  };
};
