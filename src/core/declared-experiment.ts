/**
 * A declared experiment as the `Experiment` port: its parameters checked by their declarations
 * and carried to the command in the environment.
 */
import { checkParams, paramsToEnv, toParamSpecs } from "./experiment-params.js";
import type { ExperimentSpec } from "./experiment-spec.js";
import type { Experiment } from "./ports.js";

/**
 * Builds the experiment `id` from its declaration.
 *
 * @example
 * const train = createDeclaredExperiment("train", {
 *   command: ["python3", "train.py"], params: { c: { type: "number", default: 1, min: 0 } },
 *   result: "out/result.json", metrics: { accuracy: { goal: "max", threshold: 0 } }, primary: "accuracy",
 * });
 * train.paramEnv({ c: "0.2" }); // { ML_CHATOPS_PARAM_C: "0.2", ML_CHATOPS_PARAMS_JSON: "{\"c\":0.2}" }
 */
export const createDeclaredExperiment = (id: string, spec: ExperimentSpec): Experiment => ({
  id,
  params: toParamSpecs(spec.params),
  parseParams: (args) => checkParams(spec.params, args),
  command: spec.command,
  paramEnv: (params) => paramsToEnv(spec.params, params),
  resultPath: spec.result,
  metrics: spec.metrics,
  ...(spec.primary === undefined ? {} : { primary: spec.primary }),
  ...(spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs }),
  ...(spec.network === undefined && spec.mounts === undefined
    ? {}
    : {
        sandbox: {
          ...(spec.network === undefined ? {} : { network: spec.network }),
          ...(spec.mounts === undefined ? {} : { mounts: spec.mounts }),
        },
      }),
});
