/**
 * A job for runner tests: what the CLI builds from a declared experiment, here for any request
 * (command `python3 train.py`, result `out/result.json`, each parameter as ML_CHATOPS_PARAM_<KEY>).
 */
import type { JobFor } from "../../src/core/job-spec.js";
import { toJobSpec } from "../../src/cli/runners/job.js";

export const testJob: JobFor = (req) =>
  toJobSpec(
    {
      id: req.experimentId,
      command: ["python3", "train.py"],
      resultPath: "out/result.json",
      paramEnv: (p) =>
        Object.fromEntries(Object.entries(p).map(([k, v]) => [`ML_CHATOPS_PARAM_${k.toUpperCase()}`, v])),
    },
    req.params,
    req.pinnedSha,
  );
