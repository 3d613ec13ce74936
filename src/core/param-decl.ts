/**
 * A declared parameter of an experiment (`experiments.<id>.params.<key>`): its type (number,
 * integer, enum or string), bounds, values or pattern, and default. Decoding checks the default
 * against the declaration, so a config whose own default would be refused never loads.
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import {
  boundedArray,
  boundedString,
  compact,
  fail,
  failWith,
  finiteNumber,
  isObject,
  onlyKnownKeys,
  optionalField as opt,
  type Check,
} from "./json-check.js";

/**
 * A declared parameter; values arrive as command text and are checked against it.
 *
 * @example
 * const c: ParamDecl = { type: "number", min: 0, max: 10, default: 1 };
 */
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

/**
 * Parameter keys: identifiers the command grammar accepts and an environment name can carry.
 *
 * @example
 * PARAM_KEY.test("learning_rate"); // true
 * @internal */
export const PARAM_KEY = /^[a-z][a-z0-9_]{0,31}$/;
/**
 * Keys the pipeline itself reads from a command; a parameter cannot take them.
 *
 * @example
 * RESERVED_PARAM_KEYS.includes("sha"); // true
 * @internal */
export const RESERVED_PARAM_KEYS: ReadonlyArray<string> = ["experiment", "sha", "force"];

/** At most this many values in one enum parameter. @internal */
export const MAX_ENUM_VALUES = 64;

const text = (max: number) => boundedString(1, max);

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
    E.bind("values", () => boundedArray(MAX_ENUM_VALUES, scalarText, "values")(o["values"], [...path, "values"])),
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

/**
 * Decodes one parameter declaration; unknown keys for its type are refused.
 *
 * @example
 * decodeParamDecl({ type: "number", min: 0, default: 1 }, ["experiments", "train", "params", "c"]);
 * // Right({ type: "number", min: 0, default: 1 })
 * @internal */
export const decodeParamDecl: Check<ParamDecl> = (u, path) => {
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

/**
 * The key rule for `params:`, as `boundedRecord` takes it.
 *
 * @example
 * paramKey.test("learning_rate"); // true; paramKey.test("sha") is false (reserved)
 * @internal */
export const paramKey = {
  test: (k: string) => PARAM_KEY.test(k) && !RESERVED_PARAM_KEYS.includes(k),
  describe: `a lower-case identifier: a-z first, then a-z 0-9 _, at most 32; not ${RESERVED_PARAM_KEYS.join(", ")}`,
};
