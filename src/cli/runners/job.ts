/**
 * The job a remote runner sends to `ml-chatops exec`, built from the experiments the CLI loaded
 * from the default branch's `.github/ml-chatops.yml`.
 */
import * as E from "fp-ts/Either";
import { decodeJobSpec, type Experiment, type JobFor, type JobSpec } from "../../index.js";

/** What a job is built from: the experiment as declared on the default branch. */
export type JobSource = Pick<Experiment, "id" | "command" | "resultPath" | "timeoutMs" | "paramEnv">;

/**
 * The job of one run: the experiment's declaration and the approved parameters, checked against
 * the caps so a runner refuses it before starting anything.
 *
 * @example
 * toJobSpec(train, { c: "0.2" }, request.pinnedSha); // Right({ v: 1, experiment: "train", …, env: { ML_CHATOPS_PARAM_C: "0.2", … } })
 */
export const toJobSpec = (
  experiment: JobSource,
  params: Readonly<Record<string, string>>,
  sha: string,
): E.Either<string, JobSpec> =>
  decodeJobSpec(
    JSON.stringify({
      v: 1,
      experiment: experiment.id,
      sha,
      command: experiment.command,
      result: experiment.resultPath,
      ...(experiment.timeoutMs === undefined ? {} : { timeoutMs: experiment.timeoutMs }),
      env: experiment.paramEnv(params),
    }),
  );

/**
 * A `JobFor` over the given experiments; an unknown id is refused.
 *
 * @example
 * createRunner("codebuild", { …, job: jobForExperiments(experiments) });
 */
export const jobForExperiments =
  (experiments: ReadonlyArray<Experiment>): JobFor =>
  (req) => {
    const x = experiments.find((e) => e.id === req.experimentId);
    if (x === undefined) return E.left(`unknown experiment ${JSON.stringify(req.experimentId.slice(0, 64))}`);
    return toJobSpec(x, req.params, req.pinnedSha);
  };
