/** io-ts codecs for the GitHub Actions answers the runner reads (extra fields tolerated). */
import * as t from "io-ts";

/** `POST …/dispatches` with `return_run_details: true` (200). @internal */
export const DispatchDetails = t.type({ workflow_run_id: t.number, html_url: t.string });
export type DispatchDetails = t.TypeOf<typeof DispatchDetails>;

/** A workflow run, as much as the runner reads. @internal */
export const WorkflowRun = t.intersection([
  t.type({
    id: t.number,
    status: t.union([t.string, t.null]),
    conclusion: t.union([t.string, t.null]),
    display_title: t.string,
    html_url: t.string,
    created_at: t.string,
    updated_at: t.string,
  }),
  t.partial({ run_started_at: t.string, head_branch: t.union([t.string, t.null]), event: t.string }),
]);
export type WorkflowRun = t.TypeOf<typeof WorkflowRun>;

/** @internal */
export const WorkflowRunList = t.type({ workflow_runs: t.readonlyArray(WorkflowRun) });
export type WorkflowRunList = t.TypeOf<typeof WorkflowRunList>;

/** @internal */
export const Artifact = t.type({ id: t.number, name: t.string, size_in_bytes: t.number, expired: t.boolean });
export type Artifact = t.TypeOf<typeof Artifact>;

/** @internal */
export const ArtifactList = t.type({ artifacts: t.readonlyArray(Artifact) });
export type ArtifactList = t.TypeOf<typeof ArtifactList>;

/** A job of a run, with its steps (only names and conclusions are read). @internal */
export const JobList = t.type({
  jobs: t.readonlyArray(
    t.type({
      name: t.string,
      steps: t.union([
        t.readonlyArray(t.type({ name: t.string, conclusion: t.union([t.string, t.null]) })),
        t.undefined,
      ]),
    }),
  ),
});
export type JobList = t.TypeOf<typeof JobList>;
