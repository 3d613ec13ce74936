/**
 * Errors are tagged data. Each port has its own union, discriminated on `_tag`; consumers
 * `switch (e._tag)` and get exhaustiveness from the compiler. Nothing is thrown across `core`.
 */

/** Why a code-host call failed. */
export type ForgeError =
  | { readonly _tag: "ForgeUnavailable"; readonly operation: string; readonly cause: unknown }
  | { readonly _tag: "ForgeNotFound"; readonly operation: string; readonly what: string }
  | { readonly _tag: "ForgeForbidden"; readonly operation: string; readonly detail: string }
  | { readonly _tag: "ForgeInvalidResponse"; readonly operation: string; readonly detail: string };

/** Why a runner call failed. */
export type RunnerError =
  | { readonly _tag: "RunnerUnavailable"; readonly runner: string; readonly cause: unknown }
  | { readonly _tag: "RunRejected"; readonly reason: string }
  | { readonly _tag: "RateLimited"; readonly retryAfterMs: number }
  | { readonly _tag: "RunNotFound"; readonly id: string }
  /** The runner answered, but with something we cannot read: a bug or an API change, never "not found". */
  | {
      readonly _tag: "RunnerInvalidResponse";
      readonly runner: string;
      readonly operation: string;
      readonly detail: string;
    }
  | { readonly _tag: "ResultInvalid"; readonly detail: string };

/** Why an experiment could not be prepared or run. */
export type ExperimentError =
  | { readonly _tag: "InvalidParams"; readonly detail: string }
  | { readonly _tag: "ExperimentFailed"; readonly detail: string; readonly cause: unknown };

/** Why a store (baseline, approvals, results, run ledger) call failed. */
export type StoreError =
  | { readonly _tag: "StoreUnavailable"; readonly store: string; readonly cause: unknown }
  | { readonly _tag: "StoreCorrupt"; readonly store: string; readonly detail: string }
  | { readonly _tag: "StoreConflict"; readonly store: string; readonly detail: string };

/** Why the pipeline refused or could not complete an event. */
export type PipelineError =
  | ForgeError
  | RunnerError
  | ExperimentError
  | StoreError
  | { readonly _tag: "DeadlineExceeded"; readonly afterMs: number };

/** @category constructors @example forgeUnavailable("operation", cause) */
export const forgeUnavailable = (operation: string, cause: unknown): ForgeError => ({
  _tag: "ForgeUnavailable",
  operation,
  cause,
});
/** @category constructors @example forgeNotFound("operation", "what") */
export const forgeNotFound = (operation: string, what: string): ForgeError => ({
  _tag: "ForgeNotFound",
  operation,
  what,
});
/** @category constructors @example forgeForbidden("operation", "detail") */
export const forgeForbidden = (operation: string, detail: string): ForgeError => ({
  _tag: "ForgeForbidden",
  operation,
  detail,
});
/** @category constructors @example forgeInvalidResponse("operation", "detail") */
export const forgeInvalidResponse = (operation: string, detail: string): ForgeError => ({
  _tag: "ForgeInvalidResponse",
  operation,
  detail,
});
/** @category constructors @example runnerUnavailable("runner", cause) */
export const runnerUnavailable = (runner: string, cause: unknown): RunnerError => ({
  _tag: "RunnerUnavailable",
  runner,
  cause,
});
/** @category constructors @example runRejected("reason") */
export const runRejected = (reason: string): RunnerError => ({ _tag: "RunRejected", reason });
/** @category constructors @example rateLimited(retryAfterMs) */
export const rateLimited = (retryAfterMs: number): RunnerError => ({ _tag: "RateLimited", retryAfterMs });
/** @category constructors @example runNotFound("id") */
export const runNotFound = (id: string): RunnerError => ({ _tag: "RunNotFound", id });
/** @category constructors @example runnerInvalidResponse("codebuild", "BatchGetBuilds", "detail") */
export const runnerInvalidResponse = (runner: string, operation: string, detail: string): RunnerError => ({
  _tag: "RunnerInvalidResponse",
  runner,
  operation,
  detail,
});
/** @category constructors @example resultInvalid("detail") */
export const resultInvalid = (detail: string): RunnerError => ({ _tag: "ResultInvalid", detail });
/** @category constructors @example invalidParams("detail") */
export const invalidParams = (detail: string): ExperimentError => ({ _tag: "InvalidParams", detail });
/** @category constructors @example experimentFailed("detail", cause) */
export const experimentFailed = (detail: string, cause: unknown): ExperimentError => ({
  _tag: "ExperimentFailed",
  detail,
  cause,
});
/** @category constructors @example storeUnavailable("store", cause) */
export const storeUnavailable = (store: string, cause: unknown): StoreError => ({
  _tag: "StoreUnavailable",
  store,
  cause,
});
/** @category constructors @example storeCorrupt("store", "detail") */
export const storeCorrupt = (store: string, detail: string): StoreError => ({ _tag: "StoreCorrupt", store, detail });
/** @category constructors @example storeConflict("store", "detail") */
export const storeConflict = (store: string, detail: string): StoreError => ({ _tag: "StoreConflict", store, detail });

/**
 * A cause as one readable line, for logs and reports (never the stack).
 *
 * @example
 * describeCause(new Error("socket hang up")); // "Error: socket hang up"
 * @internal */
export const describeCause = (cause: unknown): string => {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`.split("\n")[0] ?? cause.name;
  if (typeof cause === "string") return cause.split("\n")[0] ?? "";
  try {
    return JSON.stringify(cause)?.slice(0, 200) ?? String(cause);
  } catch {
    return String(cause);
  }
};

/**
 * Whether a value is a ForgeError (a store kept on the code host carries one as its cause).
 *
 * @example
 * isForgeError(forgeForbidden("baseline", "no access")); // true
 * @internal */
export const isForgeError = (c: unknown): c is ForgeError =>
  typeof c === "object" &&
  c !== null &&
  ["ForgeUnavailable", "ForgeNotFound", "ForgeForbidden", "ForgeInvalidResponse"].includes(
    String((c as { readonly _tag?: unknown })._tag),
  );

/**
 * One line describing any pipeline error.
 *
 * @example
 * describeError(runRejected("quota exceeded")); // "run rejected: quota exceeded"
 */
export const describeError = (e: PipelineError): string => {
  switch (e._tag) {
    case "ForgeUnavailable":
      return `code host unavailable during ${e.operation}: ${describeCause(e.cause)}`;
    case "ForgeNotFound":
      return `${e.what} not found (${e.operation})`;
    case "ForgeForbidden":
      return `forbidden during ${e.operation}: ${e.detail}`;
    case "ForgeInvalidResponse":
      return `unexpected response during ${e.operation}: ${e.detail}`;
    case "RunnerUnavailable":
      return `runner ${e.runner} unavailable: ${describeCause(e.cause)}`;
    case "RunRejected":
      return `run rejected: ${e.reason}`;
    case "RateLimited":
      return `rate limited; retry after ${e.retryAfterMs} ms`;
    case "RunNotFound":
      return `run ${e.id} not found`;
    case "RunnerInvalidResponse":
      return `unexpected response from ${e.runner} during ${e.operation}: ${e.detail}`;
    case "ResultInvalid":
      return `invalid result: ${e.detail}`;
    case "InvalidParams":
      return `invalid parameters: ${e.detail}`;
    case "ExperimentFailed":
      return `experiment failed: ${e.detail}`;
    case "StoreUnavailable":
      // A store on the code host (baseline file, approval comment) names the host's error itself.
      return isForgeError(e.cause)
        ? `${e.store}: ${describeError(e.cause)}`
        : `${e.store} unavailable: ${describeCause(e.cause)}`;
    case "StoreCorrupt":
      return `${e.store} is corrupt: ${e.detail}`;
    case "StoreConflict":
      return `${e.store} conflict: ${e.detail}`;
    case "DeadlineExceeded":
      return `deadline exceeded after ${e.afterMs} ms`;
  }
};
