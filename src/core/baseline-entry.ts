/**
 * How a result is stored (baseline files, the result-data comment): the result contract, and on
 * read also the format of earlier versions, a bare keyword result `{ documents: […] }`, which is
 * converted to `{ rankings: { keywords: … } }`. Writes always use the result contract.
 */
import * as E from "fp-ts/Either";
import * as t from "io-ts";
import { fromKeywordResult } from "./keyword-ranking.js";
import { BaselineMeta, KeywordResult } from "./model.js";
import { ExperimentResult, decodeExperimentResult } from "./result.js";

/**
 * A stored result: the contract, or the legacy keyword shape read as its `keywords` ranking.
 * Decoding errors carry one line naming the JSON path.
 *
 * @example
 * StoredResultValue.decode({ documents: [{ id: "d", keywords: [] }] }); // Right({ rankings: { keywords: { d: [] } } })
 * @internal */
export const StoredResultValue = new t.Type<ExperimentResult, ExperimentResult, unknown>(
  "StoredResultValue",
  ExperimentResult.is,
  (u, c) => {
    const isLegacy = typeof u === "object" && u !== null && !Array.isArray(u) && "documents" in u;
    if (isLegacy) {
      const legacy = KeywordResult.decode(u);
      return E.isRight(legacy)
        ? t.success(fromKeywordResult(legacy.right))
        : t.failure(u, c, "documents: not a keyword result of an earlier version");
    }
    const decoded = decodeExperimentResult(u);
    return E.isRight(decoded) ? t.success(decoded.right) : t.failure(u, c, decoded.left);
  },
  t.identity,
);

/**
 * One experiment's stored baseline: the result and its provenance.
 *
 * @example
 * BaselineEntry.is({ result: { metrics: { a: 1 } }, meta }); // true
 */
export const BaselineEntry = t.type({ result: StoredResultValue, meta: BaselineMeta });
export type BaselineEntry = t.TypeOf<typeof BaselineEntry>;

/**
 * A baseline file: `{ "<experimentId>": { "result": …, "meta": … } }`.
 *
 * @example
 * const file: BaselineFile = { train: { result: { metrics: { accuracy: 0.95 } }, meta } };
 */
export const BaselineFile = t.record(t.string, BaselineEntry);
export type BaselineFile = t.TypeOf<typeof BaselineFile>;

/**
 * io-ts errors as one line: a message our own types gave (it names the JSON path) or the path
 * io-ts saw, never the serialised value.
 *
 * @example
 * describeDecodeErrors(errs); // "train.result: metrics.accuracy: expected a finite number, got \"x\""
 * @internal */
export const describeDecodeErrors = (errs: t.Errors): string => {
  const first = errs[0];
  if (first === undefined) return "invalid";
  const path = first.context
    .filter((c, i) => i > 0 && c.key !== "" && !/^\d+$/.test(c.key))
    .map((c) => c.key)
    .join(".");
  const last = first.context[first.context.length - 1];
  const why = first.message ?? `expected ${last?.type.name ?? "?"}`;
  return path === "" ? why : `${path}: ${why}`;
};
