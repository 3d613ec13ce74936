/**
 * Small checkers for decoding untrusted JSON into bounded values, each failing with ONE line that
 * names the JSON path: `metrics.accuracy: expected a finite number, got "x"`. They never
 * serialise the whole value (PathReporter's `JSON.stringify` overflows on deeply nested hostile
 * input) and they only walk the shapes they expect, so depth is bounded by the shape.
 *
 * @internal
 */
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";

/** @internal A JSON path: object keys and array indexes from the root. */
export type JsonPath = ReadonlyArray<string | number>;

/** @internal A checker: the decoded value, or one line naming the path. */
export type Check<A> = (u: unknown, path: JsonPath) => E.Either<string, A>;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}…` : s);

/**
 * @internal The path as people read it: `rankings.keywords["doc 1"][0].score`; `(root)` for none.
 *
 * @example
 * formatPath(["tables", 0, "rows"]); // "tables[0].rows"
 */
export const formatPath = (path: JsonPath, root = ""): string => {
  let out = root;
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg) && seg.length <= 40) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(cut(seg, 40))}]`;
  }
  return out === "" ? "(root)" : out;
};

/**
 * @internal A short, bounded picture of a value for an error line.
 *
 * @example
 * preview("x"); // "\"x\""
 */
export const preview = (v: unknown): string => {
  if (v === null) return "null";
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return JSON.stringify(cut(v, 40));
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return typeof v;
};

/** @internal `path: expected …, got …` as a Left. */
export const fail = <A>(path: JsonPath, expected: string, got: unknown): E.Either<string, A> =>
  E.left(`${formatPath(path)}: expected ${expected}, got ${preview(got)}`);

/** @internal `path: message` as a Left. */
export const failWith = <A>(path: JsonPath, message: string): E.Either<string, A> =>
  E.left(`${formatPath(path)}: ${message}`);

/**
 * @internal Length in code points, as JSON Schema's `maxLength` counts it (not UTF-16 units).
 *
 * @example
 * codePoints("a😀"); // 2
 */
export const codePoints = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i += 1;
    }
    n += 1;
  }
  return n;
};

/** @internal True for a plain JSON object (not an array, not null). */
export const isObject = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u);

/** @internal A finite number; `1e999` (parsed as Infinity) and NaN are refused. */
export const finiteNumber: Check<number> = (u, path) =>
  typeof u === "number" && Number.isFinite(u) ? E.right(u) : fail(path, "a finite number", u);

/** @internal A string of `min`…`max` code points. */
export const boundedString =
  (min: number, max: number): Check<string> =>
  (u, path) => {
    if (typeof u !== "string") return fail(path, `a string of ${min}-${max} characters`, u);
    // Over 2·max UTF-16 units is over max code points: no need to count a huge string.
    if (u.length > 2 * max)
      return failWith(path, `expected a string of ${min}-${max} characters, got ${u.length} UTF-16 units`);
    const n = codePoints(u);
    if (n < min || n > max) return failWith(path, `expected a string of ${min}-${max} characters, got ${n}`);
    return E.right(u);
  };

/** @internal An array of at most `max` items, each checked. */
export const boundedArray =
  <A>(max: number, item: Check<A>, what = "items"): Check<ReadonlyArray<A>> =>
  (u, path) => {
    if (!Array.isArray(u)) return fail(path, `an array of at most ${max} ${what}`, u);
    if (u.length > max) return failWith(path, `expected at most ${max} ${what}, got ${u.length}`);
    const out: Array<A> = [];
    for (let i = 0; i < u.length; i += 1) {
      const r = item(u[i], [...path, i]);
      if (E.isLeft(r)) return r;
      out.push(r.right);
    }
    return E.right(out);
  };

/**
 * @internal An object with at most `max` entries whose keys pass `key` and values pass `value`,
 * rebuilt in the input's key order (`Object.fromEntries` defines own properties, so a key such
 * as `__proto__` stays a plain key).
 */
export const boundedRecord =
  <A>(
    max: number,
    key: { readonly test: (k: string) => boolean; readonly describe: string },
    value: Check<A>,
    what = "entries",
  ): Check<Readonly<Record<string, A>>> =>
  (u, path) => {
    if (!isObject(u)) return fail(path, `an object of at most ${max} ${what}`, u);
    const keys = Object.keys(u);
    if (keys.length > max) return failWith(path, `expected at most ${max} ${what}, got ${keys.length}`);
    const out: Array<readonly [string, A]> = [];
    for (const k of keys) {
      if (!key.test(k)) return failWith([...path, k], `not a valid name (${key.describe})`);
      const r = value(u[k], [...path, k]);
      if (E.isLeft(r)) return r;
      out.push([k, r.right]);
    }
    return E.right(Object.fromEntries(out));
  };

/**
 * @internal Refuses keys outside `known`, so a typo (`metric` for `metrics`) is an error rather
 * than silently ignored.
 */
export const onlyKnownKeys = (
  u: Readonly<Record<string, unknown>>,
  known: ReadonlyArray<string>,
  path: JsonPath,
): E.Either<string, void> => {
  for (const k of Object.keys(u)) {
    if (!known.includes(k)) return failWith([...path, k], `unknown field (known: ${known.join(", ")})`);
  }
  return E.right(undefined);
};

/**
 * @internal An object with only the `known` keys, then built by `build`; anything else fails as
 * "expected `what`".
 */
export const strictObject =
  <A>(
    known: ReadonlyArray<string>,
    what: string,
    build: (u: Readonly<Record<string, unknown>>, path: JsonPath) => E.Either<string, A>,
  ): Check<A> =>
  (u, path) =>
    isObject(u)
      ? pipe(
          onlyKnownKeys(u, known, path),
          E.flatMap(() => build(u, path)),
        )
      : fail(path, what, u);

/** @internal An optional field: absent or null is undefined, anything else must pass `check`. */
export const optionalField = <A>(
  u: Readonly<Record<string, unknown>>,
  key: string,
  path: JsonPath,
  check: Check<A>,
): E.Either<string, A | undefined> =>
  u[key] === undefined || u[key] === null ? E.right(undefined) : check(u[key], [...path, key]);

/** @internal Drops absent optional fields, so a decoded value has no `undefined` keys. */
export const compact = <A extends object>(o: A): A =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as A;
