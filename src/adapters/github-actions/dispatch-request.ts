/**
 * The workflow dispatch of a run: its inputs (read by the workflow as data, never as code), the
 * correlation id that finds the run again, and GitHub's limits checked before anything is sent.
 */
import { createHash } from "node:crypto";
import * as E from "fp-ts/Either";
import { runRejected } from "../../core/errors.js";
import type { RunnerError } from "../../core/errors.js";
import { encodeJobSpec, type JobFor } from "../../core/job-spec.js";
import type { RunRequest } from "../../core/model.js";
import type { ResolvedActionsConfig } from "./config.js";

/**
 * GitHub's limits on a dispatch: 25 inputs, and a payload under 64 KB (SECURITY-CHECKLIST 70).
 *
 * @example
 * Object.keys(dispatchInputs(req)).length <= MAX_INPUTS; // true
 * @internal */
export const MAX_INPUTS = 25;
/**
 * GitHub's limit on a dispatch payload, in bytes (SECURITY-CHECKLIST 70).
 *
 * @example
 * Buffer.byteLength(JSON.stringify(body)) <= MAX_DISPATCH_BYTES; // true for a body toDispatchBody accepted
 * @internal */
export const MAX_DISPATCH_BYTES = 65_535;
// eslint-disable-next-line no-control-regex
const BAD_VALUE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200b-\u200f]/;

/**
 * The correlation id of an approval: unique, deterministic, safe in a run name.
 *
 * @example
 * correlationIdFor("approval-1"); // "mlc-" + 20 hex digits
 * @internal */
export const correlationIdFor = (approvalId: string): string =>
  `mlc-${createHash("sha256").update(approvalId).digest("hex").slice(0, 20)}`;

/**
 * The `inputs` of the dispatch: the pinned SHA, the PR number, the experiment, its parameters as
 * JSON, the job `ml-chatops exec` runs (when given) and the correlation id. The workflow reads them
 * as data (env), never as code.
 *
 * @example
 * dispatchInputs(request, encodeJobSpec(job)); // { sha: "0123…", pr: "7", experiment: "train", params: '{"c":"0.2"}', job: '{"v":1,…}', correlation_id: "mlc-…" }
 * @internal */
export const dispatchInputs = (req: RunRequest, job?: string): Readonly<Record<string, string>> => ({
  sha: req.pinnedSha,
  pr: String(req.pr.number),
  experiment: req.experimentId,
  params: JSON.stringify(
    Object.fromEntries(
      Object.keys(req.params)
        .sort()
        .map((k) => [k, req.params[k]]),
    ),
  ),
  ...(job === undefined ? {} : { job }),
  correlation_id: correlationIdFor(req.approvalId),
});

/**
 * The body of a workflow dispatch.
 *
 * @example
 * const body: DispatchBody = { ref: "main", inputs: dispatchInputs(req) };
 * @internal */
export type DispatchBody = {
  readonly ref: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly return_run_details?: true;
};

/**
 * The dispatch body for a run, or why the run is refused before anything is sent: a job that
 * cannot be built, a parameter with control or invisible characters, too many inputs, or a payload
 * over 64 KB (SECURITY-CHECKLIST 70).
 *
 * @example
 * toDispatchBody(req, resolveActionsConfig({ workflowId: "ml.yml", ref: "main" }), undefined);
 * // Right({ ref: "main", inputs: { sha: "0123…", … } })
 * @internal */
export const toDispatchBody = (
  req: RunRequest,
  config: ResolvedActionsConfig,
  jobFor: JobFor | undefined,
): E.Either<RunnerError, DispatchBody> => {
  const job = jobFor?.(req);
  if (job !== undefined && E.isLeft(job)) return E.left(runRejected(`the job of ${req.experimentId}: ${job.left}`));
  const inputs = dispatchInputs(req, job === undefined ? undefined : encodeJobSpec(job.right));
  const body: DispatchBody = {
    ref: config.ref,
    inputs,
    ...(config.returnRunDetails ? { return_run_details: true as const } : {}),
  };
  if (Object.values(req.params).some((v) => BAD_VALUE.test(v)))
    return E.left(runRejected("a parameter value contains control or invisible characters"));
  if (Object.keys(inputs).length > MAX_INPUTS) return E.left(runRejected(`more than ${MAX_INPUTS} workflow inputs`));
  if (Buffer.byteLength(JSON.stringify(body)) > MAX_DISPATCH_BYTES)
    return E.left(runRejected("the dispatch payload exceeds 64 KB"));
  return E.right(body);
};
