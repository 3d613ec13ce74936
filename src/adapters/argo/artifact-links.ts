/**
 * Where an Argo run keeps its files, for the report: the Workflow in the Argo UI, and each output
 * artifact a node saved, through argo-server's artifact endpoint (`/artifacts/{namespace}/{name}/
 * {nodeId}/{artifactName}`, which asks for the reader's own Argo sign-in). The UI address comes
 * from config and is checked there; the names come from argo-server's answer and are
 * percent-encoded, so none can end the link.
 */
import type { Artifacts } from "../../core/model.js";
import type { ArgoWorkflow } from "./codecs.js";

/** More artifacts than this are counted, not linked. */
const MAX_LINKED = 8;

const enc = encodeURIComponent;

/**
 * The UI page of a Workflow.
 *
 * @example
 * workflowUiUrl("https://argo.example", "ml", "ml-chatops-1a2b"); // "https://argo.example/workflows/ml/ml-chatops-1a2b"
 * @internal */
export const workflowUiUrl = (uiBaseUrl: string, namespace: string, name: string): string =>
  `${uiBaseUrl}/workflows/${enc(namespace)}/${enc(name)}`;

/**
 * The artifacts of a finished Workflow: a link per saved output artifact, or a note that the
 * template declares none.
 *
 * @example
 * workflowArtifacts(wf, { uiBaseUrl: "https://argo.example", namespace: "ml", declared: 1 });
 * // { links: [{ label: "workflow", url: "…/workflows/ml/wf" }, { label: "artifact images", url: "…/artifacts/ml/wf/wf/images" }], note: "…" }
 * @internal */
export const workflowArtifacts = (
  wf: ArgoWorkflow,
  at: { readonly uiBaseUrl: string; readonly namespace: string; readonly declared: number },
): Artifacts => {
  const name = wf.metadata.name;
  const saved = Object.values(wf.status?.nodes ?? {}).flatMap((n) =>
    (n.outputs?.artifacts ?? []).map((a) => ({ node: n.id, artifact: a.name })),
  );
  const workflow = { label: "workflow", url: workflowUiUrl(at.uiBaseUrl, at.namespace, name) };
  if (saved.length === 0) {
    const note =
      at.declared === 0
        ? "the Workflow template declares no output artifacts (runner.settings.outputArtifacts), so nothing is kept after the pod"
        : "the Workflow saved none of its declared output artifacts";
    return { links: [workflow], note };
  }
  const links = saved.slice(0, MAX_LINKED).map((s) => ({
    label: `artifact ${s.artifact}`,
    url: `${at.uiBaseUrl}/artifacts/${enc(at.namespace)}/${enc(name)}/${enc(s.node)}/${enc(s.artifact)}`,
  }));
  const more = saved.length > MAX_LINKED ? `; ${saved.length - MAX_LINKED} more in the Argo UI` : "";
  return {
    links: [workflow, ...links],
    note: `in the cluster's artifact repository, for Argo sign-in; nothing is public${more}`,
  };
};
