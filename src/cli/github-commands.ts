/**
 * `ml-chatops on-comment` and `ml-chatops on-label`: one GitHub Actions event, handled once.
 * Exit 0 when the event was handled or rightly ignored, 1 on a real failure, 2 on a usage or
 * configuration error; always one final log line saying which and why.
 */
import { appendFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { withAllowList } from "../adapters/github/allow-list.js";
import { createGitHubApprovalStore } from "../adapters/github/approval-store.js";
import { createGitHubBaselineStore } from "../adapters/github/baseline-store.js";
import {
  canWriteCheckRuns,
  createGitHubCheckRunReporter,
  withSecondaryReporter,
} from "../adapters/github/check-run.js";
import { listDetachedRuns } from "../adapters/github/detached-runs.js";
import { describeDispatch, dispatchGitHubEvent } from "../adapters/github/dispatch.js";
import { commentKey, decodeGitHubEvent, type GitHubEvent } from "../adapters/github/events.js";
import { looksLikeCommand, replyConfigInvalid } from "../adapters/github/config-invalid-reply.js";
import { createGitHubForge } from "../adapters/github/forge.js";
import { resolveGitHubIdentity } from "../adapters/github/identity.js";
import { createGitHubOctokit } from "../adapters/github/octokit.js";
import { DEFAULT_REPO_CONFIG, loadRepoConfig } from "../adapters/github/repo-config.js";
import { describeError } from "../core/errors.js";
import { createForgeRunLedger } from "../core/ledger/forge-ledger.js";
import { createPipeline } from "../core/pipeline.js";
import { isTerminal } from "../core/model.js";
import type { PostedComment, Reporter, Runner } from "../core/ports.js";
import type { Pipeline } from "../core/pipeline.js";
import type { GitHubForge } from "../adapters/github/forge.js";
import type { GitHubClient } from "../adapters/github/octokit.js";
import { createCommentReporter } from "../core/ledger/report-comment.js";
import { renderReport } from "../core/report/render.js";
import { createTfidfKeywordsExperiment } from "../nlp/index.js";
import { createDeclaredExperiment } from "../core/declared-experiment.js";
import { readActionsEnv, readAuth, readEventFile, readStateSecret, secretValues, stderrLogger } from "./github-env.js";
import { createSecretMasker, maskDeep, maskingForge, maskingReporter, maskingRunner } from "../core/mask-secrets.js";
import type { CliCommand, CliIo } from "./io.js";
import { createRunner, RUNNERS } from "./runners/index.js";
import { jobForExperiments } from "./runners/job.js";

/** Test seams: a transport for Octokit and a ready runner. */
export type GitHubCommandDeps = { readonly fetch?: typeof fetch | undefined; readonly runner?: Runner | undefined };

type Mode = "comment" | "label" | "collect";

const USAGE = (mode: Mode) =>
  mode === "collect"
    ? COLLECT_USAGE
    : `Usage: ml-chatops on-${mode} [--runner ${Object.keys(RUNNERS).join("|")}]${mode === "label" ? " [--detach]" : ""}

Handles the GitHub Actions event in GITHUB_EVENT_PATH (${mode === "comment" ? "issue_comment" : "pull_request labeled / synchronize / closed"}).
Credentials: ML_CHATOPS_APP_ID + ML_CHATOPS_APP_PRIVATE_KEY + ML_CHATOPS_APP_INSTALLATION_ID, or ML_CHATOPS_TOKEN;
ML_CHATOPS_STATE_SECRET (32 random bytes: openssl rand -hex 32). GITHUB_TOKEN alone is refused.
`;

const COLLECT_USAGE = `Usage: ml-chatops collect [--runner ${Object.keys(RUNNERS).join("|")}]

Publishes the final reports of detached runs (started by "on-label --detach") that have finished.
It finds them through their reports on the open pull requests of GITHUB_REPOSITORY; runs still in
progress are left alone for the next collect. Run it from a scheduled workflow or by hand, with the
same credentials as on-label.
`;

const DEFAULT_CORPUS = "examples/data/sample-talks.jsonl";

const setOutput = async (file: string | undefined, key: string, value: string): Promise<void> => {
  if (file !== undefined) await appendFile(file, `${key}=${value.replace(/[\r\n]/g, " ")}\n`);
};

/**
 * Runs one event in `mode`.
 *
 * @example
 * const code = await runGitHubEvent("comment", [], processIo());
 */
export const runGitHubEvent = async (
  mode: Mode,
  argv: ReadonlyArray<string>,
  io: CliIo,
  deps: GitHubCommandDeps = {},
): Promise<number> => {
  const log = stderrLogger(io);
  const done = (code: number, line: string): number => {
    (code === 0 ? log.info : log.error)(`${mode === "collect" ? "collect" : `on-${mode}`}: ${line}`);
    return code;
  };
  let values: {
    runner?: string | undefined;
    detach?: boolean | undefined;
    "fetch-remote"?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        runner: { type: "string" },
        detach: { type: "boolean" },
        "fetch-remote": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    io.stderr(USAGE(mode));
    return done(2, `bad arguments: ${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}`);
  }
  if (values.help === true) {
    io.stdout(USAGE(mode));
    return 0;
  }
  const env = readActionsEnv(io.env);
  if (E.isLeft(env)) return done(2, env.left);
  const auth = readAuth(io.env);
  if (E.isLeft(auth)) return done(2, auth.left);
  const stateSecret = readStateSecret(io.env);
  if (E.isLeft(stateSecret)) return done(2, stateSecret.left);
  const secret = stateSecret.right;
  const [owner = "", repo = ""] = env.right.repository.split("/");
  let octokit;
  try {
    octokit = createGitHubOctokit({ logger: log, fetch: deps.fetch }, { auth: auth.right, baseUrl: env.right.apiUrl });
  } catch (e) {
    return done(2, e instanceof Error ? e.message : String(e));
  }

  const identity = await resolveGitHubIdentity(octokit, auth.right.kind === "app" ? "app" : "token")();
  if (E.isLeft(identity)) return done(1, `cannot tell who the bot is: ${describeError(identity.left)}`);
  const forge = createGitHubForge({ octokit, logger: log }, { identity: identity.right });
  const repoConfig = await loadRepoConfig({ octokit }, { owner, repo })();
  const config = E.isRight(repoConfig) ? repoConfig.right : DEFAULT_REPO_CONFIG;

  let event: GitHubEvent | undefined;
  if (mode !== "collect") {
    const payload = await readEventFile(env.right.eventPath);
    if (E.isLeft(payload)) return done(1, payload.left);
    const decoded = decodeGitHubEvent(env.right.eventName, payload.right, {
      ...config.events,
      botId: identity.right.id,
      now: new Date(),
    });
    if (E.isLeft(decoded)) return done(1, decoded.left);
    event = decoded.right;
    if (event._tag === "Ignored") return done(0, `ignored: ${event.reason}`);
    if (mode === "comment" && event._tag !== "Comment")
      return done(0, `ignored: ${env.right.eventName} is not a comment event`);
    if (mode === "label" && event._tag === "Comment") return done(0, "ignored: a comment event; use on-comment");
  }

  if (E.isLeft(repoConfig)) {
    if (repoConfig.left._tag !== "RepoConfigInvalid")
      return done(1, `cannot read the repository config: ${describeError(repoConfig.left)}`);
    if (event?._tag === "Comment") {
      const replied = await replyConfigInvalid(forge, event.event, repoConfig.left.detail)();
      // A comment that is no command was rightly ignored, whatever the config says.
      if (E.isRight(replied) && !replied.right && !looksLikeCommand(event.event.comment.body))
        return done(0, `ignored: no command (and ${repoConfig.left.detail})`);
    }
    return done(1, repoConfig.left.detail);
  }

  const approvals = createGitHubApprovalStore({ forge }, { secret });
  // Declared experiments replace the built-in; with none, tfidf-keywords runs on the configured corpus.
  const experiments =
    config.experiments === undefined
      ? [createTfidfKeywordsExperiment({ corpusPath: config.experiment.corpusPath ?? DEFAULT_CORPUS })]
      : Object.entries(config.experiments).map(([id, spec]) => createDeclaredExperiment(id, spec));
  const runnerKind = values.runner ?? config.runner.kind;
  const runner =
    deps.runner !== undefined
      ? E.right(deps.runner)
      : await createRunner(runnerKind, {
          flags: Object.fromEntries(
            Object.entries(values).filter((kv): kv is [string, string | boolean] => kv[1] !== undefined),
          ),
          env: io.env,
          cwd: io.cwd,
          experiments,
          settings: config.runner.settings,
          logger: log,
          job: jobForExperiments(experiments),
        });
  if (E.isLeft(runner)) return done(2, runner.left.detail);
  // Every text that leaves the bot is masked (check 82): runner output at the source, comments
  // and replies on their way out, and the report before it is rendered (the check run too).
  const mask = createSecretMasker(secretValues(io.env));
  const shown = maskingForge(forge, mask);
  // The report comment's URL, for the action's `report-url` output.
  let reportUrl: string | undefined;
  const commentReporter = createCommentReporter(shown);
  const comments: Reporter = {
    publish: (report) =>
      TE.tap((posted: PostedComment) => TE.fromIO(() => void (reportUrl = posted.url ?? reportUrl)))(
        commentReporter.publish(report),
      ),
  };
  const pipeline = createPipeline(
    {
      forge: withAllowList({ octokit, logger: log }, shown, config.allow),
      runner: maskingRunner(runner.right, mask),
      experiments,
      baseline: createGitHubBaselineStore({ octokit }, config.baseline),
      approvals,
      // Each event is a new process: the ledger lives on the pull request (promote, detached runs).
      ledger: createForgeRunLedger(forge),
      reporter: maskingReporter(
        config.checkRun && canWriteCheckRuns(identity.right)
          ? withSecondaryReporter(comments, createGitHubCheckRunReporter({ octokit, logger: log }), log)
          : comments,
        mask,
      ),
      logger: log,
    },
    { ...config.pipeline, botActorId: identity.right.id },
  );

  if (event === undefined)
    return collectFinished({ octokit, forge, runner: runner.right, pipeline, owner, repo, done });
  if (event._tag === "Ignored") return done(0, `ignored: ${event.reason}`);
  // A new comment is claimed atomically by the pipeline's 👀 reaction; an edit (where enabled)
  // keeps its comment's 👀, so a re-run of the same job is recognised by the edit's identity.
  if (event._tag === "Comment" && event.event.edited === true) {
    const claimed = await approvals.claim(event.event.pr, commentKey(event.event))();
    if (E.isLeft(claimed)) return done(1, `cannot record the comment: ${describeError(claimed.left)}`);
    if (!claimed.right) return done(0, `ignored: comment ${event.event.comment.id} was already handled`);
  }
  const result = await dispatchGitHubEvent(pipeline, event, { detach: values.detach === true })();
  if (E.isLeft(result)) return done(1, `failed: ${describeError(result.left)}`);
  const r = result.right;
  switch (r._tag) {
    case "Ignored":
      return done(0, `ignored: ${r.reason}`);
    case "Comment":
      await setOutput(env.right.output, "outcome", r.outcome._tag);
      return done(0, `${r.outcome._tag}${"reason" in r.outcome ? `: ${r.outcome.reason}` : ""}`);
    case "Label": {
      const out = r.outcome;
      await setOutput(env.right.output, "outcome", out._tag);
      if (out._tag === "Reported" && env.right.stepSummary !== undefined)
        await appendFile(env.right.stepSummary, `${mask(renderReport(maskDeep(mask, out.report)))}\n`);
      if (out._tag === "Reported") await setOutput(env.right.output, "status", out.report.status.state);
      if (reportUrl !== undefined) await setOutput(env.right.output, "report-url", reportUrl);
      if (out._tag === "Reported")
        return done(out.report.status.state === "errored" ? 1 : 0, `Reported: run ${out.report.status.state}`);
      return done(0, `${out._tag}${"reason" in out ? `: ${out.reason}` : ""}`);
    }
    case "Push":
    case "Closed":
      return done(0, describeDispatch(r));
  }
};

/** Follows every finished detached run to its final report; runs still in flight are left for later. */
const collectFinished = async (c: {
  readonly octokit: GitHubClient;
  readonly forge: GitHubForge;
  readonly runner: Runner;
  readonly pipeline: Pipeline;
  readonly owner: string;
  readonly repo: string;
  readonly done: (code: number, line: string) => number;
}): Promise<number> => {
  const runs = await listDetachedRuns({ octokit: c.octokit, forge: c.forge }, { owner: c.owner, repo: c.repo })();
  if (E.isLeft(runs)) return c.done(1, `cannot list detached runs: ${describeError(runs.left)}`);
  let published = 0;
  let pending = 0;
  let failures = 0;
  for (const run of runs.right.filter((r) => r.handle.runner === c.runner.kind)) {
    const status = await c.runner.status(run.handle)();
    if (E.isRight(status) && !isTerminal(status.right.state)) {
      pending += 1;
      continue;
    }
    // A status error is left to follow, which retries and reports a lost run as errored.
    const report = await c.pipeline.follow(run.handle, {
      pr: run.pr,
      experimentId: run.experimentId,
      params: run.params,
    })();
    if (E.isLeft(report)) failures += 1;
    else published += 1;
  }
  return c.done(
    failures > 0 ? 1 : 0,
    `${published} report(s) published, ${pending} run(s) still in progress, ${failures} failure(s)`,
  );
};

/** `ml-chatops collect`. */
export const runCollect: CliCommand = (argv, io) => runGitHubEvent("collect", argv, io);

/** `ml-chatops on-comment`. */
export const runOnComment: CliCommand = (argv, io) => runGitHubEvent("comment", argv, io);
/** `ml-chatops on-label`. */
export const runOnLabel: CliCommand = (argv, io) => runGitHubEvent("label", argv, io);
