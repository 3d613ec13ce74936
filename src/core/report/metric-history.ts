/**
 * The primary metric over a pull request's runs, carried from one report to the next in the
 * report's state marker. Anyone who may edit the bot's comment can edit that state, so it is
 * decoded as untrusted input: at most {@link MAX_HISTORY_POINTS} points, run numbers strictly
 * increasing, finite values, short hex commits, bounded names; unknown keys are dropped so nothing
 * rides along into the next report (SECURITY-CHECKLIST 64, 65).
 */
import * as t from "io-ts";
import type { Report } from "../model.js";
import { shorten } from "./escape.js";

/**
 * How many runs a report remembers.
 *
 * @example
 * nextHistory(earlier, report).length <= MAX_HISTORY_POINTS; // true
 * @internal */
export const MAX_HISTORY_POINTS = 20;
const MAX_METRIC_NAME = 64;
const MAX_RUN_ID = 80;
const MAX_RUN_NUMBER = 1_000_000_000;

const cappedString = (name: string, max: number): t.Type<string, string, unknown> =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === "string" && u !== "" && Array.from(u).length <= max,
    (u, c) =>
      typeof u !== "string"
        ? t.failure(u, c, `${name}: not a string`)
        : u === "" || Array.from(u).length > max
          ? t.failure(u, c, `${name}: 1 to ${max} characters`)
          : t.success(u),
    t.identity,
  );

const FiniteNumber = new t.Type<number, number, unknown>(
  "FiniteNumber",
  (u): u is number => typeof u === "number" && Number.isFinite(u),
  (u, c) =>
    typeof u === "number" && Number.isFinite(u) ? t.success(u) : t.failure(u, c, "value: not a finite number"),
  t.identity,
);

const RunNumber = new t.Type<number, number, unknown>(
  "RunNumber",
  (u): u is number => Number.isInteger(u) && (u as number) >= 1 && (u as number) <= MAX_RUN_NUMBER,
  (u, c) =>
    Number.isInteger(u) && (u as number) >= 1 && (u as number) <= MAX_RUN_NUMBER
      ? t.success(u as number)
      : t.failure(u, c, `n: an integer from 1 to ${MAX_RUN_NUMBER}`),
  t.identity,
);

const CommitSha = new t.Type<string, string, unknown>(
  "CommitSha",
  (u): u is string => typeof u === "string" && /^[0-9a-f]{7,40}$/.test(u),
  (u, c) =>
    typeof u === "string" && /^[0-9a-f]{7,40}$/.test(u)
      ? t.success(u)
      : t.failure(u, c, "sha: 7 to 40 lowercase hex digits"),
  t.identity,
);

/**
 * One run of the pull request: its number (1, 2, … within the pull request), commit, the
 * primary metric's name and value, and the run's id when it had one.
 *
 * @example
 * MetricPoint.decode({ n: 3, sha: "0123456789abcdef0123456789abcdef01234567", metric: "accuracy", value: 0.95 }); // Right
 * @internal */
export const MetricPoint = t.intersection([
  t.exact(
    t.type({ n: RunNumber, sha: CommitSha, metric: cappedString("metric", MAX_METRIC_NAME), value: FiniteNumber }),
  ),
  t.exact(t.partial({ run: cappedString("run", MAX_RUN_ID) })),
]);
export type MetricPoint = t.TypeOf<typeof MetricPoint>;

const Points = t.readonlyArray(MetricPoint);

const increasing = (xs: ReadonlyArray<MetricPoint>): boolean =>
  xs.every((p, i) => i === 0 || p.n > (xs[i - 1]?.n ?? 0));

/**
 * The runs a report remembers, oldest first: at most {@link MAX_HISTORY_POINTS}, run numbers
 * strictly increasing (so no two chart categories share a label).
 *
 * @example
 * MetricHistory.decode(new Array(21).fill(point)); // Left: "history: at most 20 runs"
 * @internal */
export const MetricHistory = new t.Type<ReadonlyArray<MetricPoint>, ReadonlyArray<unknown>, unknown>(
  "MetricHistory",
  (u): u is ReadonlyArray<MetricPoint> => Points.is(u) && u.length <= MAX_HISTORY_POINTS && increasing(u),
  (u, c) => {
    if (!Array.isArray(u)) return t.failure(u, c, "history: not an array");
    if (u.length > MAX_HISTORY_POINTS)
      return t.failure(u, c, `history: at most ${MAX_HISTORY_POINTS} runs, got ${u.length}`);
    const decoded = Points.validate(u, c);
    if (decoded._tag === "Left") return decoded;
    return increasing(decoded.right) ? t.success(decoded.right) : t.failure(u, c, "history: run numbers must increase");
  },
  (xs) => xs.map((p) => MetricPoint.encode(p)),
);
export type MetricHistory = t.TypeOf<typeof MetricHistory>;

/**
 * This run's point, when it succeeded with a finite value of the primary metric (without its
 * run number, which {@link nextHistory} assigns).
 *
 * @example
 * currentPoint(report); // { sha: "0123…", metric: "accuracy", value: 0.95, run: "r1" }
 * @internal */
export const currentPoint = (r: Report): Omit<MetricPoint, "n"> | undefined => {
  if (r.status.state !== "succeeded" || r.diff?.primary === undefined) return undefined;
  const m = r.diff.metrics.find((x) => x.name === r.diff?.primary);
  if (m === undefined || m.value === null || !Number.isFinite(m.value)) return undefined;
  const run = r.handle?.id === undefined || r.handle.id === "" ? {} : { run: shorten(r.handle.id, MAX_RUN_ID) };
  return { sha: r.pinnedSha, metric: shorten(m.name, MAX_METRIC_NAME), value: m.value, ...run };
};

/**
 * The history the next report carries: the earlier runs (without this run, when an earlier
 * report of the same run is replaced), then this run's point, the last {@link MAX_HISTORY_POINTS}.
 *
 * @example
 * nextHistory([{ n: 1, sha, metric: "accuracy", value: 0.9 }], report).map((p) => p.n); // [1, 2]
 * @internal */
export const nextHistory = (earlier: ReadonlyArray<MetricPoint>, r: Report): ReadonlyArray<MetricPoint> => {
  const runId = r.handle?.id === undefined ? undefined : shorten(r.handle.id, MAX_RUN_ID);
  const kept = earlier.filter((p) => runId === undefined || p.run !== runId);
  const point = currentPoint(r);
  const last = kept[kept.length - 1]?.n ?? 0;
  const all = point === undefined || last >= MAX_RUN_NUMBER ? kept : [...kept, { n: last + 1, ...point }];
  return all.slice(-MAX_HISTORY_POINTS);
};
