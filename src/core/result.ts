/**
 * The one result contract every experiment hands back, whatever runs it: metrics, rankings,
 * tables, images and notes. Every part is optional, but a result carries at least one metric or
 * one ranking. Everything is bounded ({@link RESULT_LIMITS}) and numbers are finite, because a
 * result is written by pull-request code (SECURITY-CHECKLIST 81). `schema/result.json` says the
 * same as this codec; a test keeps them in agreement.
 *
 * Order: metrics, rankings and the lists of a ranking are kept in the order of the object's own
 * keys. Every step (`JSON.parse`, this codec, the stores, `JSON.stringify`) enumerates keys in
 * that same order, so the report shows lists in the order the experiment wrote them. The one
 * exception is JavaScript's: keys that are array indexes (`"0"`, `"17"`) always come first, in
 * ascending order. Metric and ranking names cannot be such keys (they start with a letter or
 * `_`); list ids can, so an experiment that wants its own order uses ids like `doc-17`.
 *
 * The limits are result-limits.ts; rankings, the one large part, are result-ranking.ts.
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as t from "io-ts";
import {
  boundedArray,
  boundedRecord,
  boundedString,
  fail,
  failWith,
  finiteNumber,
  strictObject,
  type Check,
} from "./json-check.js";
import { isRelativePath } from "./relative-path.js";
import { RESULT_LIMITS, resultNameKey } from "./result-limits.js";
import { ranking, type Ranking } from "./result-ranking.js";

// The limits and the ranking's types are part of the result contract: importers keep reading them here.
export { RESULT_LIMITS, RESULT_NAME_PATTERN } from "./result-limits.js";
export type { RankedItem, Ranking } from "./result-ranking.js";

/** A table cell. */
export type TableCell = string | number | null;
/** A table shown in the report; compared side by side with the baseline's when shapes match. */
export type ResultTable = {
  readonly title: string;
  readonly columns: ReadonlyArray<string>;
  readonly rows: ReadonlyArray<ReadonlyArray<TableCell>>;
};
/** An image the experiment wrote, by path in the checkout. Never uploaded; the report links to the runner's artifacts. */
export type ResultImage = { readonly title: string; readonly path: string };

/** What one run of an experiment produced. */
export type ExperimentResult = {
  readonly metrics?: Readonly<Record<string, number>> | undefined;
  readonly rankings?: Readonly<Record<string, Ranking>> | undefined;
  readonly tables?: ReadonlyArray<ResultTable> | undefined;
  readonly images?: ReadonlyArray<ResultImage> | undefined;
  readonly notes?: string | undefined;
};

const L = RESULT_LIMITS;
const text = boundedString(1, L.maxTextLength);

const cell: Check<TableCell> = (u, path) => {
  if (u === null) return E.right(null);
  if (typeof u === "number") return finiteNumber(u, path);
  if (typeof u === "string") return boundedString(0, L.maxTextLength)(u, path);
  return fail(path, "a string, a finite number or null", u);
};

const table: Check<ResultTable> = strictObject(
  ["title", "columns", "rows"],
  "an object {title, columns, rows}",
  (u, path) =>
    pipe(
      E.Do,
      E.bind("title", () => text(u["title"], [...path, "title"])),
      E.bind("columns", () =>
        boundedArray(L.maxColumns, boundedString(0, L.maxTextLength), "columns")(u["columns"], [...path, "columns"]),
      ),
      E.bind("rows", () =>
        boundedArray(L.maxRows, boundedArray(L.maxColumns, cell, "cells"), "rows")(u["rows"], [...path, "rows"]),
      ),
    ),
);

const imagePath: Check<string> = (u, path) =>
  pipe(
    boundedString(1, L.maxPathLength)(u, path),
    E.flatMap((s) =>
      isRelativePath(s)
        ? E.right(s)
        : failWith(
            path,
            `expected a relative path inside the checkout (no leading /, no .., no backslash), got ${JSON.stringify(s.slice(0, 40))}`,
          ),
    ),
  );

const image: Check<ResultImage> = strictObject(["title", "path"], "an object {title, path}", (u, path) =>
  pipe(
    text(u["title"], [...path, "title"]),
    E.flatMap((title) =>
      pipe(
        imagePath(u["path"], [...path, "path"]),
        E.map((p) => ({ title, path: p })),
      ),
    ),
  ),
);

const PARTS = ["metrics", "rankings", "tables", "images", "notes"] as const;

const optional = <A>(
  u: Readonly<Record<string, unknown>>,
  key: string,
  check: Check<A>,
): E.Either<string, A | undefined> => (u[key] === undefined ? E.right(undefined) : check(u[key], [key]));

const checkResult: Check<ExperimentResult> = strictObject(
  PARTS,
  "a result object {metrics?, rankings?, tables?, images?, notes?}",
  (u) =>
    pipe(
      E.Do,
      E.bind("metrics", () =>
        optional(u, "metrics", boundedRecord(L.maxMetrics, resultNameKey, finiteNumber, "metrics")),
      ),
      E.bind("rankings", () =>
        optional(u, "rankings", boundedRecord(L.maxRankings, resultNameKey, ranking, "rankings")),
      ),
      E.bind("tables", () => optional(u, "tables", boundedArray(L.maxTables, table, "tables"))),
      E.bind("images", () => optional(u, "images", boundedArray(L.maxImages, image, "images"))),
      E.bind("notes", () => optional(u, "notes", boundedString(0, L.maxNotesLength))),
      E.flatMap((r) => {
        const hasMetric = r.metrics !== undefined && Object.keys(r.metrics).length > 0;
        const hasRanking = r.rankings !== undefined && Object.keys(r.rankings).length > 0;
        if (!hasMetric && !hasRanking)
          return failWith<ExperimentResult>([], "a result needs at least one metric or one ranking");
        // Absent parts stay absent (no `undefined` keys), so encode → decode is the identity.
        return E.right(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as ExperimentResult);
      }),
    ),
);

/**
 * The io-ts codec of {@link ExperimentResult}. Its errors carry one message each, naming the
 * JSON path; use {@link decodeExperimentResult} for the one-line form.
 *
 * @example
 * ExperimentResult.is({ metrics: { accuracy: 0.95 } }); // true
 */
export const ExperimentResult = new t.Type<ExperimentResult, ExperimentResult, unknown>(
  "ExperimentResult",
  (u): u is ExperimentResult => E.isRight(checkResult(u, [])),
  (u, c) =>
    pipe(
      checkResult(u, []),
      E.match(
        (message) => t.failure(u, c, message),
        (r) => t.success(r),
      ),
    ),
  t.identity,
);

/**
 * Decodes a parsed JSON value into a result. Left is ONE line naming the JSON path that is wrong.
 *
 * @example
 * decodeExperimentResult({ metrics: { accuracy: "x" } }); // Left('metrics.accuracy: expected a finite number, got "x"')
 * decodeExperimentResult({ metrics: { accuracy: 0.95 } }); // Right({ metrics: { accuracy: 0.95 } })
 */
export const decodeExperimentResult = (json: unknown): E.Either<string, ExperimentResult> => checkResult(json, []);

/**
 * Parses and decodes the text of a result file, refusing more than {@link RESULT_LIMITS}.maxBytes
 * (counted as UTF-8) before parsing. Left is one line.
 *
 * @example
 * parseExperimentResult('{"metrics":{"accuracy":0.95}}'); // Right({ metrics: { accuracy: 0.95 } })
 */
export const parseExperimentResult = (textOfFile: string): E.Either<string, ExperimentResult> => {
  // 3 bytes per UTF-16 unit is the UTF-8 worst case, so short texts skip the exact count.
  const bytes = textOfFile.length * 3 <= L.maxBytes ? textOfFile.length : utf8Length(textOfFile);
  if (bytes > L.maxBytes) return E.left(`the result is ${bytes} bytes; at most ${L.maxBytes} are read`);
  let json: unknown;
  try {
    json = JSON.parse(textOfFile);
  } catch (e) {
    return E.left(`the result is not JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0] ?? ""}`);
  }
  return decodeExperimentResult(json);
};

const utf8Length = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
};
