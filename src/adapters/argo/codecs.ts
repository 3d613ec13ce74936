/**
 * io-ts codecs for the parts of argo-server's answers we read. `t.type` tolerates the many
 * fields we ignore; every optional field is `t.partial`.
 */
import * as t from "io-ts";

/** A Workflow parameter as it appears in outputs. @internal */
export const ArgoParameter = t.intersection([t.type({ name: t.string }), t.partial({ value: t.string })]);
export type ArgoParameter = t.TypeOf<typeof ArgoParameter>;

/** An output artifact a node saved (its storage location is not read: the report links the UI). @internal */
export const ArgoArtifact = t.type({ name: t.string });
export type ArgoArtifact = t.TypeOf<typeof ArgoArtifact>;

const Outputs = t.partial({ parameters: t.readonlyArray(ArgoParameter), artifacts: t.readonlyArray(ArgoArtifact) });

/** One node of `status.nodes`. @internal */
export const ArgoNode = t.intersection([
  t.type({ id: t.string, name: t.string, type: t.string }),
  t.partial({
    displayName: t.string,
    phase: t.string,
    message: t.string,
    templateName: t.string,
    outputs: Outputs,
    startedAt: t.string,
    finishedAt: t.string,
  }),
]);
export type ArgoNode = t.TypeOf<typeof ArgoNode>;

/** The Workflow resource, as much as the runner reads. @internal */
export const ArgoWorkflow = t.intersection([
  t.type({
    metadata: t.intersection([t.type({ name: t.string }), t.partial({ namespace: t.string, uid: t.string })]),
  }),
  t.partial({
    status: t.partial({
      phase: t.string,
      message: t.string,
      startedAt: t.union([t.string, t.null]),
      finishedAt: t.union([t.string, t.null]),
      nodes: t.record(t.string, ArgoNode),
      outputs: Outputs,
    }),
  }),
]);
export type ArgoWorkflow = t.TypeOf<typeof ArgoWorkflow>;

/** grpc-gateway's unary error body: `{ code, message }`. @internal */
export const ArgoErrorBody = t.partial({ code: t.number, message: t.string, error: t.string });
export type ArgoErrorBody = t.TypeOf<typeof ArgoErrorBody>;

/** One chunk of the log stream: a `LogEntry` result, or a mid-stream error. @internal */
export const ArgoLogChunk = t.union([
  t.type({ result: t.partial({ content: t.string, podName: t.string }) }),
  t.type({ error: t.partial({ message: t.string, http_code: t.number, grpc_code: t.number }) }),
]);
export type ArgoLogChunk = t.TypeOf<typeof ArgoLogChunk>;
