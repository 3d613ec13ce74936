/**
 * A declared experiment, as `.github/ml-chatops.yml` writes it under `experiments:`: the argv to
 * run at the checkout's root, typed parameters, where the result is written, the metrics' goals,
 * the primary metric and a timeout. Pure: one decode step whose error is ONE line naming the
 * field (`experiments.train.params.c.min: expected a finite number, got "x"`); unknown keys are
 * refused so a typo is never silently ignored.
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import { ExperimentId } from "./model.js";
import {
  boundedArray,
  boundedRecord,
  boundedString,
  compact,
  fail,
  failWith,
  finiteNumber,
  optionalField as opt,
  strictObject,
  type Check,
  type JsonPath,
} from "./json-check.js";
import { decodeParamDecl, MAX_ENUM_VALUES, paramKey, type ParamDecl } from "./param-decl.js";
import { mountPathProblem } from "./mount-path.js";
import { isRelativePath } from "./relative-path.js";
// Metric names in the config are the names a result may use.
import { resultNameKey } from "./result-limits.js";

/**
 * Which direction of a metric is better, and how small a change counts as none.
 *
 * @example
 * const accuracy: MetricGoal = { goal: "max", threshold: 0.001 };
 */
export type MetricGoal = { readonly goal: "max" | "min"; readonly threshold: number };

/**
 * A declared experiment after decoding: what `createDeclaredExperiment` turns into an
 * `Experiment` (a repository config's `experiments:` decode to these).
 *
 * @example
 * const train: ExperimentSpec = { command: ["python3", "train.py"], params: {}, result: "out/result.json", metrics: { accuracy: { goal: "max", threshold: 0 } } };
 */
export type ExperimentSpec = {
  readonly command: ReadonlyArray<string>;
  readonly params: Readonly<Record<string, ParamDecl>>;
  /** Where the command writes its result, relative to the checkout's root. */
  readonly result: string;
  readonly metrics: Readonly<Record<string, MetricGoal>>;
  /** The metric that decides "better than the current best" and guards `promote`. */
  readonly primary?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly description?: string | undefined;
  /** The local runner's sandbox gets the host's network (default: none, not even loopback). */
  readonly network?: boolean | undefined;
  /** Absolute host paths mounted read-only into the local runner's sandbox (toolchains outside /usr). */
  readonly mounts?: ReadonlyArray<string> | undefined;
};

/**
 * Caps on a declared experiment.
 *
 * @example
 * SPEC_LIMITS.maxParams; // 32
 * @internal */
export const SPEC_LIMITS = {
  maxExperiments: 20,
  maxArgv: 64,
  maxArgLength: 1000,
  maxParams: 32,
  maxEnumValues: MAX_ENUM_VALUES,
  maxMetrics: 50,
  maxTimeoutMs: 24 * 3_600_000,
  maxMounts: 16,
} as const;

const text = (max: number) => boundedString(1, max);

const metricGoal: Check<MetricGoal> = strictObject(
  ["goal", "threshold"],
  "a metric {goal: max|min, threshold?}",
  (u, path) =>
    pipe(
      u["goal"] === "max"
        ? E.right<string, "max" | "min">("max")
        : u["goal"] === "min"
          ? E.right<string, "max" | "min">("min")
          : fail<"max" | "min">([...path, "goal"], "max or min", u["goal"]),
      E.flatMap((goal): E.Either<string, MetricGoal> =>
        pipe(
          opt(u, "threshold", path, (v, p) =>
            pipe(
              finiteNumber(v, p),
              E.flatMap((n) => (n >= 0 ? E.right(n) : fail(p, "a number >= 0", v))),
            ),
          ),
          E.map((threshold): MetricGoal => ({ goal, threshold: typeof threshold === "number" ? threshold : 0 })),
        ),
      ),
    ),
);

const TIMEOUT = /^([1-9][0-9]{0,5})(s|m|h)$/;
const timeout: Check<number> = (u, path) => {
  const m = typeof u === "string" ? TIMEOUT.exec(u) : null;
  if (m === null) return fail(path, "a duration like 90s, 30m or 2h", u);
  const ms = Number(m[1]) * (m[2] === "s" ? 1_000 : m[2] === "m" ? 60_000 : 3_600_000);
  return ms <= SPEC_LIMITS.maxTimeoutMs ? E.right(ms) : failWith(path, `at most 24h, got ${String(u)}`);
};

const resultPath: Check<string> = (u, path) =>
  pipe(
    text(300)(u, path),
    E.flatMap((s) =>
      isRelativePath(s)
        ? E.right(s)
        : failWith(
            path,
            `expected a path relative to the checkout (no leading /, no .., no backslash), got ${JSON.stringify(s.slice(0, 60))}`,
          ),
    ),
  );

const argvItem: Check<string> = (u, path) =>
  pipe(
    text(SPEC_LIMITS.maxArgLength)(u, path),
    E.flatMap((s) => (s.includes("\u0000") ? failWith(path, "contains a NUL character") : E.right(s))),
  );

const mountPath: Check<string> = (u, path) =>
  pipe(
    text(1000)(u, path),
    E.flatMap((s) => {
      const problem = mountPathProblem(s);
      return problem === undefined ? E.right(s) : failWith(path, problem);
    }),
  );

const bool: Check<boolean> = (u, path) => (typeof u === "boolean" ? E.right(u) : fail(path, "true or false", u));

const SPEC_KEYS = ["command", "params", "result", "metrics", "primary", "timeout", "description", "network", "mounts"];

/**
 * Decodes one declared experiment found at `path` (e.g. `["experiments", "train"]`).
 *
 * @example
 * decodeExperimentSpec({ command: ["python3", "train.py"], result: "out/result.json" }, ["experiments", "train"]);
 * // Right({ command: ["python3", "train.py"], params: {}, result: "out/result.json", metrics: {} })
 * @internal */
export const decodeExperimentSpec: Check<ExperimentSpec> = strictObject(
  SPEC_KEYS,
  "an experiment {command, result, params?, metrics?, primary?, timeout?, network?, mounts?}",
  (u, path) =>
    pipe(
      E.Do,
      E.bind("command", () =>
        pipe(
          boundedArray(SPEC_LIMITS.maxArgv, argvItem, "argv items")(u["command"], [...path, "command"]),
          E.flatMap((c) =>
            c.length > 0
              ? E.right(c)
              : failWith<ReadonlyArray<string>>(
                  [...path, "command"],
                  'expected a non-empty argv list, e.g. ["python3", "train.py"]',
                ),
          ),
        ),
      ),
      E.bind("params", () =>
        pipe(
          opt(u, "params", path, boundedRecord(SPEC_LIMITS.maxParams, paramKey, decodeParamDecl, "parameters")),
          E.map((p) => p ?? {}),
        ),
      ),
      E.bind("result", () => resultPath(u["result"], [...path, "result"])),
      E.bind("metrics", () =>
        pipe(
          opt(u, "metrics", path, boundedRecord(SPEC_LIMITS.maxMetrics, resultNameKey, metricGoal, "metrics")),
          E.map((m) => m ?? {}),
        ),
      ),
      E.bind("primary", ({ metrics }) => primaryOf(u["primary"], metrics, [...path, "primary"])),
      E.bind("timeoutMs", () => opt(u, "timeout", path, timeout)),
      E.bind("description", () => opt(u, "description", path, text(200))),
      E.bind("network", () => opt(u, "network", path, bool)),
      E.bind("mounts", () => opt(u, "mounts", path, boundedArray(SPEC_LIMITS.maxMounts, mountPath, "mounts"))),
      E.map((s) => compact(s) as ExperimentSpec),
    ),
);

/** The primary metric: named and declared, or the only declared metric; required when there are several. */
const primaryOf = (
  u: unknown,
  metrics: Readonly<Record<string, MetricGoal>>,
  path: JsonPath,
): E.Either<string, string | undefined> => {
  const declared = Object.keys(metrics);
  if (u === undefined || u === null) {
    if (declared.length <= 1) return E.right(declared[0]);
    return failWith(path, `required when several metrics are declared (one of ${declared.join(", ")})`);
  }
  if (typeof u !== "string") return fail(path, "a metric name", u);
  return declared.includes(u)
    ? E.right(u)
    : failWith(
        path,
        `${JSON.stringify(u.slice(0, 64))} is not a declared metric (declared: ${declared.join(", ") || "none"})`,
      );
};

/**
 * Decodes the `experiments:` mapping: ids are experiment ids (`^[a-z][a-z0-9-]{0,63}$`).
 *
 * @example
 * decodeExperimentSpecs({ train: { command: ["python3", "train.py"], result: "out/r.json" } });
 * @internal */
export const decodeExperimentSpecs = (
  u: unknown,
  path: JsonPath = ["experiments"],
): E.Either<string, Readonly<Record<string, ExperimentSpec>>> =>
  pipe(
    boundedRecord(
      SPEC_LIMITS.maxExperiments,
      { test: (k) => ExperimentId.is(k), describe: "a-z first, then a-z 0-9 -, at most 64" },
      decodeExperimentSpec,
      "experiments",
    )(u, path),
    E.flatMap((specs) =>
      Object.keys(specs).length > 0 ? E.right(specs) : failWith(path, "expected at least one experiment"),
    ),
  );
