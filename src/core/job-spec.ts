/**
 * What a runner's job executes for one approved run, handed to `ml-chatops exec` as JSON in the
 * environment variable {@link JOB_ENV}: the experiment's argv, where its result is written, its
 * time limit, and the approved parameters as the `ML_CHATOPS_PARAM_*` environment.
 *
 * Why it travels with the run instead of being read in the job: the job runs in the pull
 * request's checkout, whose `.github/ml-chatops.yml` its author controls. The bot reads the
 * declaration from the default branch, checks the parameters against it before approval, and
 * sends exactly that; `exec` never looks at the checkout's config (SECURITY-CHECKLIST 1, 68).
 * Pure: one decode step whose error is ONE line naming the field.
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import {
  boundedArray,
  boundedRecord,
  boundedString,
  fail,
  failWith,
  isObject,
  onlyKnownKeys,
  type Check,
} from "./json-check.js";
import { ExperimentId, Sha } from "./model.js";
import { isRelativePath } from "./relative-path.js";

/**
 * One run's job: what a remote runner hands to `ml-chatops exec` (as `ML_CHATOPS_JOB`).
 *
 * @example
 * const job: JobSpec = { v: 1, experiment: "train", sha, command: ["python3", "train.py"], result: "out/result.json", env: {} };
 */
export type JobSpec = {
  readonly v: 1;
  readonly experiment: string;
  /** The commit the job must have checked out. */
  readonly sha: string;
  /** The argv run at the checkout's root, never through a shell; a leading `ml-chatops` is the installed CLI. */
  readonly command: ReadonlyArray<string>;
  /** Where the command writes its result, relative to the checkout's root. */
  readonly result: string;
  readonly timeoutMs?: number | undefined;
  /** `ML_CHATOPS_PARAM_<KEY>` and `ML_CHATOPS_PARAMS_JSON`: the only way parameters reach the command. */
  readonly env: Readonly<Record<string, string>>;
};

/**
 * Caps on a job: the same as on a declared experiment, and under every runner's limit for one
 * environment variable or input.
 *
 * @example
 * JOB_LIMITS.maxBytes; // 32768
 * @internal */
export const JOB_LIMITS = {
  maxBytes: 32 * 1024,
  maxArgv: 64,
  maxArgLength: 1000,
  maxEnv: 33,
  maxEnvValue: 4096,
  maxTimeoutMs: 24 * 3_600_000,
} as const;

const ENV_NAME = /^ML_CHATOPS_(?:PARAM_[A-Z][A-Z0-9_]{0,31}|PARAMS_JSON)$/;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;

const noNul =
  (max: number, min = 1): Check<string> =>
  (u, path) =>
    pipe(
      boundedString(min, max)(u, path),
      E.flatMap((s) => (NUL.test(s) ? failWith(path, "contains a NUL character") : E.right(s))),
    );

const checkJob: Check<JobSpec> = (u, path) => {
  if (!isObject(u)) return fail(path, "a job object {v, experiment, sha, command, result, env}", u);
  return pipe(
    onlyKnownKeys(u, ["v", "experiment", "sha", "command", "result", "timeoutMs", "env"], path),
    E.flatMap(() =>
      u["v"] === 1 ? E.right(1 as const) : fail<1>([...path, "v"], "1 (this ml-chatops reads version 1 jobs)", u["v"]),
    ),
    E.flatMap((v) =>
      pipe(
        E.Do,
        E.bind("experiment", () =>
          typeof u["experiment"] === "string" && ExperimentId.is(u["experiment"])
            ? E.right(u["experiment"])
            : fail<string>([...path, "experiment"], "an experiment id", u["experiment"]),
        ),
        E.bind("sha", () =>
          typeof u["sha"] === "string" && Sha.is(u["sha"])
            ? E.right<string, string>(u["sha"])
            : fail<string>([...path, "sha"], "a full 40-hex commit SHA", u["sha"]),
        ),
        E.bind("command", () =>
          pipe(
            boundedArray(
              JOB_LIMITS.maxArgv,
              noNul(JOB_LIMITS.maxArgLength),
              "argv items",
            )(u["command"], [...path, "command"]),
            E.flatMap((c) =>
              c.length > 0
                ? E.right(c)
                : failWith<ReadonlyArray<string>>([...path, "command"], "expected a non-empty argv list"),
            ),
          ),
        ),
        E.bind("result", () =>
          pipe(
            noNul(300)(u["result"], [...path, "result"]),
            E.flatMap((s) =>
              isRelativePath(s)
                ? E.right(s)
                : failWith<string>(
                    [...path, "result"],
                    `expected a path relative to the checkout, got ${JSON.stringify(s.slice(0, 60))}`,
                  ),
            ),
          ),
        ),
        E.bind("timeoutMs", () => {
          const t = u["timeoutMs"];
          if (t === undefined) return E.right(undefined);
          return typeof t === "number" && Number.isSafeInteger(t) && t > 0 && t <= JOB_LIMITS.maxTimeoutMs
            ? E.right(t)
            : fail<number>([...path, "timeoutMs"], "a whole number of milliseconds up to 24 h", t);
        }),
        E.bind("env", () =>
          boundedRecord(
            JOB_LIMITS.maxEnv,
            { test: (k) => ENV_NAME.test(k), describe: "ML_CHATOPS_PARAM_<KEY> or ML_CHATOPS_PARAMS_JSON" },
            noNul(JOB_LIMITS.maxEnvValue, 0),
            "variables",
          )(u["env"], [...path, "env"]),
        ),
        E.map((j): JobSpec => ({
          v,
          experiment: j.experiment,
          sha: j.sha,
          command: j.command,
          result: j.result,
          env: j.env,
          ...(j.timeoutMs === undefined ? {} : { timeoutMs: j.timeoutMs }),
        })),
      ),
    ),
  );
};

/**
 * Reads and checks a job from its JSON text (what `ml-chatops exec` finds in `ML_CHATOPS_JOB`),
 * against the same caps as a declared experiment. Left is one line naming the field. A `JobFor`
 * builds its job through it, so a runner refuses a job before starting anything.
 *
 * @example
 * decodeJobSpec('{"v":1,"experiment":"train","sha":"0123…","command":["python3","train.py"],"result":"out/result.json","env":{}}');
 * // Right({ v: 1, experiment: "train", … })
 * const job: JobFor = (req) => decodeJobSpec(JSON.stringify({ v: 1, experiment: req.experimentId, sha: req.pinnedSha, command, result, env: {} }));
 */
export const decodeJobSpec = (text: string): E.Either<string, JobSpec> => {
  if (text.length > JOB_LIMITS.maxBytes)
    return E.left(`the job is ${text.length} characters; at most ${JOB_LIMITS.maxBytes} are read`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return E.left(`the job is not JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}`);
  }
  return checkJob(json, []);
};

/**
 * The job as the compact JSON a runner hands over (an environment variable, a Workflow
 * parameter, a workflow_dispatch input).
 *
 * @example
 * encodeJobSpec(job); // '{"v":1,"experiment":"train",…}'
 * @internal */
export const encodeJobSpec = (job: JobSpec): string => JSON.stringify(job);

/**
 * How a remote runner (CodeBuild, Argo, GitHub Actions) gets the job of a request, its `job`
 * dependency: built from the experiments loaded from the default branch; Left says why the
 * request cannot run.
 *
 * @example
 * const job: JobFor = (req) => decodeJobSpec(JSON.stringify({ v: 1, experiment: req.experimentId, sha: req.pinnedSha, command, result, env: {} }));
 */
export type JobFor = (req: {
  readonly experimentId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly pinnedSha: string;
}) => E.Either<string, JobSpec>;
