/**
 * Which run is current for a pull request × experiment, asked of the run ledger: the follower
 * of a run uses it to learn, right before publishing, that a newer run owns the living comment.
 */
import type * as E from "fp-ts/Either";
import * as O from "fp-ts/Option";
import * as T from "fp-ts/Task";
import { pipe } from "fp-ts/function";
import type { RunHandle } from "../model.js";
import type { RunLedger } from "../ports.js";

/**
 * A run that replaced `h`, if any: another active run of its key, or a later-started run whose
 * result is already kept (a fast run can finish before `h`'s follower notices its own
 * cancellation). Its report is the living comment now; publishing `h`'s final report over it
 * would hide the newer run, also from other processes that find active runs through it. A
 * ledger that cannot answer counts as no newer run (the follower then publishes).
 *
 * @example
 * const newer = await newerRunThan(ledger)(handle)(); // Some(handle of the newer run) or None
 * @internal */
export const newerRunThan =
  (ledger: RunLedger) =>
  (h: RunHandle): T.Task<O.Option<RunHandle>> => {
    const other = (x: RunHandle) => x.id !== h.id;
    const later = (x: RunHandle) => Date.parse(x.startedAt) > Date.parse(h.startedAt);
    const found = <A>(r: E.Either<unknown, O.Option<A>>): O.Option<A> => (r._tag === "Right" ? r.right : O.none);
    return pipe(
      ledger.active(h.runKey),
      T.map((r) => pipe(found(r), O.filter(other))),
      T.flatMap((active) =>
        O.isSome(active)
          ? T.of(active)
          : pipe(
              ledger.latest(h.runKey),
              T.map((r) =>
                pipe(
                  found(r),
                  O.map((kept) => kept.handle),
                  O.filter((x) => other(x) && later(x)),
                ),
              ),
            ),
      ),
    );
  };
