/**
 * The result file an experiment leaves in its checkout, read with a size and time bound and
 * decoded; every way it can be missing or unusable is a failed run with the reason.
 */
import * as E from "fp-ts/Either";
import { parseExperimentResult, RESULT_LIMITS, type ExperimentResult } from "../../core/result.js";
import { readBoundedFile } from "./bounded-read.js";
import { decodeResultFile } from "./experiment-invocation.js";

/**
 * How a local run ended, before it is recorded in the run table.
 *
 * @example
 * const ending: Ending = { state: "failed", detail: "experiment exited with code 1" };
 * @internal */
export type Ending = {
  readonly state: "succeeded" | "failed" | "cancelled" | "errored";
  readonly detail: string;
  readonly output?: ExperimentResult;
};

/**
 * Reads and decodes `resultPath` under `checkout` within `timeoutMs`.
 *
 * @example
 * await readResultFile(checkoutDir, "out/result.json", 5_000);
 * // { state: "succeeded", output: { metrics: { f1: 0.9 }, … } } or { state: "failed", detail: "…" }
 * @internal */
export const readResultFile = async (checkout: string, resultPath: string, timeoutMs: number): Promise<Ending> => {
  const read = await readBoundedFile(checkout, resultPath, { maxBytes: RESULT_LIMITS.maxBytes, timeoutMs });
  if (E.isLeft(read)) {
    const missing = read.left === `${resultPath} does not exist`;
    return {
      state: "failed",
      detail: missing
        ? "the experiment exited 0 but wrote no result file"
        : `the result file is unusable: ${read.left}`,
    };
  }
  const decoded = decodeResultFile(new TextDecoder("utf-8").decode(read.right));
  return E.isLeft(decoded) ? { state: "failed", detail: decoded.left } : { state: "succeeded", ...decoded.right };
};

/**
 * Why {@link readExperimentResult} found no result: the file is unusable (missing, a link, a
 * FIFO, over the size cap, too slow), not UTF-8 text, or not a valid result contract.
 */
export type ResultFileError =
  | { readonly _tag: "ResultUnreadable"; readonly detail: string }
  | { readonly _tag: "ResultNotText" }
  | { readonly _tag: "ResultInvalid"; readonly detail: string };

/**
 * Reads the result file an experiment (PR code) wrote, `file` below the trusted directory `dir`,
 * as untrusted data (SECURITY-CHECKLIST 81): never through a link, never blocking on a FIFO, at
 * most the result contract's `maxBytes`, within `timeoutMs`; then strict UTF-8 and the result
 * contract. What a runner's job hands back is exactly this checked value.
 *
 * @example
 * const r = await readExperimentResult(checkoutDir, "out/result.json", { timeoutMs: 10_000 });
 * // Right({ metrics: { accuracy: 0.95 } }) or Left({ _tag: "ResultInvalid", detail: "metrics.accuracy: expected a finite number, got \"x\"" })
 */
export const readExperimentResult = async (
  dir: string,
  file: string,
  opts: { readonly timeoutMs: number },
): Promise<E.Either<ResultFileError, ExperimentResult>> => {
  const bytes = await readBoundedFile(dir, file, { maxBytes: RESULT_LIMITS.maxBytes, timeoutMs: opts.timeoutMs });
  if (E.isLeft(bytes)) return E.left({ _tag: "ResultUnreadable", detail: bytes.left });
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.right);
  } catch {
    return E.left({ _tag: "ResultNotText" });
  }
  return E.mapLeft((detail: string): ResultFileError => ({ _tag: "ResultInvalid", detail }))(
    parseExperimentResult(text),
  );
};
