/**
 * Parameters of a declared experiment: checked against their declarations before approval, and
 * handed to the command only as environment variables, never spliced into argv or a shell
 * (SECURITY-CHECKLIST 68, 69).
 */
import * as E from "fp-ts/Either";
import { invalidParams, type ExperimentError } from "./errors.js";
import type { ExperimentSpec } from "./experiment-spec.js";
import type { ParamDecl } from "./param-decl.js";
import { describeToken } from "./command-args.js";
import type { CommandArgs } from "./model.js";
import type { ParamSpec } from "./ports.js";

const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INTEGER = /^[+-]?[0-9]+$/;

const range = (d: { readonly min?: number | undefined; readonly max?: number | undefined }): string =>
  d.min !== undefined && d.max !== undefined
    ? ` from ${d.min} to ${d.max}`
    : d.min !== undefined
      ? ` >= ${d.min}`
      : d.max !== undefined
        ? ` <= ${d.max}`
        : "";

/** What a declaration accepts, in words (help texts and errors). @internal */
export const describeParam = (d: ParamDecl): string => {
  switch (d.type) {
    case "number":
      return `a number${range(d)}`;
    case "integer":
      return `an integer${range(d)}`;
    case "enum":
      return `one of ${d.values.join(", ")}`;
    case "string":
      return d.pattern === undefined ? "text" : `text matching ${d.pattern}`;
  }
};

/** The value's canonical text, or why it is refused. */
const checkValue = (key: string, d: ParamDecl, value: string): E.Either<string, string> => {
  const refuse = () => E.left(`${key}: expected ${describeParam(d)}, got ${describeToken(value)}`);
  switch (d.type) {
    case "number":
    case "integer": {
      if (!(d.type === "integer" ? INTEGER : NUMBER).test(value)) return refuse();
      const n = Number(value);
      if (!Number.isFinite(n) || (d.type === "integer" && !Number.isSafeInteger(n))) return refuse();
      if ((d.min !== undefined && n < d.min) || (d.max !== undefined && n > d.max)) return refuse();
      return E.right(String(n));
    }
    case "enum":
      return d.values.includes(value) ? E.right(value) : refuse();
    case "string":
      return d.pattern === undefined || new RegExp(d.pattern, "u").test(value) ? E.right(value) : refuse();
  }
};

/**
 * Checks command arguments against the declared parameters and fills in defaults: unknown keys,
 * a missing parameter without a default, a wrong type, a value out of range, not in the enum or
 * not matching the pattern are refused with the key named.
 *
 * @example
 * checkParams({ c: { type: "number", min: 0, default: 1 } }, { c: "0.2" }); // Right({ c: "0.2" })
 * checkParams({ c: { type: "number", min: 0, default: 1 } }, { c: "-1" }); // Left(InvalidParams "c: expected a number >= 0, got \"-1\"")
 * @internal */
export const checkParams = (
  decls: Readonly<Record<string, ParamDecl>>,
  args: CommandArgs,
): E.Either<ExperimentError, Readonly<Record<string, string>>> => {
  const keys = Object.keys(decls);
  const unknown = Object.keys(args).find((k) => !Object.prototype.hasOwnProperty.call(decls, k));
  if (unknown !== undefined) {
    return E.left(
      invalidParams(
        `unknown parameter ${describeToken(unknown)} (allowed: ${keys.length === 0 ? "none" : keys.join(", ")})`,
      ),
    );
  }
  const out: Array<readonly [string, string]> = [];
  for (const key of keys) {
    const d = decls[key];
    if (d === undefined) continue;
    const given = Object.prototype.hasOwnProperty.call(args, key) ? args[key] : undefined;
    const raw = given ?? (d.default === undefined ? undefined : String(d.default));
    if (raw === undefined) return E.left(invalidParams(`${key}: required (${describeParam(d)}); it has no default`));
    const checked = checkValue(key, d, raw);
    if (E.isLeft(checked)) return E.left(invalidParams(checked.left));
    out.push([key, checked.right]);
  }
  return E.right(Object.fromEntries(out));
};

/**
 * The environment variable that carries one parameter.
 *
 * @example
 * paramEnvName("max_df"); // "ML_CHATOPS_PARAM_MAX_DF"
 * @internal */
export const paramEnvName = (key: string): string => `ML_CHATOPS_PARAM_${key.toUpperCase()}`;

/** The variable holding every parameter as one JSON object (numbers as numbers). @internal */
export const PARAMS_JSON_ENV = "ML_CHATOPS_PARAMS_JSON";

/**
 * Checked parameters as environment variables: `ML_CHATOPS_PARAM_<KEY>` each, plus
 * `ML_CHATOPS_PARAMS_JSON` with numbers and integers typed.
 *
 * @example
 * paramsToEnv({ c: { type: "number" } }, { c: "0.2" });
 * // { ML_CHATOPS_PARAM_C: "0.2", ML_CHATOPS_PARAMS_JSON: "{\"c\":0.2}" }
 * @internal */
export const paramsToEnv = (
  decls: Readonly<Record<string, ParamDecl>>,
  params: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> => {
  const entries = Object.entries(params);
  const typed = entries.map(([k, v]) => {
    const type = Object.prototype.hasOwnProperty.call(decls, k) ? decls[k]?.type : undefined;
    return [k, type === "number" || type === "integer" ? Number(v) : v] as const;
  });
  return {
    ...Object.fromEntries(entries.map(([k, v]) => [paramEnvName(k), v])),
    [PARAMS_JSON_ENV]: JSON.stringify(Object.fromEntries(typed)),
  };
};

/**
 * The parameters as the help text lists them.
 *
 * @example
 * toParamSpecs({ epochs: { type: "integer", min: 1, max: 100, default: 5 } });
 * // [{ key: "epochs", description: "an integer from 1 to 100", default: "5" }]
 * @internal */
export const toParamSpecs = (decls: ExperimentSpec["params"]): ReadonlyArray<ParamSpec> =>
  Object.entries(decls).map(([key, d]) => ({
    key,
    description: d.description === undefined ? describeParam(d) : `${d.description} (${describeParam(d)})`,
    default: d.default === undefined ? "(required)" : String(d.default),
  }));
