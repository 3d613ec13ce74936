/**
 * The guard on `promote`: a result whose primary metric is worse than the current best's is not
 * promoted, unless the promoter says `force=true`; the baseline then records that it was forced.
 */
import * as E from "fp-ts/Either";
import { diffMetric } from "./diff-result.js";
import type { MetricGoal } from "./experiment-spec.js";
import type { MetricDiff } from "./model.js";
import type { ExperimentResult } from "./result.js";

/** What the guard decided: go, and whether only `force=true` let it through. @internal */
export type PromotionVerdict = { readonly forced: boolean; readonly overridden?: string | undefined };

/**
 * A number for people: up to 6 significant digits, exponent form for very small or large.
 *
 * @example
 * formatMetric(0.95191234); // "0.951912"
 * @internal */
export const formatMetric = (n: number): string => {
  const abs = Math.abs(n);
  return abs !== 0 && (abs < 1e-4 || abs >= 1e9) ? n.toExponential(3) : String(Number(n.toPrecision(6)));
};

/** The guard's reason in words: "accuracy is 0.95, worse than the current best 0.9519 by 0.0019 (−0.20%)". @internal */
export const describeWorse = (m: MetricDiff): string => {
  if (m.value === null) return `this result has no ${m.name}; the current best has ${formatMetric(m.baseline ?? 0)}`;
  const by = m.delta === null ? "" : ` by ${formatMetric(Math.abs(m.delta))}`;
  const pct =
    m.relativeDelta === null
      ? ""
      : ` (${m.relativeDelta < 0 ? "−" : "+"}${Math.abs(m.relativeDelta * 100).toFixed(2)}%)`;
  return `${m.name} is ${formatMetric(m.value)}, worse than the current best ${formatMetric(m.baseline ?? 0)}${by}${pct}`;
};

/**
 * Decides a promotion. Left (the refusal in words) when the primary metric is worse than the
 * current best's, or missing while the current best has it, and `force` is false.
 *
 * @example
 * checkPromotion({ metrics: { accuracy: 0.95 } }, { metrics: { accuracy: 0.9519 } }, "accuracy", { accuracy: { goal: "max", threshold: 0 } }, false);
 * // Left("accuracy is 0.95, worse than the current best 0.9519 by 0.0019 (−0.20%)")
 * @internal */
export const checkPromotion = (
  candidate: ExperimentResult,
  current: ExperimentResult | undefined,
  primary: string | undefined,
  goals: Readonly<Record<string, MetricGoal>>,
  force: boolean,
): E.Either<string, PromotionVerdict> => {
  if (primary === undefined || current === undefined) return E.right({ forced: false });
  const own = (r: ExperimentResult): number | null =>
    r.metrics !== undefined && Object.prototype.hasOwnProperty.call(r.metrics, primary)
      ? (r.metrics[primary] ?? null)
      : null;
  const base = own(current);
  if (base === null) return E.right({ forced: false });
  const m = diffMetric(primary, own(candidate), base, goals[primary]);
  if (m.verdict !== "worse" && m.verdict !== "missing") return E.right({ forced: false });
  const why = describeWorse(m);
  return force ? E.right({ forced: true, overridden: why }) : E.left(why);
};
