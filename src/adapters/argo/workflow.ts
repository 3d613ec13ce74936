/**
 * Builds the Workflow we submit for one run. Pure: same request and config, same Workflow.
 *
 * User values (the pinned SHA, the parameters) travel as Workflow parameters that the template
 * hands to the container through `env` only. The container's command and script are constants,
 * so nothing a comment says is ever shell source or an argument (SECURITY-CHECKLIST 69).
 */
import { createHash } from "node:crypto";
import { runKeyId } from "../../core/model.js";
import type { RunRequest } from "../../core/model.js";
import type { ResolvedArgoConfig } from "./config.js";

/** Label and annotation keys we put on every Workflow. @internal */
export const ARGO_KEYS = {
  runKeyLabel: "ml-chatops/run-key",
  prLabel: "ml-chatops/pr",
  runKeyAnnotation: "ml-chatops/run-key",
  approvalAnnotation: "ml-chatops/approval-id",
} as const;

/** Name of the output parameter that carries the result, globally exported under `RESULT_GLOBAL`. @internal */
export const RESULT_PARAMETER = "result";
/** @internal */
export const RESULT_GLOBAL = "ml-chatops-result";
/**
 * Exit code of the checkout step when the commit cannot be fetched or is not the pinned one.
 *
 * @example
 * toRunStatus(wf).detail; // "checkout of the pinned commit failed…" when a node says "exit code 97"
 * @internal */
export const CHECKOUT_EXIT_CODE = 97;
/** Where the pinned commit is checked out (an emptyDir volume is mounted at /workspace). */
const WORKDIR = "/workspace/src";

/**
 * Fetches the pinned commit, checks it out detached, verifies `HEAD`, then runs the configured
 * command (`"$@"`). Reads only environment variables; Argo never substitutes into it (no braces).
 * Backticks instead of `$(…)` so Kubernetes' own `$(VAR)` expansion of args cannot touch it.
 *
 * @example
 * spawnSync("/bin/sh", ["-c", CHECKOUT_SCRIPT, "checkout", "node", "run.mjs"], { env });
 * @internal */
export const CHECKOUT_SCRIPT = [
  "set -eu",
  'mkdir -p "$ML_CHATOPS_WORKDIR" "$ML_CHATOPS_RESULT_DIR"',
  'cd "$ML_CHATOPS_WORKDIR"',
  "git init -q .",
  'git fetch -q --no-tags --depth=1 "$REPO_URL" "$PINNED_SHA" || git fetch -q --no-tags "$REPO_URL" "refs/pull/$PR_NUMBER/head" || exit 97',
  'git checkout -q --detach "$PINNED_SHA" || exit 97',
  "actual=`git rev-parse HEAD`",
  'if [ "$actual" != "$PINNED_SHA" ]; then',
  '  echo "ml-chatops: checked out $actual but the approved commit is $PINNED_SHA" >&2',
  "  exit 97",
  "fi",
  'exec "$@"',
  "",
].join("\n");

type NameValue = { readonly name: string; readonly value: string };
type EnvVar = NameValue;

/** The subset of an Argo Workflow we emit (validated against Argo's schema.json in tests). @internal */
export type SubmittedWorkflow = {
  readonly apiVersion: "argoproj.io/v1alpha1";
  readonly kind: "Workflow";
  readonly metadata: {
    readonly name?: string;
    readonly generateName?: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: Readonly<Record<string, unknown>> & {
    readonly arguments: { readonly parameters: ReadonlyArray<NameValue> };
  };
};

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/**
 * Turns any string into a valid Kubernetes label value (≤63 chars, alphanumeric at both ends,
 * `-_.` inside). Long values keep a hash suffix so distinct inputs stay distinct.
 *
 * @example
 * toLabelValue("octo/kw#7:tfidf-keywords"); // "octo.kw.7.tfidf-keywords"
 * @internal */
export const toLabelValue = (s: string): string => {
  const cleaned = s
    .replace(/[^A-Za-z0-9_.-]+/g, ".")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/[^A-Za-z0-9]+$/, "");
  if (cleaned.length > 0 && cleaned.length <= 63) return cleaned;
  const suffix = sha256(s).slice(0, 10);
  const head = cleaned.slice(0, 52).replace(/[^A-Za-z0-9]+$/, "");
  return head === "" ? suffix : `${head}-${suffix}`;
};

/**
 * The deterministic Workflow name of an approval (SECURITY-CHECKLIST 59).
 *
 * @example
 * workflowNameFor("approval-0001", "ml-chatops-"); // "ml-chatops-" + 16 hex digits
 * @internal */
export const workflowNameFor = (approvalId: string, prefix: string): string =>
  `${prefix}${sha256(approvalId).slice(0, 16)}`;

/**
 * Environment variable name of a parameter key.
 *
 * @example
 * paramEnvName("max_df"); // "ML_CHATOPS_PARAM_MAX_DF"
 * @internal */
export const paramEnvName = (key: string): string => `ML_CHATOPS_PARAM_${key.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

const fromInput = (name: string): string => `{{inputs.parameters.${name}}}`;

/**
 * The Workflow for one run. `job` (the JSON `ml-chatops exec` reads) travels as the `job`
 * parameter into ML_CHATOPS_JOB, like every other value: data in env, never in the script.
 *
 * @example
 * const wf = buildWorkflow(request, resolveArgoConfig({ baseUrl: "http://argo:2746", namespace: "ml", image: "kw:1" }), encodeJobSpec(job));
 * @internal */
export const buildWorkflow = (req: RunRequest, config: ResolvedArgoConfig, job?: string): SubmittedWorkflow => {
  const keys = Object.keys(req.params).sort();
  const parameters: ReadonlyArray<NameValue> = [
    { name: "pinned-sha", value: req.pinnedSha },
    {
      name: "repo-url",
      value: config.repoUrlTemplate.replace("{owner}", req.pr.owner).replace("{repo}", req.pr.repo),
    },
    { name: "pr-number", value: String(req.pr.number) },
    { name: "experiment", value: req.experimentId },
    { name: "run-key", value: runKeyId(req.runKey) },
    { name: "params-json", value: JSON.stringify(Object.fromEntries(keys.map((k) => [k, req.params[k]]))) },
    ...(job === undefined ? [] : [{ name: "job", value: job }]),
    ...keys.map((k, i) => ({ name: `param-${i}`, value: req.params[k] ?? "" })),
  ];
  const env: ReadonlyArray<EnvVar> = [
    { name: "PINNED_SHA", value: fromInput("pinned-sha") },
    { name: "REPO_URL", value: fromInput("repo-url") },
    { name: "PR_NUMBER", value: fromInput("pr-number") },
    { name: "ML_CHATOPS_EXPERIMENT", value: fromInput("experiment") },
    { name: "ML_CHATOPS_RUN_KEY", value: fromInput("run-key") },
    { name: "ML_CHATOPS_PARAMS", value: fromInput("params-json") },
    ...(job === undefined ? [] : [{ name: "ML_CHATOPS_JOB", value: fromInput("job") }]),
    ...keys.map((k, i) => ({ name: paramEnvName(k), value: fromInput(`param-${i}`) })),
    { name: "ML_CHATOPS_WORKDIR", value: WORKDIR },
    { name: "ML_CHATOPS_RESULT_PATH", value: config.resultPath },
    { name: "ML_CHATOPS_RESULT_DIR", value: config.resultPath.replace(/\/[^/]*$/, "") || "/" },
  ];
  const name = workflowNameFor(req.approvalId, config.namePrefix);
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Workflow",
    metadata: {
      ...(config.deterministicName ? { name } : { generateName: config.namePrefix }),
      namespace: config.namespace,
      labels: {
        ...config.labels,
        [ARGO_KEYS.runKeyLabel]: toLabelValue(runKeyId(req.runKey)),
        [ARGO_KEYS.prLabel]: String(req.pr.number),
      },
      annotations: {
        [ARGO_KEYS.runKeyAnnotation]: runKeyId(req.runKey),
        [ARGO_KEYS.approvalAnnotation]: req.approvalId,
      },
    },
    spec: {
      entrypoint: "main",
      activeDeadlineSeconds: config.activeDeadlineSeconds,
      ...(config.serviceAccountName === undefined ? {} : { serviceAccountName: config.serviceAccountName }),
      podGC: { strategy: config.podGCStrategy },
      arguments: { parameters },
      volumes: [{ name: "workspace", emptyDir: {} }],
      templates: [
        {
          name: "main",
          inputs: { parameters: parameters.map((p) => ({ name: p.name })) },
          container: {
            name: "main",
            image: config.image,
            command: ["/bin/sh", "-c"],
            args: [CHECKOUT_SCRIPT, "ml-chatops-checkout", ...config.command],
            env,
            resources: config.resources,
            // The experiment needs no privileges; PR code must not gain any.
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            volumeMounts: [{ name: "workspace", mountPath: "/workspace" }],
          },
          outputs: {
            parameters: [{ name: RESULT_PARAMETER, globalName: RESULT_GLOBAL, valueFrom: { path: config.resultPath } }],
            ...(config.outputArtifacts.length === 0
              ? {}
              : { artifacts: config.outputArtifacts.map((a) => ({ name: a.name, path: a.path, optional: true })) }),
          },
        },
      ],
    },
  };
};
