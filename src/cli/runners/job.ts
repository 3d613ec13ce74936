/**
 * The job a remote runner sends to `ml-chatops exec`, built from the experiments the CLI loaded
 * from the default branch's `.github/ml-chatops.yml`.
 */
import * as E from "fp-ts/Either";
import { toJobSpec, type JobFor } from "../../core/job-spec.js";
import type { Experiment } from "../../core/ports.js";

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
    return toJobSpec(
      { id: x.id, command: x.command, resultPath: x.resultPath, timeoutMs: x.timeoutMs, paramEnv: x.paramEnv },
      req.params,
      req.pinnedSha,
    );
  };
