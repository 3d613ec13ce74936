/**
 * The `.github/ml-chatops.yml` that `init` writes: the command word, the runner, and the
 * experiment, as text (comments included) so the committed examples can equal it byte for byte.
 */
import type { InitExperiment, InitOptions, InitRunner } from "./options.js";

/** Where the built-in experiment reads its corpus in the user's repository. */
export const INIT_CORPUS_PATH = "corpus.jsonl";
/** Where a declared experiment's command writes its result (the result contract), relative to the checkout. */
export const INIT_RESULT_PATH = "out/result.json";

const RUNNER_BLOCK: Readonly<Record<InitRunner, string>> = {
  local: `runner:
  kind: local                   # a bubblewrap sandbox on the labeled job's machine
`,
  codebuild: `runner:
  kind: codebuild               # the project is the variable ML_CHATOPS_CODEBUILD_PROJECT
`,
  argo: `runner:
  kind: argo                    # argo-server and the image come from ML_CHATOPS_ARGO_* variables
  settings:
    namespace: ml-experiments
    serviceAccountName: ml-chatops-runner
    activeDeadlineSeconds: 1800
    cancelMode: stop
`,
  "github-actions": `runner:
  kind: github-actions          # dispatches this workflow on the default branch
  settings:
    workflow: ml-chatops-experiment.yml
`,
};

const experimentBlock = (e: InitExperiment): string =>
  e.kind === "builtin"
    ? `# The built-in experiment, tfidf-keywords: the TF-IDF keywords of each document of a JSON Lines
# corpus ({"id": "…", "text": "…"} per line). Declare your own under experiments: instead.
experiment:
  corpusPath: ${INIT_CORPUS_PATH}
`
    : `experiments:
  ${e.id}:
    command: [${e.command.map((w) => JSON.stringify(w)).join(", ")}]   # argv at the checkout's root; never a shell
    # params:   { c: { type: number, default: 1.0, min: 0.001, max: 100 } }  -> ML_CHATOPS_PARAM_C
    result: ${INIT_RESULT_PATH}       # the command writes the result contract here
    # metrics:  { accuracy: { goal: max } }
    timeout: 30m
defaultExperiment: ${e.id}
`;

/**
 * The file's text for these options.
 *
 * @example
 * renderRepoConfig({ runner: "local", trigger: "/experiment", experiment: { kind: "builtin" }, force: false });
 * // "# Written by `ml-chatops init --runner local`. …\ntrigger: /experiment\n…"
 */
export const renderRepoConfig = (
  o: InitOptions,
): string => `# Written by \`ml-chatops init --runner ${o.runner}\`. ml-chatops reads this file from the default
# branch only: a pull request cannot change what its own run is compared on, nor the parameter
# ranges its approver agreed to. Every field: the ml-chatops README.
trigger: ${o.trigger}
label: ml-chatops:run
requiredRole:
  run: write
  promote: write
${RUNNER_BLOCK[o.runner]}${experimentBlock(o.experiment)}`;
