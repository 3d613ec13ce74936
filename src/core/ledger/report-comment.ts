/**
 * The comment reporter, the ledger's writer of run state: one living comment per pull request ×
 * experiment, found by its hidden marker, with earlier results folded under `<details>`, the
 * primary metric of the pull request's runs carried from one body to the next, the latest result
 * for `promote` (result-line.ts) and the signed bookkeeping of approvals (approval-book.ts), which
 * every write signs anew.
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../errors.js";
import type { Approval, Report, RunKey } from "../model.js";
import type { BotComment, Forge, Reporter } from "../ports.js";
import { resignBook, type Bookkeeping } from "./approval-book.js";
import { findLiving, readHead, writeHead, type CommentHead } from "./comment-head.js";
import {
  extractResults,
  isReportFor,
  readReportState,
  reportMarker,
  statePayload,
  toReportState,
  type ReportState,
} from "./markers.js";
import { keptResult, MAX_RESULT_LINE, resultPayload } from "./result-line.js";
import { DEFAULT_MAX_CHARS, renderReport, type RenderOptions } from "../report/render.js";
import { nextHistory, type MetricPoint } from "../report/metric-history.js";

/**
 * The body of the living comment of a report: the report marker and the head lines (`carried`
 * ones plus the state), then the rendered report, all within the size budget. The state line
 * records this run (its handle, its status, the metric history with this run added), so any
 * process can read it back.
 *
 * @example
 * renderReportComment(report).startsWith(reportMarker(report.runKey)); // true
 * @internal */
export const renderReportComment = (
  report: Report,
  opts?: Omit<RenderOptions, "head"> & { readonly carried?: Omit<CommentHead, "state"> | undefined },
): string =>
  renderReport(report, {
    ...opts,
    head: writeHead(reportMarker(report.runKey), {
      ...opts?.carried,
      state: statePayload(toReportState(report, nextHistory(opts?.history ?? [], report))),
    }),
  });

/**
 * The living comment of a pull request × experiment, with the state it carries (None when there
 * is no such comment by the bot, or its state lines do not read).
 *
 * @example
 * const found = await findReport(forge, key)(); // Right(Some({ body, state })) once a run reported
 * @internal */
export const findReport = (
  forge: Forge,
  key: RunKey,
): TE.TaskEither<ForgeError, O.Option<{ readonly body: string; readonly state: ReportState }>> =>
  pipe(
    forge.findComment(key.pr, reportMarker(key)),
    TE.map(
      O.flatMap((body) =>
        pipe(
          readReportState(body),
          O.map((state) => ({ body, state })),
        ),
      ),
    ),
  );

/**
 * Whether `report` is of the run that approval `a` started (or could not start): the same
 * commit, and the run began after the approval. A newer approval, made while the run was going
 * or for another commit, stays pending.
 */
const consumedBy = (report: Report, a: Approval): boolean =>
  a.pinnedSha === report.pinnedSha &&
  (report.handle === undefined || Date.parse(a.approvedAt) <= Date.parse(report.handle.startedAt));

/**
 * Options of {@link createCommentReporter}.
 *
 * @example
 * const opts: CommentReporterOptions = { maxChars: 65_536, keepHistory: 5 };
 */
export type CommentReporterOptions = {
  /** Size budget of the comment; see {@link renderReport}. Default 60,000. */
  readonly maxChars?: number | undefined;
  /** Earlier results kept under `<details>`, newest first. Default 3, at most 20. */
  readonly keepHistory?: number | undefined;
  /**
   * How approvals kept in the living comments are signed (the approval store's, see
   * `createCommentApprovalStore`): each write signs them anew. Without it they are kept as found.
   */
  readonly bookkeeping?: Bookkeeping | undefined;
};

/**
 * How many earlier results a comment keeps by default.
 *
 * @example
 * createCommentReporter(forge, { keepHistory: DEFAULT_KEEP_HISTORY });
 * @internal */
export const DEFAULT_KEEP_HISTORY = 3;

/**
 * The earlier results the next body should fold: the previous body's current result becomes the
 * newest earlier one, unless it was the same run (a "running" report replaced by its final one).
 */
const previousResults = (body: O.Option<string>, report: Report, keep: number): ReadonlyArray<string> => {
  // Only our own report for this very run key counts; anything else is left alone.
  if (O.isNone(body) || !isReportFor(body.value, report.runKey)) return [];
  const { current, previous } = extractResults(body.value);
  const prevRunId = pipe(
    readReportState(body.value),
    O.flatMap((s) => O.fromNullable(s.handle?.id)),
  );
  const sameRun = O.isSome(prevRunId) && report.handle !== undefined && prevRunId.value === report.handle.id;
  const older = O.isSome(current) && !sameRun ? [current.value, ...previous] : previous;
  return older.slice(0, keep);
};

/**
 * The earlier runs' primary metric, from the previous body's state (decoded as untrusted input
 * there); only our own report for this very run key counts.
 */
const earlierRuns = (body: O.Option<string>, report: Report): ReadonlyArray<MetricPoint> =>
  pipe(
    body,
    O.filter((b) => isReportFor(b, report.runKey)),
    O.flatMap(readReportState),
    O.flatMap((s) => O.fromNullable(s.history)),
    O.getOrElseW(() => []),
  );

/**
 * A {@link Reporter} that upserts the report as a pull-request comment through the forge.
 * The forge must only return and update comments the bot itself wrote (SECURITY-CHECKLIST 65).
 *
 * @example
 * const reporter = createCommentReporter(forge, { keepHistory: 3 });
 * await reporter.publish(report)(); // Right({ id: 42, url: "…" })
 */
export const createCommentReporter = (
  forge: Pick<Forge, "listComments" | "upsertComment">,
  opts?: CommentReporterOptions,
): Reporter => {
  const maxChars = opts?.maxChars ?? DEFAULT_MAX_CHARS;
  const rawKeep = opts?.keepHistory ?? DEFAULT_KEEP_HISTORY;
  const keep = Number.isFinite(rawKeep) ? Math.min(20, Math.max(0, Math.floor(rawKeep))) : DEFAULT_KEEP_HISTORY;
  const bookkeeping = opts?.bookkeeping;
  /** The head lines the new body keeps: the result (this report's when it keeps one) and the approvals. */
  const carried = (report: Report, marker: string, found: O.Option<BotComment>): Omit<CommentHead, "state"> => {
    const head = O.isSome(found) ? (readHead(found.value.body, marker) ?? {}) : {};
    const fresh = pipe(
      keptResult(report),
      O.map(resultPayload),
      O.filter((p) => p.length <= MAX_RESULT_LINE),
    );
    const result = O.isSome(fresh) ? fresh.value : head.result;
    const approvals = O.isNone(found)
      ? undefined
      : resignBook(bookkeeping, marker, head["approvals:v3"], found.value.updatedAt, (book) =>
          book.pending !== null && consumedBy(report, book.pending) ? { ...book, pending: null } : book,
        );
    return {
      ...(result === undefined ? {} : { result }),
      ...(head.stale === undefined ? {} : { stale: head.stale }),
      ...(approvals === undefined ? {} : { "approvals:v3": approvals }),
    };
  };
  return {
    publish: (report) => {
      const marker = reportMarker(report.runKey);
      return pipe(
        findLiving(forge, report.pr, marker),
        TE.map((found) => {
          const body = pipe(
            found,
            O.map((c) => c.body),
          );
          return renderReportComment(report, {
            maxChars,
            previous: previousResults(body, report, keep),
            history: earlierRuns(body, report),
            carried: carried(report, marker, found),
          });
        }),
        TE.flatMap((body) => forge.upsertComment(report.pr, marker, body)),
      );
    },
  };
};
