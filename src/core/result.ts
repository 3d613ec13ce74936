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
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as t from "io-ts";
import {
  boundedArray,
  boundedRecord,
  boundedString,
  codePoints,
  fail,
  failWith,
  finiteNumber,
  isObject,
  onlyKnownKeys,
  type Check,
  type JsonPath,
} from "./json-check.js";
import { MAX_RELATIVE_PATH_LENGTH, isRelativePath } from "./relative-path.js";

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

/** Metric and ranking names: a letter or `_`, then letters, digits and `_ . : / -`. @internal */
export const RESULT_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_.:/-]{0,63}$";
const NAME = new RegExp(RESULT_NAME_PATTERN);
const nameKey = {
  test: (k: string) => NAME.test(k),
  describe: `a letter or _ first, then letters, digits or _ . : / -, at most ${RESULT_LIMITS.maxNameLength}`,
};
const idKey = {
  test: (k: string) =>
    k.length > 0 && k.length <= 2 * RESULT_LIMITS.maxTextLength && codePoints(k) <= RESULT_LIMITS.maxTextLength,
  describe: `1-${RESULT_LIMITS.maxTextLength} characters`,
};

/** One ranked item: a term and its score. */
export type RankedItem = { readonly term: string; readonly score: number };
/** A ranking: for each list id (a document), its items, best first. */
export type Ranking = Readonly<Record<string, ReadonlyArray<RankedItem>>>;
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

const strictObject =
  <A>(
    known: ReadonlyArray<string>,
    what: string,
    build: (u: Readonly<Record<string, unknown>>, path: JsonPath) => E.Either<string, A>,
  ): Check<A> =>
  (u, path) => {
    if (!isObject(u)) return fail(path, what, u);
    return pipe(
      onlyKnownKeys(u, known, path),
      E.flatMap(() => build(u, path)),
    );
  };

const rankedItem: Check<RankedItem> = strictObject(["term", "score"], "an object {term, score}", (u, path) =>
  pipe(
    text(u["term"], [...path, "term"]),
    E.flatMap((term) =>
      pipe(
        finiteNumber(u["score"], [...path, "score"]),
        E.map((score) => ({ term, score })),
      ),
    ),
  ),
);

const checkedRanking: Check<Ranking> = boundedRecord(
  L.maxRankedLists,
  idKey,
  boundedArray(L.maxItemsPerList, rankedItem, "ranked items"),
  "ranked lists",
);

const isTerm = (s: string): boolean =>
  s.length >= 1 &&
  (s.length <= L.maxTextLength || (s.length <= 2 * L.maxTextLength && codePoints(s) <= L.maxTextLength));

/** The list decoded as {@link rankedItem} would, when every item is valid; otherwise undefined. */
const quickItems = (u: unknown): ReadonlyArray<RankedItem> | undefined => {
  if (!Array.isArray(u) || u.length > L.maxItemsPerList) return undefined;
  const out: Array<RankedItem> = [];
  for (const x of u as ReadonlyArray<unknown>) {
    if (!isObject(x)) return undefined;
    for (const k in x) if (k !== "term" && k !== "score") return undefined;
    const term = x["term"];
    const score = x["score"];
    if (typeof term !== "string" || !isTerm(term) || typeof score !== "number" || !Number.isFinite(score))
      return undefined;
    out.push({ term, score });
  }
  return out;
};

/** The ranking decoded as {@link checkedRanking} would, when all of it is valid; otherwise undefined. */
const quickRanking = (u: unknown): Ranking | undefined => {
  if (!isObject(u)) return undefined;
  const keys = Object.keys(u);
  if (keys.length > L.maxRankedLists) return undefined;
  const out: Array<readonly [string, ReadonlyArray<RankedItem>]> = [];
  for (const k of keys) {
    const items = idKey.test(k) ? quickItems(u[k]) : undefined;
    if (items === undefined) return undefined;
    out.push([k, items]);
  }
  return Object.fromEntries(out);
};

// A ranking holds about 100,000 items within the byte cap: the checked path (a JSON path and an Either per value)
// takes most of a second on them, so a valid ranking is decoded without it, and anything else
// goes through it for the one-line error naming the path.
const ranking: Check<Ranking> = (u, path) => {
  const quick = quickRanking(u);
  return quick === undefined ? checkedRanking(u, path) : E.right(quick);
};

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
      E.bind("metrics", () => optional(u, "metrics", boundedRecord(L.maxMetrics, nameKey, finiteNumber, "metrics"))),
      E.bind("rankings", () => optional(u, "rankings", boundedRecord(L.maxRankings, nameKey, ranking, "rankings"))),
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
