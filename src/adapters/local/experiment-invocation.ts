/**
 * What the local runner spawns for an experiment: its declared argv (a leading `ml-chatops`
 * becomes the runner's own CLI command), its parameters as environment variables only, and
 * where in the checkout its result is read from (SECURITY-CHECKLIST 69).
 */
import { join } from "node:path";
import * as E from "fp-ts/Either";
import type { Experiment } from "../../core/ports.js";
import { parseExperimentResult, type ExperimentResult } from "../../core/result.js";

/** The program, its arguments, and the variables that carry the parameters. @internal */
export type Invocation = {
  readonly program: string;
  readonly args: ReadonlyArray<string>;
  readonly paramEnv: Readonly<Record<string, string>>;
  /** Absolute path of the result file inside the checkout. */
  readonly resultFile: string;
};

/**
 * Builds the invocation of `experiment` in the checkout at `worktree`. `cliCommand` is how this
 * runner calls the installed ml-chatops CLI, e.g. `[process.execPath, "/…/bin/ml-chatops.js"]`.
 *
 * @example
 * toInvocation(train, ["/usr/bin/node", "/opt/ml-chatops/bin/ml-chatops.js"], { c: "0.2" }, "/tmp/run/worktree");
 * // { program: "python3", args: ["train.py"], paramEnv: { ML_CHATOPS_PARAM_C: "0.2", … }, resultFile: "/tmp/run/worktree/out/result.json" }
 * @internal */
export const toInvocation = (
  experiment: Experiment,
  cliCommand: ReadonlyArray<string>,
  params: Readonly<Record<string, string>>,
  worktree: string,
): Invocation => {
  const [head = "", ...rest] = experiment.command;
  const argv = head === "ml-chatops" ? [...cliCommand, ...rest] : experiment.command;
  return {
    program: argv[0] ?? "",
    args: argv.slice(1),
    paramEnv: experiment.paramEnv(params),
    resultFile: join(worktree, experiment.resultPath),
  };
};

/**
 * A succeeded ending for a valid result file text, or a failed one naming the JSON path.
 *
 * @example
 * decodeResultFile('{"metrics":{"accuracy":0.95}}'); // Right({ detail: "exited 0 with a valid result (1 metric)", output })
 * @internal */
export const decodeResultFile = (
  text: string,
): E.Either<string, { readonly detail: string; readonly output: ExperimentResult }> => {
  const decoded = parseExperimentResult(text);
  if (E.isLeft(decoded)) return E.left(`the result file is not a valid result: ${decoded.left}`);
  return E.right({ detail: `exited 0 with a valid result (${summarizeResult(decoded.right)})`, output: decoded.right });
};

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * What a result holds, in a few words.
 *
 * @example
 * summarizeResult({ metrics: { a: 1, b: 2 }, rankings: { keywords: { d: [] } } }); // "2 metrics, 1 document"
 * @internal */
export const summarizeResult = (r: ExperimentResult): string => {
  const parts: Array<string> = [];
  const metrics = Object.keys(r.metrics ?? {}).length;
  if (metrics > 0) parts.push(count(metrics, "metric"));
  for (const [name, ranking] of Object.entries(r.rankings ?? {})) {
    const lists = Object.keys(ranking).length;
    parts.push(name === "keywords" ? count(lists, "document") : `${count(lists, "list")} in ${name}`);
  }
  if ((r.tables ?? []).length > 0) parts.push(count(r.tables?.length ?? 0, "table"));
  return parts.join(", ");
};
