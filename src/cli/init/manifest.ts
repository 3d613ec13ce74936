/**
 * Which files `init` writes per runner, and from which template shipped in the package. The
 * templates are the committed examples (`examples/<setup>/`, laid out as they go into a
 * repository); a test keeps each example directory equal to `init`'s output with the defaults.
 */
import { renderRepoConfig } from "./config-file.js";
import type { InitOptions, InitRunner } from "./options.js";

/** The example directory (in the package) that holds a runner's templates and is its `init` output. */
export const SETUP_DIRS: Readonly<Record<InitRunner, string>> = {
  local: "examples/github-local",
  codebuild: "examples/github-codebuild",
  argo: "examples/argo",
  "github-actions": "examples/github-actions-runner",
};

/** The comment workflow is the same for every runner; its one source is the reference setup's. */
const COMMENT_WORKFLOW = {
  from: "examples/github-codebuild/.github/workflows/comment-to-label.yml",
  to: ".github/workflows/comment-to-label.yml",
};

/** Files copied from the runner's own example directory (paths relative to it and to the repository). */
const OWN_FILES: Readonly<Record<InitRunner, ReadonlyArray<string>>> = {
  local: [".github/workflows/label-to-local.yml"],
  codebuild: [
    ".github/workflows/label-to-codebuild.yml",
    "buildspec.yml",
    "iam/build-policy.json",
    "iam/build-trust-policy.json",
    "iam/runner-policy.json",
    "iam/runner-trust-policy.json",
  ],
  argo: [
    ".github/workflows/label-to-argo.yml",
    "argo/workflow.yaml",
    "argo/rbac.yaml",
    "argo/argo-server-access.yaml",
    "argo/Dockerfile",
  ],
  "github-actions": [".github/workflows/label-to-github-actions.yml", ".github/workflows/ml-chatops-experiment.yml"],
};

/** One file `init` writes: its path in the repository and where its text comes from. */
export type PlannedFile =
  | { readonly to: string; readonly from: string; readonly trigger?: string | undefined }
  | { readonly to: string; readonly text: string };

/** The repository config's path, written for every runner. */
export const REPO_CONFIG_FILE = ".github/ml-chatops.yml";

/**
 * Every file `init` writes for these options, in the order it reports them.
 *
 * @example
 * planFiles({ runner: "local", trigger: "/experiment", experiment: { kind: "builtin" }, force: false }).map((f) => f.to);
 * // [".github/ml-chatops.yml", ".github/workflows/comment-to-label.yml", ".github/workflows/label-to-local.yml"]
 */
export const planFiles = (o: InitOptions): ReadonlyArray<PlannedFile> => [
  { to: REPO_CONFIG_FILE, text: renderRepoConfig(o) },
  { ...COMMENT_WORKFLOW, trigger: o.trigger },
  ...OWN_FILES[o.runner].map((p) => ({ to: p, from: `${SETUP_DIRS[o.runner]}/${p}` })),
];

// The command word appears in the comment workflow's `if:` and its comments; a longer word that
// merely starts with it (`/experiments`) is not the word.
const WORD = /\/experiment(?![A-Za-z0-9_-])/g;

/**
 * A template's text with the default command word replaced by `trigger` (already validated).
 *
 * @example
 * withTrigger("contains(github.event.comment.body, '/experiment')", "/ml"); // "contains(github.event.comment.body, '/ml')"
 */
export const withTrigger = (text: string, trigger: string): string => text.replace(WORD, () => trigger);
