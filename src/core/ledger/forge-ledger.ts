/**
 * A run ledger that survives the process, kept on the pull request itself. In GitHub Actions each
 * event is handled by a new process, so an in-memory ledger would forget the result `promote`
 * needs and the detached run a push must cancel. This one answers from memory first, then from
 * comments the bot wrote: the report (its state marker names a detached run) and one result-data
 * comment per pull request × experiment that holds the latest result.
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import * as t from "io-ts";
import { pipe } from "fp-ts/function";
import { storeConflict, storeUnavailable, type StoreError } from "../errors.js";
import { RunHandle, Sha, runKeyId, type RepoPullNumber, type RunKey } from "../model.js";
import { StoredResultValue } from "../baseline-entry.js";
import type { Forge, RunLedger, StoredResult } from "../ports.js";
import { decodeBase64Url, encodeBase64Url } from "../report/base64url.js";
import { createInProcessRunLedger } from "./memory-layer.js";
import { findReport } from "./report-comment.js";

const StoredResultCodec = t.intersection([
  t.type({ result: StoredResultValue, sha: Sha, handle: RunHandle }),
  t.partial({ params: t.readonly(t.record(t.string, t.string)) }),
]);

// GitHub rejects comment bodies above 65,536 characters.
const MAX_BODY = 65_536;

/** The hidden marker of the result-data comment of one pull request × experiment. @internal */
export const resultDataMarker = (key: RunKey): string =>
  `<!-- ml-chatops:result-data ${runKeyId(key).replace(/[^A-Za-z0-9._/#:~-]/g, "_")} -->`;

const prOf = (key: RunKey): RepoPullNumber => key.pr;

const renderData = (key: RunKey, r: StoredResult): string =>
  [
    resultDataMarker(key),
    `<!-- ml-chatops:data ${encodeBase64Url(JSON.stringify(StoredResultCodec.encode({ result: r.result, sha: r.sha, handle: r.handle, ...(r.params === undefined ? {} : { params: r.params }) })))} -->`,
    "<sub>ml-chatops keeps the latest result of this pull request here, for <code>promote</code>.</sub>",
  ].join("\n");

const parseData = (key: RunKey, body: string): O.Option<StoredResult> => {
  const [first = "", second = ""] = body.split(/\r?\n/, 2);
  const encoded = /^<!-- ml-chatops:data ([A-Za-z0-9_-]+) -->$/.exec(second)?.[1];
  if (first !== resultDataMarker(key) || encoded === undefined) return O.none;
  return pipe(
    decodeBase64Url(encoded),
    O.flatMap((json) => O.tryCatch(() => JSON.parse(json) as unknown)),
    O.flatMap((value) => O.fromEither(StoredResultCodec.decode(value))),
  );
};

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
export const createForgeRunLedger = (forge: Forge): RunLedger => {
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
    supersededBy: (key, runId) =>
      orElseForge(memory.supersededBy(key, runId), () =>
        pipe(
          reportState(key),
          TE.map(O.flatMap((s) => (s.handle?.id === runId ? O.fromNullable(s.supersededBy) : O.none))),
        ),
      ),
    saveLatest: (key, r) => {
      const body = renderData(key, r);
      return pipe(
        memory.saveLatest(key, r),
        TE.flatMap(() =>
          body.length > MAX_BODY
            ? TE.left(
                storeConflict(
                  "result data comment",
                  `the result needs ${body.length} characters, above GitHub's ${MAX_BODY}`,
                ),
              )
            : pipe(
                fromForge(forge.upsertComment(prOf(key), resultDataMarker(key), body)),
                TE.map(() => undefined),
              ),
        ),
      );
    },
    latest: (key) =>
      orElseForge(memory.latest(key), () =>
        pipe(
          fromForge(forge.findComment(prOf(key), resultDataMarker(key))),
          TE.map(O.flatMap((body) => parseData(key, body))),
        ),
      ),
  };
};
