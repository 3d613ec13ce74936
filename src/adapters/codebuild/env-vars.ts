/**
 * Builds CodeBuild's `environmentVariablesOverride` from a run request. Every variable is
 * PLAINTEXT (a user-chosen type could make the build resolve any parameter or secret its role
 * can read); names are checked against reserved ones (SECURITY-CHECKLIST 69).
 */
import * as E from "fp-ts/Either";
import type { RunnerError } from "../../core/errors.js";
import { runRejected } from "../../core/errors.js";
import { runKeyId } from "../../core/model.js";
import type { RunRequest } from "../../core/model.js";

/** One override as StartBuild takes it; `type` is always PLAINTEXT. @internal */
export type PlainEnvVar = { readonly name: string; readonly value: string; readonly type: "PLAINTEXT" };

const RESERVED_NAMES = new Set([
  "PATH",
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
  "BASH_ENV",
  "ENV",
  "NODE_OPTIONS",
  "HOME",
  "SHELL",
  "IFS",
]);
const RESERVED_PREFIXES = ["PYTHON", "AWS_", "CODEBUILD_", "GITHUB_", "LD_", "NPM_CONFIG_", "ML_CHATOPS_RESULT"];
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
// Control characters (newlines included) have no business in a parameter value.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_VALUE_CHARS = 1024;

/**
 * The variables the runner itself sets; parameters cannot take these names.
 *
 * @example
 * RUNNER_ENV.pinnedSha; // "ML_CHATOPS_PINNED_SHA", which a buildspec compares with CODEBUILD_RESOLVED_SOURCE_VERSION
 * @internal */
export const RUNNER_ENV = {
  job: "ML_CHATOPS_JOB",
  experiment: "ML_CHATOPS_EXPERIMENT",
  pinnedSha: "ML_CHATOPS_PINNED_SHA",
  runKey: "ML_CHATOPS_RUN_KEY",
} as const;

/**
 * Why `name` may not be set from a run request, or undefined when it may.
 *
 * @example
 * reservedReason("LD_PRELOAD", []); // "LD_PRELOAD is reserved"
 * @internal */
export const reservedReason = (name: string, projectNames: ReadonlyArray<string>): string | undefined => {
  if (!NAME.test(name)) return `${JSON.stringify(name)} is not a valid environment variable name`;
  const upper = name.toUpperCase();
  if (RESERVED_NAMES.has(upper)) return `${name} is reserved`;
  const prefix = RESERVED_PREFIXES.find((p) => upper.startsWith(p));
  if (prefix !== undefined) return `${name} is reserved (${prefix}*)`;
  if (Object.values(RUNNER_ENV).includes(upper as never)) return `${name} is set by the runner`;
  if (projectNames.some((p) => p.toUpperCase() === upper)) return `${name} is defined by the CodeBuild project`;
  return undefined;
};

/**
 * `max_df` → `<prefix>MAX_DF`; dashes and dots become underscores.
 *
 * @example
 * paramEnvName("ML_CHATOPS_PARAM_", "max-df"); // "ML_CHATOPS_PARAM_MAX_DF"
 * @internal */
export const paramEnvName = (prefix: string, key: string): string =>
  `${prefix}${key.toUpperCase().replace(/[-.]/g, "_")}`;

/**
 * The overrides for one request: the job for `ml-chatops exec` (when given), the runner's own
 * variables, then one per parameter.
 *
 * @example
 * toEnvironmentOverrides(req, "ML_CHATOPS_PARAM_", [], encodeJobSpec(job));
 * // Right([{ name: "ML_CHATOPS_EXPERIMENT", value: "tfidf-keywords", type: "PLAINTEXT" }, …])
 * @internal */
export const toEnvironmentOverrides = (
  req: RunRequest,
  prefix: string,
  projectNames: ReadonlyArray<string>,
  job?: string,
): E.Either<RunnerError, ReadonlyArray<PlainEnvVar>> => {
  const own: PlainEnvVar[] = [
    ...(job === undefined ? [] : [{ name: RUNNER_ENV.job, value: job, type: "PLAINTEXT" as const }]),
    { name: RUNNER_ENV.experiment, value: req.experimentId, type: "PLAINTEXT" },
    { name: RUNNER_ENV.pinnedSha, value: req.pinnedSha, type: "PLAINTEXT" },
    { name: RUNNER_ENV.runKey, value: runKeyId(req.runKey), type: "PLAINTEXT" },
  ];
  const params: PlainEnvVar[] = [];
  for (const [key, value] of Object.entries(req.params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const name = paramEnvName(prefix, key);
    const why = reservedReason(name, projectNames);
    if (why !== undefined) return E.left(runRejected(`parameter ${JSON.stringify(key)}: ${why}`));
    if (CONTROL.test(value))
      return E.left(runRejected(`parameter ${JSON.stringify(key)}: value contains control characters`));
    if (value.length > MAX_VALUE_CHARS)
      return E.left(runRejected(`parameter ${JSON.stringify(key)}: value longer than ${MAX_VALUE_CHARS} characters`));
    if (params.some((p) => p.name === name))
      return E.left(runRejected(`parameter ${JSON.stringify(key)}: ${name} given twice`));
    params.push({ name, value, type: "PLAINTEXT" });
  }
  return E.right([...own, ...params]);
};
