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
  fail,
  failWith,
  finiteNumber,
  isObject,
  onlyKnownKeys,
  type Check,
  type JsonPath,
} from "./json-check.js";
import { mountPathProblem } from "./mount-path.js";
import { isRelativePath } from "./relative-path.js";
import { RESULT_NAME_PATTERN } from "./result.js";

/** A declared parameter; values arrive as command text and are checked against it. @internal */
export type ParamDecl =
  | {
      readonly type: "number" | "integer";
      readonly default?: number | undefined;
      readonly min?: number | undefined;
      readonly max?: number | undefined;
      readonly description?: string | undefined;
    }
  | {
      readonly type: "enum";
      readonly values: ReadonlyArray<string>;
      readonly default?: string | undefined;
      readonly description?: string | undefined;
    }
  | {
      readonly type: "string";
      readonly pattern?: string | undefined;
      readonly default?: string | undefined;
      readonly description?: string | undefined;
    };

/** Which direction of a metric is better, and how small a change counts as none. @internal */
export type MetricGoal = { readonly goal: "max" | "min"; readonly threshold: number };

/** A declared experiment after decoding. @internal */
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
  maxEnumValues: 64,
  maxMetrics: 50,
  maxTimeoutMs: 24 * 3_600_000,
  maxMounts: 16,
} as const;

/** Parameter keys: identifiers the command grammar accepts and an environment name can carry. @internal */
export const PARAM_KEY = /^[a-z][a-z0-9_]{0,31}$/;
/** Keys the pipeline itself reads from a command; a parameter cannot take them. @internal */
export const RESERVED_PARAM_KEYS: ReadonlyArray<string> = ["experiment", "sha", "force"];

const METRIC_NAME = new RegExp(RESULT_NAME_PATTERN);

/** Drops absent optional fields, so a decoded value has no `undefined` keys. */
const compact = <A extends object>(o: A): A =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as A;
const text = (max: number) => boundedString(1, max);

const strict =
  <A>(
    known: ReadonlyArray<string>,
    what: string,
    build: (u: Readonly<Record<string, unknown>>, path: JsonPath) => E.Either<string, A>,
  ): Check<A> =>
  (u, path) =>
    isObject(u)
      ? pipe(
          onlyKnownKeys(u, known, path),
          E.flatMap(() => build(u, path)),
        )
      : fail(path, what, u);

const opt = <A>(
  u: Readonly<Record<string, unknown>>,
  key: string,
  path: JsonPath,
  check: Check<A>,
): E.Either<string, A | undefined> =>
  u[key] === undefined || u[key] === null ? E.right(undefined) : check(u[key], [...path, key]);

/** An enum value or string default: YAML turns `true` or `1` into non-strings, so scalars are taken as text. */
const scalarText: Check<string> = (u, path) =>
  typeof u === "boolean" || (typeof u === "number" && Number.isFinite(u)) ? E.right(String(u)) : text(256)(u, path);

const numberDecl =
  (type: "number" | "integer"): Check<ParamDecl> =>
  (u, path) => {
    const num: Check<number> = (v, p) =>
      pipe(
        finiteNumber(v, p),
        E.flatMap((n) => (type === "integer" && !Number.isSafeInteger(n) ? fail(p, "an integer", v) : E.right(n))),
      );
    return pipe(
      E.Do,
      E.bind("min", () => opt(u as Record<string, unknown>, "min", path, num)),
      E.bind("max", () => opt(u as Record<string, unknown>, "max", path, num)),
      E.bind("default", () => opt(u as Record<string, unknown>, "default", path, num)),
      E.bind("description", () => opt(u as Record<string, unknown>, "description", path, text(200))),
      E.flatMap((d) => {
        if (d.min !== undefined && d.max !== undefined && d.min > d.max)
          return failWith<ParamDecl>([...path, "max"], `must not be below min (${d.min})`);
        if (
          d.default !== undefined &&
          ((d.min !== undefined && d.default < d.min) || (d.max !== undefined && d.default > d.max))
        ) {
          return failWith<ParamDecl>(
            [...path, "default"],
            `${d.default} is outside [${d.min ?? "-∞"}, ${d.max ?? "∞"}]`,
          );
        }
        return E.right(compact({ type, ...d }));
      }),
    );
  };

const enumDecl: Check<ParamDecl> = (u, path) => {
  const o = u as Record<string, unknown>;
  return pipe(
    E.Do,
    E.bind("values", () =>
      boundedArray(SPEC_LIMITS.maxEnumValues, scalarText, "values")(o["values"], [...path, "values"]),
    ),
    E.bind("default", () => opt(o, "default", path, scalarText)),
    E.bind("description", () => opt(o, "description", path, text(200))),
    E.flatMap((d) => {
      if (d.values.length === 0) return failWith<ParamDecl>([...path, "values"], "expected at least one value");
      if (new Set(d.values).size !== d.values.length) return failWith<ParamDecl>([...path, "values"], "values repeat");
      if (d.default !== undefined && !d.values.includes(d.default))
        return failWith<ParamDecl>([...path, "default"], `${JSON.stringify(d.default)} is not one of the values`);
      return E.right(compact({ type: "enum" as const, ...d }));
    }),
  );
};

const compiles = (pattern: string): boolean => {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
};

const stringDecl: Check<ParamDecl> = (u, path) => {
  const o = u as Record<string, unknown>;
  return pipe(
    E.Do,
    E.bind("pattern", () => opt(o, "pattern", path, text(500))),
    E.bind("default", () => opt(o, "default", path, boundedString(0, 256))),
    E.bind("description", () => opt(o, "description", path, text(200))),
    E.flatMap((d) => {
      if (d.pattern !== undefined && !compiles(d.pattern))
        return failWith<ParamDecl>([...path, "pattern"], "not a valid regular expression");
      if (d.pattern !== undefined && d.default !== undefined && !new RegExp(d.pattern, "u").test(d.default)) {
        return failWith<ParamDecl>([...path, "default"], `${JSON.stringify(d.default)} does not match the pattern`);
      }
      return E.right(compact({ type: "string" as const, ...d }));
    }),
  );
};

const KNOWN_BY_TYPE: Readonly<Record<string, ReadonlyArray<string>>> = {
  number: ["type", "default", "min", "max", "description"],
  integer: ["type", "default", "min", "max", "description"],
  enum: ["type", "values", "default", "description"],
  string: ["type", "pattern", "default", "description"],
};

const paramDecl: Check<ParamDecl> = (u, path) => {
  if (!isObject(u)) return fail(path, "a parameter {type, default?, …}", u);
  const type = u["type"];
  const known = typeof type === "string" ? KNOWN_BY_TYPE[type] : undefined;
  if (known === undefined) return fail([...path, "type"], "one of number, integer, enum, string", type);
  return pipe(
    onlyKnownKeys(u, known, path),
    E.flatMap(() =>
      type === "enum"
        ? enumDecl(u, path)
        : type === "string"
          ? stringDecl(u, path)
          : numberDecl(type === "integer" ? "integer" : "number")(u, path),
    ),
  );
};

const paramKey = {
  test: (k: string) => PARAM_KEY.test(k) && !RESERVED_PARAM_KEYS.includes(k),
  describe: `a lower-case identifier: a-z first, then a-z 0-9 _, at most 32; not ${RESERVED_PARAM_KEYS.join(", ")}`,
};

const metricGoal: Check<MetricGoal> = strict(["goal", "threshold"], "a metric {goal: max|min, threshold?}", (u, path) =>
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
export const decodeExperimentSpec: Check<ExperimentSpec> = strict(
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
          opt(u, "params", path, boundedRecord(SPEC_LIMITS.maxParams, paramKey, paramDecl, "parameters")),
          E.map((p) => p ?? {}),
        ),
      ),
      E.bind("result", () => resultPath(u["result"], [...path, "result"])),
      E.bind("metrics", () =>
        pipe(
          opt(
            u,
            "metrics",
            path,
            boundedRecord(
              SPEC_LIMITS.maxMetrics,
              {
                test: (k) => METRIC_NAME.test(k),
                describe: "a letter or _ first, then letters, digits or _ . : / -, at most 64",
              },
              metricGoal,
              "metrics",
            ),
          ),
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
