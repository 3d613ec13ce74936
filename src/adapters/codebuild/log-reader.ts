/**
 * Reads a build's CloudWatch log stream forward from the head (SECURITY-CHECKLIST 57, 58).
 * An empty page is not the end: the end is a finished build plus a `nextForwardToken` equal to
 * the one sent (or two empty pages in a row). A stream not created yet is retried; after
 * throttling, reading resumes from the same token.
 */
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import * as E from "fp-ts/Either";
import type * as TE from "fp-ts/TaskEither";
import type { RunnerError } from "../../core/errors.js";
import type { Clock, LogPage, Logger } from "../../core/ports.js";
import type { Backoff } from "./backoff.js";
import { backoffDelay } from "./backoff.js";
import { awsFailure, fromAwsError, isThrottling } from "./aws-errors.js";

/** Where reading continues: the last token, empty pages in a row, "stream missing" answers in a row. @internal */
export type LogCursor = { readonly token: string | undefined; readonly emptyStreak: number; readonly misses: number };

/** @internal */
export const START_CURSOR: LogCursor = { token: undefined, emptyStreak: 0, misses: 0 };

/** Pages read at most to reach the end of a finished build's log: a bound, not an expected size. @internal */
export const MAX_LOG_PAGES = 10_000;

/** Encodes a cursor as the opaque string the Runner port passes around. @internal */
export const encodeCursor = (c: LogCursor): string => `cw:${c.emptyStreak}:${c.misses}:${c.token ?? ""}`;

/** Decodes a cursor; anything unrecognised starts from the head. @internal */
export const decodeCursor = (s: string | undefined): LogCursor => {
  const m = s === undefined ? null : /^cw:(\d+):(\d+):(.*)$/s.exec(s);
  if (!m) return START_CURSOR;
  return { emptyStreak: Number(m[1]), misses: Number(m[2]), token: m[3] === "" ? undefined : m[3] };
};

/** One GetLogEvents answer, classified. @internal */
export type PageOutcome =
  | { readonly _tag: "Page"; readonly lines: ReadonlyArray<string>; readonly cursor: LogCursor }
  | { readonly _tag: "Missing"; readonly cursor: LogCursor }
  | { readonly _tag: "Throttled"; readonly cursor: LogCursor };

/** Splits event messages into lines, dropping the trailing newline CodeBuild adds. */
const toLines = (messages: ReadonlyArray<string | undefined>): ReadonlyArray<string> =>
  messages.flatMap((m) => (m ?? "").replace(/\r?\n$/, "").split(/\r?\n/));

/**
 * Reads one page after `cursor`; the cursor counts empty pages in a row (an unchanged token
 * comes with an empty page).
 *
 * @example
 * const r = await readLogPage(logs, "/aws/codebuild/p", "uuid", START_CURSOR);
 * @internal */
export const readLogPage = async (
  client: CloudWatchLogsClient,
  group: string,
  stream: string,
  cursor: LogCursor,
): Promise<E.Either<RunnerError, PageOutcome>> => {
  try {
    const out = await client.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        startFromHead: true,
        ...(cursor.token === undefined ? {} : { nextToken: cursor.token }),
      }),
    );
    const lines = toLines((out.events ?? []).map((e) => e.message));
    // An unchanged token and an empty page both mean "nothing new yet"; only a run of them after
    // the build finished means the end.
    const token = out.nextForwardToken ?? cursor.token;
    const emptyStreak = lines.length === 0 ? cursor.emptyStreak + 1 : 0;
    return E.right({ _tag: "Page", lines, cursor: { token, emptyStreak, misses: 0 } });
  } catch (e) {
    const f = awsFailure(e);
    if (f.name === "ResourceNotFoundException")
      return E.right({ _tag: "Missing", cursor: { ...cursor, misses: cursor.misses + 1 } });
    if (isThrottling(f)) return E.right({ _tag: "Throttled", cursor });
    return E.left(fromAwsError("GetLogEvents")(e));
  }
};

/** What draining a log needs. @internal */
export type DrainDeps = {
  readonly client: CloudWatchLogsClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: () => number;
  readonly poll: Backoff;
  /** "Stream missing" answers in a row after which a finished build's log counts as unavailable. */
  readonly logsMissingRetries: number;
};

/**
 * Reads up to `maxPages` pages after `from`. With one page (build running) it returns what it got
 * and where to go on. With more (build done) it reads to the end: two empty answers in a row,
 * waiting between them, and returns `next: undefined`. Throttling resumes from the same token.
 * A failed read is a Left, never a rejection.
 *
 * @example
 * const page = await drainLog(deps, "/aws/codebuild/p", "uuid", START_CURSOR, 10_000)();
 * @internal */
export const drainLog =
  (
    d: DrainDeps,
    group: string,
    stream: string,
    from: LogCursor,
    maxPages: number,
  ): TE.TaskEither<RunnerError, LogPage> =>
  async () => {
    const lines: string[] = [];
    // Once the build is done, only empty answers seen from now on count towards the end.
    let cursor = maxPages > 1 ? { ...from, emptyStreak: 0 } : from;
    for (let page = 0; page < maxPages; page++) {
      const r = await readLogPage(d.client, group, stream, cursor);
      if (E.isLeft(r)) return r;
      const o = r.right;
      cursor = o.cursor;
      if (o._tag === "Page") {
        lines.push(...o.lines);
        if (maxPages > 1 && o.cursor.emptyStreak >= 2) return E.right({ lines, next: undefined });
        if (o.lines.length === 0 && maxPages > 1) await d.clock.sleep(d.poll.initialMs)();
        continue;
      }
      if (maxPages === 1) break;
      if (o._tag === "Missing" && o.cursor.misses > d.logsMissingRetries) {
        d.logger.warn("CodeBuild log stream never appeared", { group, stream });
        return E.right({ lines, next: undefined });
      }
      await d.clock.sleep(backoffDelay(o._tag === "Missing" ? o.cursor.misses : 1, d.poll, d.random))();
    }
    return E.right({ lines, next: encodeCursor(cursor) });
  };
