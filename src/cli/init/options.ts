/**
 * `ml-chatops init` arguments: which runner, the command word, the experiment. Every mistake is
 * one line naming the flag and what it accepts (the caller exits 2).
 */
import { parseArgs } from "node:util";
import * as E from "fp-ts/Either";
import { parseRepoConfig, REPO_CONFIG_PATH } from "../../adapters/github/index.js";

/** The runner kinds `init` can set up, in the order `--help` lists them. */
export const INIT_RUNNERS = ["local", "codebuild", "argo", "github-actions"] as const;
/** One of {@link INIT_RUNNERS}. */
export type InitRunner = (typeof INIT_RUNNERS)[number];

/** The experiment `.github/ml-chatops.yml` declares: the built-in recipe, or the user's own argv. */
export type InitExperiment =
  | { readonly kind: "builtin" }
  | { readonly kind: "declared"; readonly id: string; readonly command: ReadonlyArray<string> };

/**
 * What `init` writes, decided by its flags.
 *
 * @example
 * const o: InitOptions = { runner: "local", trigger: "/experiment", experiment: { kind: "builtin" }, force: false };
 */
export type InitOptions = {
  readonly runner: InitRunner;
  readonly trigger: string;
  readonly experiment: InitExperiment;
  readonly force: boolean;
};

/** The id of the built-in TF-IDF keywords experiment, the default of `--experiment`. */
export const BUILTIN_EXPERIMENT = "tfidf-keywords";
/** The default command word, as the pipeline's own default. */
export const DEFAULT_TRIGGER = "/experiment";

// The pipeline's own rule for a trigger (core/pipeline-config.ts); it also keeps the word safe
// inside the single-quoted `contains(…)` of the comment workflow's `if:`.
const TRIGGER = /^\/[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** `--experiment`: `tfidf-keywords`, or `ID=COMMAND` with COMMAND split on spaces into an argv (no shell). */
const parseExperiment = (raw: string): E.Either<string, InitExperiment> => {
  if (raw === BUILTIN_EXPERIMENT) return E.right({ kind: "builtin" });
  const eq = raw.indexOf("=");
  const shape = `expected ${BUILTIN_EXPERIMENT} or ID=COMMAND, e.g. --experiment "train=python3 train.py"`;
  if (eq < 0) return E.left(`--experiment ${JSON.stringify(raw.slice(0, 80))}: ${shape}`);
  const id = raw.slice(0, eq);
  const command = raw
    .slice(eq + 1)
    .split(" ")
    .filter((w) => w.length > 0);
  if (id === BUILTIN_EXPERIMENT)
    return E.left(`--experiment: ${BUILTIN_EXPERIMENT} is the built-in experiment; give it alone, without =COMMAND`);
  if (command.length === 0)
    return E.left(`--experiment ${JSON.stringify(raw.slice(0, 80))}: the command after = is empty; ${shape}`);
  // Kept out of the YAML init writes, comments included, whatever the config would accept.
  const bad = command.find((w) => [...w].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f"));
  if (bad !== undefined)
    return E.left(`--experiment: command word ${JSON.stringify(bad.slice(0, 80))} holds a control character`);
  // The rest (the id's form, how many words and how long) is what the config's own reader says,
  // so init never writes an experiment the bot would refuse.
  const declared = parseRepoConfig(JSON.stringify({ experiments: { [id]: { command, result: "result.json" } } }));
  if (E.isLeft(declared))
    return E.left(
      `--experiment ${JSON.stringify(raw.slice(0, 80))}: ${declared.left.replace(`${REPO_CONFIG_PATH}: `, "")}`,
    );
  return E.right({ kind: "declared", id, command });
};

/** What `parseInitArgs` returns: options to run with, or a request for the help text. */
export type InitArgs = { readonly _tag: "Help" } | { readonly _tag: "Run"; readonly options: InitOptions };

/**
 * Parses `init`'s argv. Left: one line naming what is wrong.
 *
 * @example
 * parseInitArgs(["--runner", "codebuild", "--trigger", "/ml"]);
 * // Right({ _tag: "Run", options: { runner: "codebuild", trigger: "/ml", experiment: { kind: "builtin" }, force: false } })
 */
export const parseInitArgs = (argv: ReadonlyArray<string>): E.Either<string, InitArgs> => {
  let values: {
    runner?: string | undefined;
    trigger?: string | undefined;
    experiment?: string | undefined;
    force?: boolean | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        runner: { type: "string" },
        trigger: { type: "string" },
        experiment: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return E.left((e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "bad arguments");
  }
  if (values.help === true) return E.right({ _tag: "Help" });
  const runner = values.runner;
  if (runner === undefined) return E.left(`--runner is required: one of ${INIT_RUNNERS.join(", ")}`);
  if (!(INIT_RUNNERS as ReadonlyArray<string>).includes(runner))
    return E.left(
      `--runner ${JSON.stringify(runner.slice(0, 50))}: unknown runner (one of ${INIT_RUNNERS.join(", ")})`,
    );
  const trigger = values.trigger ?? DEFAULT_TRIGGER;
  if (!TRIGGER.test(trigger)) {
    return E.left(
      `--trigger ${JSON.stringify(trigger.slice(0, 80))}: expected "/" then a letter or digit, then letters, digits, _ or - (at most 65 characters), e.g. /experiment`,
    );
  }
  const experiment = parseExperiment(values.experiment ?? BUILTIN_EXPERIMENT);
  if (E.isLeft(experiment)) return experiment;
  return E.right({
    _tag: "Run",
    options: { runner: runner as InitRunner, trigger, experiment: experiment.right, force: values.force === true },
  });
};
