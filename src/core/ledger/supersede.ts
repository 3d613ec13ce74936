/**
 * Supersession, kept where every process can read it: the mark in the run ledger, and the run's
 * own report rewritten as superseded. A follower elsewhere (or `collect`) reads the mark from the
 * report, so it outlives the process that made it (SECURITY-CHECKLIST 85).
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { PipelineError } from "../errors.js";
import type { RunHandle } from "../model.js";
import type { Forge, Reporter, RunLedger } from "../ports.js";
import { findReport } from "./report-comment.js";
import { runReport } from "./run-report.js";

/** What {@link supersedeRun} writes to. @internal */
export type SupersedeDeps = {
  readonly forge: Forge;
  readonly ledger: RunLedger;
  readonly reporter: Reporter;
  /** Runs a write whose failure is only logged (the pipeline's `bestEffort`). */
  readonly bestEffort: (what: string, task: TE.TaskEither<PipelineError, unknown>) => TE.TaskEither<never, void>;
};

/**
 * Marks run `h` as superseded `by` a newer commit or run. With `rewriteReport`, the run's report
 * (when the living comment is still that run's) is then republished as cancelled and superseded,
 * from the parameters its state carries, best effort; a report a newer run owns is left alone.
 *
 * @example
 * await supersedeRun(deps)(handle, "new commits (head 89abcde)", { rewriteReport: true })();
 * @internal */
export const supersedeRun =
  (d: SupersedeDeps) =>
  (h: RunHandle, by: string, opts: { readonly rewriteReport: boolean }): TE.TaskEither<PipelineError, void> =>
    pipe(
      d.ledger.markSuperseded(h.id, by),
      TE.flatMap(() =>
        opts.rewriteReport ? d.bestEffort("superseded report", rewrite(d, h, by)) : TE.right(undefined),
      ),
    );

const rewrite = (d: SupersedeDeps, h: RunHandle, by: string): TE.TaskEither<PipelineError, void> =>
  pipe(
    findReport(d.forge, h.runKey),
    TE.map(O.filter((found) => found.state.handle?.id === h.id)),
    TE.flatMap(
      O.match(
        () => TE.right<PipelineError, void>(undefined),
        ({ state: s }) =>
          pipe(
            d.reporter.publish({
              ...runReport(
                h,
                { pr: s.pr, experimentId: s.experimentId, params: s.params },
                { state: "cancelled", detail: `cancelled: superseded by ${by}` },
              ),
              supersededBy: by,
            }),
            TE.map(() => undefined),
          ),
      ),
    ),
  );
