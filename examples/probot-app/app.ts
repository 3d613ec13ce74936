/**
 * ml-chatops as a Probot 14 app. Probot receives and verifies the webhooks and hands each event
 * an installation-authenticated octokit; `createProbotApp` does the rest (see README.md).
 *
 * Run: `npx probot run ./examples/probot-app/app.ts` (with tsx), or build it into your own app.
 * In your project, import from "ml-chatops/adapters/github" and "ml-chatops/adapters/local".
 */
import type { Probot } from "probot";
import { createProbotApp } from "../../src/adapters/github/index.js";
import { createLocalRunner } from "../../src/adapters/local/index.js";
import type { Runner } from "../../src/index.js";
import { createTfidfKeywordsExperiment } from "../../src/nlp/index.js";

/** The app, given where its experiments run: what the tests load, with an in-process runner. */
export const mlChatopsApp = (o: {
  readonly stateSecret: string;
  readonly corpusPath: string;
  readonly runner: Runner;
}) =>
  createProbotApp({
    stateSecret: o.stateSecret,
    experiments: [createTfidfKeywordsExperiment({ corpusPath: o.corpusPath })],
    // One runner for every repository here; a config's `runner.kind` could pick another.
    runnerFor: () => o.runner,
  });

const need = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === "")
    throw new Error(`probot-app: ${name} is not set (see examples/probot-app/README.md)`);
  return v;
};

/** `probot run` loads this: experiments run by the local runner in a clone of the repository. */
export default (app: Probot): void => {
  const experiments = [
    createTfidfKeywordsExperiment({
      corpusPath: process.env["ML_CHATOPS_CORPUS"] ?? "examples/data/sample-talks.jsonl",
    }),
  ];
  const runner = createLocalRunner(
    {
      experiments,
      env: process.env,
      logger: {
        debug: (m) => app.log.debug(m),
        info: (m) => app.log.info(m),
        warn: (m) => app.log.warn(m),
        error: (m) => app.log.error(m),
      },
    },
    {
      repoPath: need("ML_CHATOPS_REPO_PATH"),
      command: [process.execPath, ...process.execArgv, new URL("../../src/cli/main.ts", import.meta.url).pathname],
      fetchPullRefs: { remote: "origin" },
    },
  );
  mlChatopsApp({
    stateSecret: need("ML_CHATOPS_STATE_SECRET"),
    corpusPath: "examples/data/sample-talks.jsonl",
    runner,
  })(app);
};
