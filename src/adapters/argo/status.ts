/**
 * Maps an Argo Workflow's phase to a RunStatus (SECURITY-CHECKLIST 59). Pure.
 *
 * `""`/`Pending` → queued, `Running` → running, `Succeeded` → succeeded, `Failed` → failed (or
 * cancelled / errored when the message says it was stopped, hit its deadline, or the checkout
 * failed), `Error` → errored. Any other string is not done and never success.
 */
import type { RunStatus } from "../../core/model.js";
import type { ArgoNode, ArgoWorkflow } from "./codecs.js";
import { CHECKOUT_EXIT_CODE } from "./workflow.js";

/**
 * The phases after which a Workflow never changes.
 *
 * @example
 * isDonePhase("Running"); // false
 * @internal */
export const isDonePhase = (phase: string): boolean => phase === "Succeeded" || phase === "Failed" || phase === "Error";

const BAD_NODE_PHASES = new Set(["Failed", "Error"]);

/**
 * The message of the node that failed: a failed Pod node first (that is where the experiment ran),
 * else any failed node.
 * @internal */
export const failingNode = (wf: ArgoWorkflow): ArgoNode | undefined => {
  const nodes = Object.values(wf.status?.nodes ?? {}).filter((n) => BAD_NODE_PHASES.has(n.phase ?? ""));
  return (
    nodes.find((n) => n.type === "Pod" && n.message !== undefined) ??
    nodes.find((n) => n.message !== undefined) ??
    nodes[0]
  );
};

const describeNode = (n: ArgoNode | undefined): string | undefined =>
  n === undefined ? undefined : `${n.displayName ?? n.name}: ${n.message ?? n.phase ?? "failed"}`;

const isStopped = (msg: string): boolean =>
  /^Stopped with strategy ['"]?(Stop|Terminate)/i.test(msg) || /workflow shutdown with strategy/i.test(msg);
const isDeadline = (msg: string): boolean => /deadline|max duration limit exceeded/i.test(msg);
const isCheckoutFailure = (msg: string): boolean => new RegExp(`exit code ${CHECKOUT_EXIT_CODE}\\b`).test(msg);

/**
 * The RunStatus of a Workflow.
 *
 * @example
 * toRunStatus({ metadata: { name: "wf" }, status: { phase: "Running" } }); // { state: "running", … }
 * @internal */
export const toRunStatus = (wf: ArgoWorkflow): RunStatus => {
  const phase = wf.status?.phase ?? "";
  const wfMessage = wf.status?.message ?? "";
  const node = failingNode(wf);
  const nodeMessage = node?.message ?? "";
  const detail = [describeNode(node), wfMessage].filter((s): s is string => s !== undefined && s !== "").join(" | ");
  switch (phase) {
    case "":
    case "Pending":
      return {
        state: "queued",
        detail: wfMessage === "" ? "workflow pending" : wfMessage,
        phase: phase === "" ? "Unknown" : phase,
      };
    case "Running":
      return { state: "running", detail: wfMessage === "" ? "workflow running" : wfMessage, phase };
    case "Succeeded":
      return { state: "succeeded", detail: "workflow succeeded", phase };
    case "Error":
      return { state: "errored", detail: `workflow error: ${detail || "no message"}`, phase };
    case "Failed":
      if (isStopped(wfMessage) || isStopped(nodeMessage))
        return { state: "cancelled", detail: `cancelled: ${wfMessage || nodeMessage}`, phase };
      if (isDeadline(wfMessage) || isDeadline(nodeMessage))
        return { state: "errored", detail: `deadline exceeded: ${detail}`, phase };
      if (isCheckoutFailure(nodeMessage))
        return { state: "errored", detail: `checkout of the pinned commit failed or did not match: ${detail}`, phase };
      return { state: "failed", detail: `experiment failed: ${detail || "no message"}`, phase };
    default:
      return {
        state: "running",
        detail: `unknown Argo phase ${JSON.stringify(phase)}; not treated as done`,
        phase: "Unknown",
      };
  }
};
