/**
 * The RunResult of a succeeded workflow run: the decoded result, the log's tail, the run's timings
 * and a link to the run's own artifact.
 */
import type { RunResult } from "../../core/model.js";
import type { ExperimentResult } from "../../core/result.js";
import type { Artifacts } from "./artifacts.js";
import type { WorkflowRun } from "./codecs.js";

/**
 * Builds the RunResult from a run, its artifacts and the result decoded from them.
 *
 * @example
 * toActionsRunResult(run, artifacts, output, 50).artifacts?.links[0]?.url; // "https://github.com/o/r/actions/runs/7/artifacts/9"
 * @internal */
export const toActionsRunResult = (
  run: WorkflowRun,
  artifacts: Artifacts,
  output: ExperimentResult,
  logTailLines: number,
): RunResult => {
  const startedAt = run.run_started_at ?? run.created_at;
  const durationMs = Math.max(0, Date.parse(run.updated_at) - Date.parse(startedAt)) || 0;
  // The run's own artifact (images included), on GitHub behind the repository's read access; nothing is uploaded elsewhere.
  const link = { label: `artifact ${artifacts.name}`, url: `${run.html_url}/artifacts/${artifacts.id}` };
  const kept = {
    links: [link],
    note: "kept with the workflow run for the repository's artifact retention; readers need read access",
  };
  return {
    output,
    logTail: artifacts.log.slice(-logTailLines),
    timings: { startedAt, finishedAt: run.updated_at, durationMs },
    artifacts: kept,
  };
};
