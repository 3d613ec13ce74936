/**
 * The result file an experiment leaves in its checkout, read with a size and time bound and
 * decoded; every way it can be missing or unusable is a failed run with the reason.
 */
import * as E from "fp-ts/Either";
import { RESULT_LIMITS, type ExperimentResult } from "../../core/result.js";
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
