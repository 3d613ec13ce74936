/**
 * The latest result of a pull request × experiment, kept in its living comment's head (the
 * `result` line) so `promote` finds it in any process. The final report of a succeeded run that
 * was not superseded writes it; every other report carries the line it found.
 */
import * as O from "fp-ts/Option";
import * as t from "io-ts";
import { pipe } from "fp-ts/function";
import { RunHandle, Sha, type Report } from "../model.js";
import { StoredResultValue } from "../baseline-entry.js";
import type { StoredResult } from "../ports.js";
import { decodeBase64Url, encodeBase64Url } from "../report/base64url.js";

const StoredResultCodec = t.intersection([
  t.type({ result: StoredResultValue, sha: Sha, handle: RunHandle }),
  t.partial({ params: t.readonly(t.record(t.string, t.string)) }),
]);

/**
 * The most a result line may take of the comment: the rendered report keeps at least the rest
 * of the 60,000-character budget under GitHub's 65,536.
 *
 * @internal */
export const MAX_RESULT_LINE = 45_000;

/**
 * The `result` payload of a kept result.
 *
 * @example
 * resultPayload({ result, sha, handle, params }).length; // compare with MAX_RESULT_LINE
 * @internal */
export const resultPayload = (r: StoredResult): string =>
  encodeBase64Url(
    JSON.stringify(
      StoredResultCodec.encode({
        result: r.result,
        sha: r.sha,
        handle: r.handle,
        ...(r.params === undefined ? {} : { params: r.params }),
      }),
    ),
  );

/**
 * The kept result in a `result` payload, decoded as untrusted input.
 *
 * @example
 * readResult(head.result ?? ""); // Some({ result, sha, handle, params }) or None
 * @internal */
export const readResult = (payload: string): O.Option<StoredResult> =>
  pipe(
    decodeBase64Url(payload),
    O.flatMap((json) => O.tryCatch(() => JSON.parse(json) as unknown)),
    O.flatMap((value) => O.fromEither(StoredResultCodec.decode(value))),
  );

/**
 * The result a report keeps for `promote`: the final report of a succeeded run, not superseded.
 *
 * @example
 * keptResult(finalReport); // Some({ result, sha, handle, params })
 * @internal */
export const keptResult = (r: Report): O.Option<StoredResult> =>
  r.status.state === "succeeded" && r.result !== undefined && r.handle !== undefined && r.supersededBy === undefined
    ? O.some({ result: r.result, sha: r.pinnedSha, handle: r.handle, params: r.params })
    : O.none;
