/**
 * `ml-chatops on-comment` and `ml-chatops on-label`: one GitHub Actions event, handled once.
 * Exit 0 when the event was handled or rightly ignored, 1 on a real failure, 2 on a usage or
 * configuration error; always one final log line saying which and why.
 */
import { appendFile } from "node:fs/promises";
import * as E from "fp-ts/Either";
import {
  createGitHubBot,
  createSecretMasker,
  createGitHubOctokit,
  decodeGitHubEvent,
  DEFAULT_REPO_CONFIG,
  describeDispatch,
  maskDeep,
  resolveGitHubIdentity,
  type ActionableEvent,
  type DeliveryOutcome,
  type GitHubBotIdentity,
  type RepoConfig,
  type RepoPipelineError,
  type RunnerSetupError,
} from "../adapters/github/index.js";
import {
  createDeclaredExperiment,
  describeError,
  renderReport,
  type Experiment,
  type ForgeError,
  type PipelineError,
  type Runner,
} from "../index.js";
import { createTfidfKeywordsExperiment } from "../nlp/index.js";
import {
  commentJobIdentity,
  identityHint,
  isOwnAppComment,
  readActionsEnv,
  readAuth,
  readEventFile,
  readStateSecret,
  secretValues,
  stderrLogger,
} from "./github-env.js";
import type { CliIo, CliCommand } from "./io.js";
import { parseFlags } from "./parse-flags.js";
import { checkoutFiles } from "./default-branch-checkout.js";
import { createRunner, RUNNERS } from "./runners/index.js";
import { jobForExperiments } from "./runners/job.js";

/** Test seams: a transport for Octokit and a ready runner. */
export type GitHubCommandDeps = { readonly fetch?: typeof fetch | undefined; readonly runner?: Runner | undefined };

type Mode = "comment" | "label" | "collect";

const USAGE = (mode: Mode) =>
  mode === "collect"
    ? COLLECT_USAGE
    : `Usage: ml-chatops on-${mode} [--runner ${Object.keys(RUNNERS).join("|")}]${mode === "label" ? " [--detach]" : ""} [--default-branch-checkout <dir>]

Handles the GitHub Actions event in GITHUB_EVENT_PATH (${mode === "comment" ? "issue_comment" : "pull_request labeled / synchronize / closed"}).
--default-branch-checkout: the job's checkout of the default branch, read for the config and current best.
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
  const parsed = parseFlags({
    args: [...argv],
    options: {
      runner: { type: "string" },
      detach: { type: "boolean" },
      "fetch-remote": { type: "string" },
      "default-branch-checkout": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (E.isLeft(parsed)) {
    io.stderr(USAGE(mode));
    return done(2, `bad arguments: ${parsed.left.split("\n")[0] ?? ""}`);
  }
  const { values } = parsed.right;
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

  let payload: unknown;
  if (mode !== "collect") {
    const read = await readEventFile(env.right.eventPath);
    if (E.isLeft(read)) return done(1, read.left);
    payload = read.right;
    if (isOwnAppComment(auth.right, payload)) return done(0, "ignored: comment by this bot");
  }
  const checkout = await checkoutFiles(values["default-branch-checkout"], env.right, payload);
  if (E.isLeft(checkout)) return done(2, checkout.left);
  if (checkout.right !== undefined)
    log.info(`the config and current best come from the checkout at ${checkout.right.commit}`);
  const appOnly = commentJobIdentity(auth.right, payload);
  const identity: E.Either<ForgeError, GitHubBotIdentity> =
    appOnly !== undefined
      ? E.right(appOnly)
      : await resolveGitHubIdentity(octokit, auth.right.kind, identityHint(auth.right, { owner, repo }, payload))();
  if (E.isLeft(identity)) return done(1, `cannot tell who the bot is: ${describeError(identity.left)}`);
  // The report comment's URL, for the action's `report-url` output.
  let reportUrl: string | undefined;
  const flags = Object.fromEntries(
    Object.entries(values).filter((kv): kv is [string, string | boolean] => kv[1] !== undefined),
  );
  const bot = createGitHubBot(
    { octokit, identity: identity.right, logger: log },
    {
      stateSecret: secret,
      experiments: experimentsOf,
      runnerFor: (config, experiments) =>
        deps.runner ??
        (() =>
          createRunner(values.runner ?? config.runner.kind, {
            flags,
            env: io.env,
            cwd: io.cwd,
            experiments,
            settings: config.runner.settings,
            logger: log,
            job: jobForExperiments(experiments),
          })),
      // Every text that leaves the bot is masked (check 82): runner output at the source, comments
      // and replies on their way out, and the report before it is rendered (the check run too).
      secrets: secretValues(io.env),
      onPublished: (posted) => void (reportUrl = posted.url ?? reportUrl),
      // One event per process: no retries (the job is re-run), no delivery id to claim, the config
      // read once for both the event's decoding and the pipeline.
      attempts: 1,
      claims: "edits",
      readConfigOnce: true,
      defaultBranchFiles: checkout.right,
      detach: values.detach === true,
    },
  );
  const repoConfig = await bot.readConfig({ owner, repo })();
  const config = E.isRight(repoConfig) ? repoConfig.right : DEFAULT_REPO_CONFIG;

  let event: ActionableEvent | undefined;
  if (mode !== "collect") {
    const decoded = decodeGitHubEvent(env.right.eventName, payload, {
      ...config.events,
      botId: identity.right.id,
      now: new Date(),
    });
    if (E.isLeft(decoded)) return done(1, decoded.left);
    const e = decoded.right;
    if (e._tag === "Ignored") return done(0, `ignored: ${e.reason}`);
    if (mode === "comment" && e._tag !== "Comment")
      return done(0, `ignored: ${env.right.eventName} is not a comment event`);
    if (mode === "label" && e._tag === "Comment") return done(0, "ignored: a comment event; use on-comment");
    event = e;
  }
  if (E.isLeft(repoConfig) && repoConfig.left._tag !== "RepoConfigInvalid")
    return done(1, `cannot read the repository config: ${describeError(repoConfig.left)}`);

  if (event === undefined) {
    if (E.isLeft(repoConfig) && repoConfig.left._tag === "RepoConfigInvalid") return done(1, repoConfig.left.detail);
    const rp = await bot.pipelineFor({ owner, repo })();
    if (E.isLeft(rp))
      return isRunnerSetup(rp.left)
        ? done(2, rp.left.detail)
        : done(1, rp.left._tag === "RepoConfigInvalid" ? rp.left.detail : describeError(rp.left));
    const runs = await bot.collect(rp.right, { owner, repo })();
    if (E.isLeft(runs)) return done(1, `cannot list detached runs: ${describeError(runs.left)}`);
    const { published, pending, failures } = runs.right;
    return done(
      failures > 0 ? 1 : 0,
      `${published} report(s) published, ${pending} run(s) still in progress, ${failures} failure(s)`,
    );
  }
  const outcome = await bot.handle(`actions-run-${env.right.runId ?? "local"}`, event);
  return finish(outcome, event, {
    done,
    output: (key, value) => setOutput(env.right.output, key, value),
    summary: async (text) => {
      if (env.right.stepSummary !== undefined) await appendFile(env.right.stepSummary, `${text}\n`);
    },
    mask: createSecretMasker(secretValues(io.env)),
    reportUrl: () => reportUrl,
  });
};

// Declared experiments replace the built-in; with none, tfidf-keywords runs on the configured corpus.
const experimentsOf = (config: RepoConfig): ReadonlyArray<Experiment> =>
  config.experiments === undefined
    ? [createTfidfKeywordsExperiment({ corpusPath: config.experiment.corpusPath ?? DEFAULT_CORPUS })]
    : Object.entries(config.experiments).map(([id, spec]) => createDeclaredExperiment(id, spec));

const isRunnerSetup = (e: PipelineError | RepoPipelineError): e is RunnerSetupError =>
  e._tag === "RunnerSettingsInvalid" || e._tag === "RunnerPackageMissing";

/** The exit code, final line and step outputs of one handled event. */
const finish = async (
  o: DeliveryOutcome,
  event: ActionableEvent,
  c: {
    readonly done: (code: number, line: string) => number;
    readonly output: (key: string, value: string) => Promise<void>;
    readonly summary: (text: string) => Promise<void>;
    readonly mask: (text: string) => string;
    readonly reportUrl: () => string | undefined;
  },
): Promise<number> => {
  const { done } = c;
  switch (o._tag) {
    case "Duplicate":
      return done(0, `ignored: comment ${event._tag === "Comment" ? event.event.comment.id : "?"} was already handled`);
    case "NotRecorded":
      return done(1, `cannot record the comment: ${describeError(o.error)}`);
    case "ConfigInvalid":
      // A comment that is no command was rightly ignored, whatever the config says.
      return o.command || event._tag !== "Comment"
        ? done(1, o.detail)
        : done(0, `ignored: no command (and ${o.detail})`);
    case "Failed":
      return isRunnerSetup(o.error) ? done(2, o.error.detail) : done(1, `failed: ${describeError(o.error)}`);
    case "Dispatched":
      break;
  }
  const r = o.result;
  switch (r._tag) {
    case "Ignored":
      return done(0, `ignored: ${r.reason}`);
    case "Comment":
      await c.output("outcome", r.outcome._tag);
      return done(0, `${r.outcome._tag}${"reason" in r.outcome ? `: ${r.outcome.reason}` : ""}`);
    case "Label": {
      const out = r.outcome;
      await c.output("outcome", out._tag);
      if (out._tag === "Reported") await c.summary(c.mask(renderReport(maskDeep(c.mask, out.report))));
      if (out._tag === "Reported") await c.output("status", out.report.status.state);
      const url = c.reportUrl();
      if (url !== undefined) await c.output("report-url", url);
      if (out._tag === "Reported")
        return done(out.report.status.state === "errored" ? 1 : 0, `Reported: run ${out.report.status.state}`);
      return done(0, `${out._tag}${"reason" in out ? `: ${out.reason}` : ""}`);
    }
    case "Push":
    case "Closed":
      return done(0, describeDispatch(r));
  }
};

/** `ml-chatops collect`. */
export const runCollect: CliCommand = (argv, io) => runGitHubEvent("collect", argv, io);

/** `ml-chatops on-comment`. */
export const runOnComment: CliCommand = (argv, io) => runGitHubEvent("comment", argv, io);
/** `ml-chatops on-label`. */
export const runOnLabel: CliCommand = (argv, io) => runGitHubEvent("label", argv, io);
