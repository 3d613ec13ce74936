/**
 * The mark a push leaves when it drops a pending approval whose run may already be going but has
 * not written its first report (a short run reports only at its end): every run of the pull
 * request × experiment pinned at the dropped approval's commit is superseded. It rides in the
 * living comment's head (`stale` line) until a new approval of that comment replaces it, so a
 * follower in any process finds it before it keeps or publishes anything (SECURITY-CHECKLIST 85).
 */
import * as O from "fp-ts/Option";
import * as t from "io-ts";
import { pipe } from "fp-ts/function";
import { Sha, type RunHandle } from "../model.js";
import { decodeBase64Url, encodeBase64Url } from "../report/base64url.js";

const StaleMark = t.type({ pinnedSha: Sha, by: t.string });

/** A run pinned at `pinnedSha` is superseded `by` new commits. @internal */
export type StaleMark = t.TypeOf<typeof StaleMark>;

/**
 * The `stale` payload of a mark.
 *
 * @example
 * writeHead(marker, { ...head, stale: stalePayload({ pinnedSha, by: "new commits (head 89abcde)" }) });
 * @internal */
export const stalePayload = (m: StaleMark): string =>
  encodeBase64Url(JSON.stringify(StaleMark.encode({ pinnedSha: m.pinnedSha, by: m.by.slice(0, 200) })));

/**
 * Why run `h` is superseded by the mark in a `stale` payload, if it is.
 *
 * @example
 * staleFor(head.stale, handle); // Some("new commits (head 89abcde)")
 * @internal */
export const staleFor = (payload: string | undefined, h: Pick<RunHandle, "pinnedSha">): O.Option<string> =>
  pipe(
    O.fromNullable(payload),
    O.flatMap(decodeBase64Url),
    O.flatMap((json) => O.tryCatch(() => JSON.parse(json) as unknown)),
    O.flatMap((v) => O.fromEither(StaleMark.decode(v))),
    O.filter((m) => m.pinnedSha === h.pinnedSha),
    O.map((m) => m.by),
  );
