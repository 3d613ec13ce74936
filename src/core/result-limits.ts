/**
 * The caps of the result contract (SECURITY-CHECKLIST 81) and the shape of metric and ranking
 * names, in a module of their own so the result's parts can share them.
 */
import { MAX_RELATIVE_PATH_LENGTH } from "./relative-path.js";

/**
 * Caps on every part of a result. `maxBytes` bounds the file a runner reads before decoding.
 *
 * @example
 * RESULT_LIMITS.maxMetrics; // 200
 * @internal */
export const RESULT_LIMITS = {
  /** Size of the result file (or artifact, or S3 object, or output parameter) in bytes. */
  maxBytes: 4 * 1024 * 1024,
  maxMetrics: 200,
  maxRankings: 4,
  /** Ranked lists (documents) per ranking. */
  maxRankedLists: 5_000,
  /** Items (terms) per ranked list. */
  maxItemsPerList: 1_000,
  maxTables: 10,
  maxColumns: 50,
  maxRows: 200,
  maxImages: 20,
  /** Metric and ranking names. */
  maxNameLength: 64,
  /** List ids, terms, titles, column names and cells. */
  maxTextLength: 200,
  maxPathLength: MAX_RELATIVE_PATH_LENGTH,
  maxNotesLength: 10_000,
} as const;

/**
 * Metric and ranking names: a letter or `_`, then letters, digits and `_ . : / -`.
 *
 * @example
 * new RegExp(RESULT_NAME_PATTERN).test("f1@10"); // false: @ is not allowed
 * @internal */
export const RESULT_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_.:/-]{0,63}$";

const NAME = new RegExp(RESULT_NAME_PATTERN);
/**
 * The key rule for metric and ranking names, as `boundedRecord` takes it.
 *
 * @example
 * resultNameKey.test("accuracy"); // true
 * @internal */
export const resultNameKey = {
  test: (k: string) => NAME.test(k),
  describe: `a letter or _ first, then letters, digits or _ . : / -, at most ${RESULT_LIMITS.maxNameLength}`,
};
