/**
 * A run ledger that survives the process, kept on the pull request itself. In GitHub Actions each
 * event is handled by a new process, so an in-memory ledger would forget the result `promote`
 * needs and the detached run a push must cancel. This one answers from memory first, then from
 * the living comment of the pull request × experiment: its state line names a detached run and
 * its result line holds the latest result, which the final report writes (result-line.ts).
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { storeConflict, storeUnavailable, type StoreError } from "../errors.js";
import type { RunKey } from "../model.js";
import type { Forge, RunLedger } from "../ports.js";
import { readHead } from "./comment-head.js";
import { readReportState, reportMarker } from "./markers.js";
import { staleFor } from "./stale-mark.js";
import type { Bookkeeping } from "./approval-book.js";
import { noteOn } from "./notice.js";
import { createInProcessRunLedger } from "./memory-layer.js";
import { findReport } from "./report-comment.js";
import { MAX_RESULT_LINE, readResult, resultPayload } from "./result-line.js";

const fromForge = <A>(task: TE.TaskEither<unknown, A>): TE.TaskEither<StoreError, A> =>
  pipe(
    task,
    TE.mapError((e) => storeUnavailable("run ledger on the pull request", e)),
  );

/**
 * Creates a ledger backed by the bot's own comments on the pull request, with an in-memory
 * layer for what one process already knows.
 *
 * @example
 * const ledger = createForgeRunLedger(forge);
 * await ledger.latest(toRunKey(pr, "tfidf-keywords"))(); // Some(result) after a finished run, in any process
 */
export const createForgeRunLedger = (
  forge: Forge,
  opts?: {
    /** How the approvals kept in the living comments are signed (see `createCommentReporter`). */
    readonly bookkeeping?: Bookkeeping | undefined;
  },
): RunLedger => {
  const memory = createInProcessRunLedger();
  const orElseForge = <A>(
    first: TE.TaskEither<StoreError, O.Option<A>>,
    second: () => TE.TaskEither<StoreError, O.Option<A>>,
  ) =>
    pipe(
      first,
      TE.flatMap((found) => (O.isSome(found) ? TE.right(found) : second())),
    );
  const reportState = (key: RunKey) => pipe(fromForge(findReport(forge, key)), TE.map(O.map((found) => found.state)));
  return {
    ...memory,
    // A run's report carries its handle while the run is queued or running. The comment is read
    // first: another process may have started a newer run since this one recorded its own.
    active: (key) =>
      pipe(
        reportState(key),
        TE.map(O.filter((s) => s.status.state === "queued" || s.status.state === "running")),
        TE.map(O.flatMap((s) => O.fromNullable(s.handle))),
        TE.flatMap((found) => (O.isSome(found) ? TE.right(found) : memory.active(key))),
      ),
    // A push handled in another process records the supersession in the run's report.
    // So does a push that dropped the approval of a run that had not reported yet (stale-mark.ts).
    supersededBy: (h) =>
      orElseForge(memory.supersededBy(h), () =>
        pipe(
          fromForge(forge.findComment(h.runKey.pr, reportMarker(h.runKey))),
          TE.map(
            O.flatMap((body) =>
              pipe(
                readReportState(body),
                O.flatMap((s) => (s.handle?.id === h.id ? O.fromNullable(s.supersededBy) : O.none)),
                O.alt(() => staleFor(readHead(body, reportMarker(h.runKey))?.stale, h)),
              ),
            ),
          ),
        ),
      ),
    // The final report writes the result line (one write for both); a result too large for it
    // is refused here, so the follower says promote will not find it.
    saveLatest: (key, r) =>
      pipe(
        memory.saveLatest(key, r),
        TE.flatMap(() => {
          const size = resultPayload(r).length;
          return size > MAX_RESULT_LINE
            ? TE.left(
                storeConflict(
                  "result line of the living comment",
                  `the result needs ${size} characters, above the ${MAX_RESULT_LINE} it may take`,
                ),
              )
            : TE.right(undefined);
        }),
      ),
    note: (key, text) => fromForge(noteOn(forge, opts?.bookkeeping, key, text)),
    latest: (key) =>
      orElseForge(memory.latest(key), () =>
        pipe(
          fromForge(forge.findComment(key.pr, reportMarker(key))),
          TE.map(O.flatMap((body) => O.fromNullable(readHead(body, reportMarker(key))?.result))),
          TE.map(O.flatMap(readResult)),
        ),
      ),
  };
};
