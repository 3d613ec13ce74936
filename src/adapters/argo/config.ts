/**
 * Configuration of the Argo runner: an io-ts codec, the defaults, and the one place that throws
 * (a bad config is a programmer error, reported at construction).
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as t from "io-ts";
import { PathReporter } from "io-ts/PathReporter";

/** Compute requests or limits, e.g. `{ cpu: "1", memory: "2Gi" }`. */
const Quantities = t.readonly(t.record(t.string, t.string));

/**
 * What the caller sets. Only `baseUrl`, `namespace` and `image` are required.
 *
 * @example
 * const config: ArgoRunnerConfig = { baseUrl: "https://argo.example:2746", namespace: "ml", image: "ghcr.io/o/kw:1" };
 */
export const ArgoRunnerConfig = t.intersection([
  t.type({
    /** argo-server, e.g. `https://argo-server.argo:2746` (no trailing path). */
    baseUrl: t.string,
    namespace: t.string,
    /** The image the experiment runs in; it needs `git` and `sh`. */
    image: t.string,
  }),
  t.partial({
    /** Bearer token for argo-server (a service-account token). Never put into the Workflow. */
    token: t.string,
    /** Where the pinned commit is fetched from; `{owner}` and `{repo}` are filled in. */
    repoUrlTemplate: t.string,
    /** The experiment command, run inside the checkout after the commit check. Fixed by config. */
    command: t.readonlyArray(t.string),
    serviceAccountName: t.string,
    activeDeadlineSeconds: t.number,
    podGCStrategy: t.keyof({
      OnPodCompletion: null,
      OnPodSuccess: null,
      OnWorkflowCompletion: null,
      OnWorkflowSuccess: null,
    }),
    resources: t.partial({ requests: Quantities, limits: Quantities }),
    /** Extra labels for the Workflow (fixed values from config). */
    labels: t.readonly(t.record(t.string, t.string)),
    /** Prefix of the Workflow name. */
    namePrefix: t.string,
    /**
     * `true` (default): a name derived from the approval id, so a retried submit cannot create a
     * second Workflow (409 counts as success). `false`: `generateName`, the server picks the name.
     */
    deterministicName: t.boolean,
    /** `stop` runs exit handlers; `terminate` does not. */
    cancelMode: t.keyof({ stop: null, terminate: null }),
    /** The argo UI, for links in reports; defaults to `baseUrl`. */
    uiBaseUrl: t.string,
    /**
     * Files the template declares as output artifacts (optional ones: a run that writes none
     * still succeeds), e.g. `[{ name: "images", path: "/workspace/src/out" }]`. They go to the
     * cluster's artifact repository; the report links each through the Argo UI.
     */
    outputArtifacts: t.readonlyArray(t.type({ name: t.string, path: t.string })),
    /** Where the experiment writes its JSON result inside the container. */
    resultPath: t.string,
    logTailLines: t.number,
    /** Attempts per request on 5xx / network errors / a fresh 404. */
    maxAttempts: t.number,
    /** First backoff delay; doubles per attempt. */
    backoffMs: t.number,
    /** Largest result accepted, in characters. */
    maxResultChars: t.number,
  }),
]);
export type ArgoRunnerConfig = t.TypeOf<typeof ArgoRunnerConfig>;

/** The config after defaults are merged in. @internal */
export type ResolvedArgoConfig = Required<Omit<ArgoRunnerConfig, "token" | "serviceAccountName">> & {
  readonly token: string | undefined;
  readonly serviceAccountName: string | undefined;
};

/**
 * Defaults for every optional setting except the token and service account.
 *
 * @example
 * DEFAULT_ARGO_CONFIG.cancelMode; // "stop"
 */
export const DEFAULT_ARGO_CONFIG = {
  repoUrlTemplate: "https://github.com/{owner}/{repo}.git",
  // The image's own ml-chatops, found on the image's PATH (npx would look in the checkout first,
  // where the pull request could put a node_modules/.bin/ml-chatops), writing the result where
  // the output parameter reads it (resolveArgoConfig follows a custom resultPath).
  command: ["ml-chatops", "exec", "--output", "/tmp/ml-chatops/result.json"],
  activeDeadlineSeconds: 1800,
  podGCStrategy: "OnWorkflowCompletion",
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
  labels: {},
  namePrefix: "ml-chatops-",
  deterministicName: true,
  cancelMode: "stop",
  resultPath: "/tmp/ml-chatops/result.json",
  logTailLines: 40,
  maxAttempts: 4,
  backoffMs: 500,
  maxResultChars: 1_000_000,
  outputArtifacts: [],
} as const satisfies Partial<ArgoRunnerConfig>;

const USAGE =
  'usage: createArgoRunner({ fetch }, { baseUrl: "https://argo-server:2746", namespace: "ml", image: "ghcr.io/o/kw:1" })';

const ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

const checkSemantics = (c: ResolvedArgoConfig): ReadonlyArray<string> => [
  ...(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(c.baseUrl)
    ? []
    : [`baseUrl: not an http(s) URL: ${JSON.stringify(c.baseUrl)}`]),
  ...(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(c.uiBaseUrl)
    ? []
    : [`uiBaseUrl: not an http(s) URL: ${JSON.stringify(c.uiBaseUrl)}`]),
  ...c.outputArtifacts.flatMap((a, i) => [
    ...(ARTIFACT_NAME.test(a.name)
      ? []
      : [`outputArtifacts[${i}].name: letters, digits, '-' and '_', a letter or digit first, at most 63`]),
    ...(a.path.startsWith("/") && !a.path.split("/").includes("..")
      ? []
      : [`outputArtifacts[${i}].path: an absolute path without ".."`]),
  ]),
  ...(new Set(c.outputArtifacts.map((a) => a.name)).size === c.outputArtifacts.length
    ? []
    : ["outputArtifacts: names repeat"]),
  ...(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(c.namespace)
    ? []
    : [`namespace: not a valid namespace: ${JSON.stringify(c.namespace)}`]),
  ...(/^[a-z0-9]([-a-z0-9]{0,20})?$/.test(c.namePrefix.replace(/-$/, ""))
    ? []
    : [`namePrefix: lower-case letters, digits and '-', at most 22 characters`]),
  ...(c.image.trim() === "" ? ["image: empty"] : []),
  ...(c.command.length === 0 ? ["command: empty"] : []),
  ...(Number.isInteger(c.activeDeadlineSeconds) && c.activeDeadlineSeconds > 0
    ? []
    : ["activeDeadlineSeconds: a positive integer"]),
  ...(Number.isInteger(c.maxAttempts) && c.maxAttempts >= 1 ? [] : ["maxAttempts: an integer >= 1"]),
  ...(c.backoffMs >= 0 ? [] : ["backoffMs: >= 0"]),
  ...(c.resultPath.startsWith("/") ? [] : ["resultPath: an absolute path"]),
  ...(c.repoUrlTemplate.includes("{owner}") && c.repoUrlTemplate.includes("{repo}")
    ? []
    : ["repoUrlTemplate: must contain {owner} and {repo}"]),
];

/**
 * Decodes the config and merges it over the defaults. Throws one message naming every bad field.
 *
 * @example
 * const c = resolveArgoConfig({ baseUrl: "http://127.0.0.1:2746", namespace: "ml", image: "kw:1" });
 * @internal */
export const resolveArgoConfig = (input: unknown): ResolvedArgoConfig => {
  const decoded = pipe(
    ArgoRunnerConfig.decode(input),
    E.getOrElseW((errors) => {
      throw new Error(`invalid Argo runner config: ${PathReporter.report(E.left(errors)).join("; ")}\n${USAGE}`);
    }),
  );
  const resolved: ResolvedArgoConfig = {
    ...DEFAULT_ARGO_CONFIG,
    ...decoded,
    command: decoded.command ?? [
      "ml-chatops",
      "exec",
      "--output",
      decoded.resultPath ?? DEFAULT_ARGO_CONFIG.resultPath,
    ],
    baseUrl: decoded.baseUrl.replace(/\/+$/, ""),
    uiBaseUrl: (decoded.uiBaseUrl ?? decoded.baseUrl).replace(/\/+$/, ""),
    token: decoded.token,
    serviceAccountName: decoded.serviceAccountName,
  };
  const problems = checkSemantics(resolved);
  if (problems.length > 0) throw new Error(`invalid Argo runner config: ${problems.join("; ")}\n${USAGE}`);
  return resolved;
};
