/**
 * Detached runs (started with `on-label --detach`), found through their reports: a report whose
 * state says queued or running with a handle. The caller hands in only comments the bot wrote,
 * so nobody else can plant a run to be "collected".
 */
import * as O from "fp-ts/Option";
import * as RA from "fp-ts/ReadonlyArray";
import { pipe } from "fp-ts/function";
import { readReportState, type ReportState } from "./markers.js";

/**
 * A report state whose run is still in flight, with its handle.
 *
 * @example
 * const run: DetachedRun = detachedRunsIn(bodies)[0];
 * run.handle.id; // "…"
 * @internal */
export type DetachedRun = ReportState & { readonly handle: NonNullable<ReportState["handle"]> };

/**
 * The runs still in flight among the bot's own comment bodies of a pull request.
 *
 * @example
 * detachedRunsIn(ownComments.map((c) => c.body)).map((r) => r.handle.id);
 * @internal */
export const detachedRunsIn = (bodies: ReadonlyArray<string>): ReadonlyArray<DetachedRun> =>
  pipe(
    bodies,
    RA.filterMap((body) =>
      pipe(
        readReportState(body),
        O.filter((s) => s.status.state === "queued" || s.status.state === "running"),
        O.flatMap((s) => (s.handle === undefined ? O.none : O.some({ ...s, handle: s.handle }))),
      ),
    ),
  );
