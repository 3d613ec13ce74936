/**
 * Good and bad results, shared by the codec test and the schema-agreement test. Each bad one
 * carries the codec's exact one-line error.
 */
import { RESULT_LIMITS as L } from "../../src/core/result.js";

export type GoodCase = { readonly name: string; readonly value: unknown };
export type BadCase = { readonly name: string; readonly value: unknown; readonly error: string };

const item = (term: string, score = 0.5) => ({ term, score });
const many = <A>(n: number, f: (i: number) => A): ReadonlyArray<A> => Array.from({ length: n }, (_, i) => f(i));
const entries = <A>(n: number, f: (i: number) => readonly [string, A]): Record<string, A> =>
  Object.fromEntries(many(n, f));
const NEED_ONE = "(root): a result needs at least one metric or one ranking";

export const GOOD_RESULTS: ReadonlyArray<GoodCase> = [
  { name: "metrics only", value: { metrics: { accuracy: 0.951, loss: 0.12 } } },
  {
    name: "the keyword rankings only",
    value: { rankings: { keywords: { "doc-1": [item("xbrl", 0.41)], "doc-2": [] } } },
  },
  {
    name: "every part, as in the README",
    value: {
      metrics: { accuracy: 0.951, loss: 0.12 },
      rankings: { keywords: { "doc-1": [item("xbrl", 0.41)] } },
      tables: [
        {
          title: "confusion",
          columns: ["", "pos", "neg"],
          rows: [
            ["pos", 50, 2],
            ["neg", 3, 45],
          ],
        },
      ],
      images: [{ title: "ROC", path: "out/roc.png" }],
      notes: "free text, escaped in the report",
    },
  },
  { name: "a ranking with no lists still counts as a ranking", value: { rankings: { keywords: {} } } },
  {
    name: "metric names with . : / - _",
    value: { metrics: { "val/loss": 0.1, "f1.macro": 0.9, "top-1:acc": 0.5, _x: -3e-12 } },
  },
  { name: "exactly maxMetrics metrics", value: { metrics: entries(L.maxMetrics, (i) => [`m${i}`, i]) } },
  {
    name: "exactly maxItemsPerList items",
    value: { rankings: { r: { d: many(L.maxItemsPerList, (i) => item(`t${i}`, -i)) } } },
  },
  {
    name: "a term of maxTextLength code points, each an astral emoji",
    value: { rankings: { r: { d: [item("😀".repeat(L.maxTextLength))] } } },
  },
  {
    name: "table cells: empty strings, null, numbers; an empty table",
    value: {
      metrics: { a: 1 },
      tables: [
        { title: "t", columns: [""], rows: [[null], [""], [0]] },
        { title: "empty", columns: [], rows: [] },
      ],
    },
  },
  {
    name: "notes with Markdown, HTML and new lines",
    value: { metrics: { a: 0 }, notes: "line 1\n<!-- x --> **bold** @alice #1" },
  },
  {
    name: "an image in a sub-folder, dots inside names",
    value: { metrics: { a: 0 }, images: [{ title: "t", path: "./out/plot..v2/roc.png" }] },
  },
];

export const BAD_RESULTS: ReadonlyArray<BadCase> = [
  {
    name: "not an object",
    value: [],
    error: "(root): expected a result object {metrics?, rankings?, tables?, images?, notes?}, got an array of 0",
  },
  {
    name: "null",
    value: null,
    error: "(root): expected a result object {metrics?, rankings?, tables?, images?, notes?}, got null",
  },
  { name: "no part at all", value: {}, error: NEED_ONE },
  { name: "empty metrics and nothing else", value: { metrics: {} }, error: NEED_ONE },
  { name: "notes only", value: { notes: "hello" }, error: NEED_ONE },
  { name: "empty rankings and tables only", value: { rankings: {}, tables: [] }, error: NEED_ONE },
  {
    name: "an unknown top-level field (a typo)",
    value: { metric: { a: 1 } },
    error: "metric: unknown field (known: metrics, rankings, tables, images, notes)",
  },
  {
    name: "a metric that is a string",
    value: { metrics: { accuracy: "x" } },
    error: 'metrics.accuracy: expected a finite number, got "x"',
  },
  // JSON.parse reads 1e999 as Infinity; NaN is not JSON at all, but an in-process runner could hand it over.
  {
    name: "a metric of 1e999 (Infinity)",
    value: { metrics: { loss: Infinity } },
    error: "metrics.loss: expected a finite number, got Infinity",
  },
  {
    name: "a score of -1e999 (-Infinity)",
    value: { rankings: { k: { d: [item("a", -Infinity)] } } },
    error: "rankings.k.d[0].score: expected a finite number, got -Infinity",
  },
  {
    name: "a metric that is null",
    value: { metrics: { accuracy: null } },
    error: "metrics.accuracy: expected a finite number, got null",
  },
  {
    name: "metrics that are null",
    value: { metrics: null },
    error: `metrics: expected an object of at most ${L.maxMetrics} metrics, got null`,
  },
  {
    name: "a metric name with a space",
    value: { metrics: { "my metric": 1 } },
    error:
      'metrics["my metric"]: not a valid name (a letter or _ first, then letters, digits or _ . : / -, at most 64)',
  },
  {
    name: "a metric name that is a number",
    value: { metrics: { "1": 1 } },
    error: 'metrics["1"]: not a valid name (a letter or _ first, then letters, digits or _ . : / -, at most 64)',
  },
  {
    name: "one metric over the cap",
    value: { metrics: entries(L.maxMetrics + 1, (i) => [`m${i}`, i]) },
    error: `metrics: expected at most ${L.maxMetrics} metrics, got ${L.maxMetrics + 1}`,
  },
  {
    name: "a score that is a string, deep in a ranking",
    value: { rankings: { keywords: { "doc 1": [item("a"), { term: "b", score: "high" }] } } },
    error: 'rankings.keywords["doc 1"][1].score: expected a finite number, got "high"',
  },
  {
    name: "a term one code point too long",
    value: { rankings: { keywords: { d: [item("x".repeat(L.maxTextLength + 1))] } } },
    error: `rankings.keywords.d[0].term: expected a string of 1-${L.maxTextLength} characters, got ${L.maxTextLength + 1}`,
  },
  {
    name: "an empty term",
    value: { rankings: { keywords: { d: [item("")] } } },
    error: `rankings.keywords.d[0].term: expected a string of 1-${L.maxTextLength} characters, got 0`,
  },
  {
    name: "a ranked item with an extra field",
    value: { rankings: { k: { d: [{ term: "a", score: 1, rank: 1 }] } } },
    error: "rankings.k.d[0].rank: unknown field (known: term, score)",
  },
  {
    name: "a ranked item without a score",
    value: { rankings: { k: { d: [{ term: "a" }] } } },
    error: "rankings.k.d[0].score: expected a finite number, got nothing",
  },
  {
    name: "a list that is not an array",
    value: { rankings: { k: { d: { term: "a", score: 1 } } } },
    error: `rankings.k.d: expected an array of at most ${L.maxItemsPerList} ranked items, got an object`,
  },
  {
    name: "one item over the cap",
    value: { rankings: { r: { d: many(L.maxItemsPerList + 1, (i) => item(`t${i}`)) } } },
    error: `rankings.r.d: expected at most ${L.maxItemsPerList} ranked items, got ${L.maxItemsPerList + 1}`,
  },
  {
    name: "one list over the cap",
    value: { rankings: { r: entries(L.maxRankedLists + 1, (i) => [`d${i}`, []]) } },
    error: `rankings.r: expected at most ${L.maxRankedLists} ranked lists, got ${L.maxRankedLists + 1}`,
  },
  {
    name: "one ranking over the cap",
    value: { rankings: entries(L.maxRankings + 1, (i) => [`r${i}`, {}]) },
    error: `rankings: expected at most ${L.maxRankings} rankings, got ${L.maxRankings + 1}`,
  },
  {
    name: "a list id one code point too long",
    value: { rankings: { r: { ["d".repeat(L.maxTextLength + 1)]: [] } } },
    error: `rankings.r["${"d".repeat(40)}…"]: not a valid name (1-${L.maxTextLength} characters)`,
  },
  {
    name: "a table cell that is an object",
    value: {
      metrics: { a: 1 },
      tables: [
        {
          title: "t",
          columns: ["a", "b", "c"],
          rows: [
            [1, 2, 3],
            [1, 2, {}],
          ],
        },
      ],
    },
    error: "tables[0].rows[1][2]: expected a string, a finite number or null, got an object",
  },
  {
    name: "a table without a title",
    value: { metrics: { a: 1 }, tables: [{ columns: [], rows: [] }] },
    error: `tables[0].title: expected a string of 1-${L.maxTextLength} characters, got nothing`,
  },
  {
    name: "one column over the cap",
    value: { metrics: { a: 1 }, tables: [{ title: "t", columns: many(L.maxColumns + 1, () => "c"), rows: [] }] },
    error: `tables[0].columns: expected at most ${L.maxColumns} columns, got ${L.maxColumns + 1}`,
  },
  {
    name: "one row over the cap",
    value: { metrics: { a: 1 }, tables: [{ title: "t", columns: ["c"], rows: many(L.maxRows + 1, () => [1]) }] },
    error: `tables[0].rows: expected at most ${L.maxRows} rows, got ${L.maxRows + 1}`,
  },
  {
    name: "an image path that climbs out of the checkout",
    value: { metrics: { a: 1 }, images: [{ title: "t", path: "out/../../etc/passwd" }] },
    error:
      'images[0].path: expected a relative path inside the checkout (no leading /, no .., no backslash), got "out/../../etc/passwd"',
  },
  {
    name: "an absolute image path",
    value: { metrics: { a: 1 }, images: [{ title: "t", path: "/etc/passwd" }] },
    error:
      'images[0].path: expected a relative path inside the checkout (no leading /, no .., no backslash), got "/etc/passwd"',
  },
  {
    name: "a backslash image path",
    value: { metrics: { a: 1 }, images: [{ title: "t", path: "out\\roc.png" }] },
    error:
      'images[0].path: expected a relative path inside the checkout (no leading /, no .., no backslash), got "out\\\\roc.png"',
  },
  {
    name: "notes one code point too long",
    value: { metrics: { a: 1 }, notes: "n".repeat(L.maxNotesLength + 1) },
    error: `notes: expected a string of 0-${L.maxNotesLength} characters, got ${L.maxNotesLength + 1}`,
  },
  {
    name: "notes that are a number",
    value: { metrics: { a: 1 }, notes: 5 },
    error: `notes: expected a string of 0-${L.maxNotesLength} characters, got 5`,
  },
];
