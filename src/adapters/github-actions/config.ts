/**
 * Configuration of the GitHub Actions runner: codec, defaults, and the one place that throws.
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as t from "io-ts";
import { PathReporter } from "io-ts/PathReporter";

/**
 * What the caller sets. `workflowId` (file name or numeric id) and `ref` (the default branch) are
 * required; the dispatched workflow always runs from `ref`, never from anything a comment says.
 *
 * @example
 * const config: GitHubActionsRunnerConfig = { workflowId: "ml-chatops-experiment.yml", ref: "main" };
 */
export const GitHubActionsRunnerConfig = t.intersection([
  t.type({ workflowId: t.union([t.string, t.number]), ref: t.string }),
  t.partial({
    /** Repository holding the workflow; defaults to the pull request's repository. */
    owner: t.string,
    repo: t.string,
    /** Artifact the workflow uploads, with `resultFile` (and optionally `logFile`) inside. */
    artifactName: t.string,
    resultFile: t.string,
    logFile: t.string,
    /** Ask for the run id in the dispatch answer (GitHub.com since 2026-02); else correlate. */
    returnRunDetails: t.boolean,
    /** How often, and how far apart, to look for the run when the dispatch answered 204. */
    findAttempts: t.number,
    findDelayMs: t.number,
    /** Caps on the downloaded artifact (bytes of the zip, of the extracted result). */
    maxArtifactBytes: t.number,
    maxResultBytes: t.number,
    logTailLines: t.number,
    /**
     * Steps whose failure means the infrastructure failed (bad inputs, checkout, the commit
     * check), not the experiment: a run failing there is reported as errored.
     */
    infraStepNames: t.readonlyArray(t.string),
  }),
]);
export type GitHubActionsRunnerConfig = t.TypeOf<typeof GitHubActionsRunnerConfig>;

/** @internal */
export type ResolvedActionsConfig = Required<Omit<GitHubActionsRunnerConfig, "owner" | "repo">> & {
  readonly owner: string | undefined;
  readonly repo: string | undefined;
};

/**
 * Defaults of every optional setting but the repository.
 *
 * @example
 * DEFAULT_ACTIONS_CONFIG.artifactName; // "ml-chatops-result"
 */
export const DEFAULT_ACTIONS_CONFIG = {
  artifactName: "ml-chatops-result",
  resultFile: "result.json",
  logFile: "log-tail.txt",
  returnRunDetails: true,
  findAttempts: 6,
  findDelayMs: 2000,
  maxArtifactBytes: 20 * 1024 * 1024,
  maxResultBytes: 5 * 1024 * 1024,
  logTailLines: 40,
  // Every step of the shipped experiment workflow but "Run the experiment" (a test keeps them in step).
  infraStepNames: [
    "Validate inputs",
    "Check out the trusted side (this workflow's own commit, for its lock file)",
    "Check out the approved commit",
    "Verify the checked-out commit",
    "Set up Node.js",
    "Install ml-chatops from the default branch's lock file, not the pull request's",
    "Upload the result",
  ],
} as const;

const USAGE = 'usage: createGitHubActionsRunner({ octokit }, { workflowId: "ml-chatops-experiment.yml", ref: "main" })';

/**
 * Decodes the config and merges it over the defaults; throws a message naming each bad field.
 *
 * @example
 * resolveActionsConfig({ workflowId: "ml.yml", ref: "main" });
 * @internal */
export const resolveActionsConfig = (input: unknown): ResolvedActionsConfig => {
  const c = pipe(
    GitHubActionsRunnerConfig.decode(input),
    E.getOrElseW((errs) => {
      throw new Error(
        `invalid GitHub Actions runner config: ${PathReporter.report(E.left(errs)).join("; ")}\n${USAGE}`,
      );
    }),
  );
  const r: ResolvedActionsConfig = { ...DEFAULT_ACTIONS_CONFIG, ...c, owner: c.owner, repo: c.repo };
  const problems = [
    ...(r.ref.trim() === "" || r.ref.startsWith("refs/pull/")
      ? ["ref: the default branch name (never a pull-request ref)"]
      : []),
    ...(String(r.workflowId).trim() === "" ? ["workflowId: empty"] : []),
    ...((r.owner === undefined) !== (r.repo === undefined) ? ["owner/repo: set both or neither"] : []),
    ...(Number.isInteger(r.findAttempts) && r.findAttempts >= 1 ? [] : ["findAttempts: an integer >= 1"]),
    ...(/^[A-Za-z0-9._-]+$/.test(r.artifactName) ? [] : ["artifactName: letters, digits, '.', '_' and '-'"]),
  ];
  if (problems.length > 0) throw new Error(`invalid GitHub Actions runner config: ${problems.join("; ")}\n${USAGE}`);
  return r;
};
