/**
 * Codecs for the parts of GitHub responses we use, and a helper that turns a decode failure
 * into a ForgeInvalidResponse naming the path.
 */
import * as t from "io-ts";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import { forgeInvalidResponse, type ForgeError } from "../../core/errors.js";

/** @internal */
export const GitHubUser = t.type({ login: t.string, id: t.number });
export type GitHubUser = t.TypeOf<typeof GitHubUser>;

/** @internal */
export const GitHubComment = t.type({
  id: t.number,
  body: t.union([t.string, t.undefined]),
  user: t.union([GitHubUser, t.null]),
  html_url: t.string,
  updated_at: t.string,
  // The App that wrote it, stamped by GitHub; null for a comment written as a person (or a PAT).
  performed_via_github_app: t.union([t.type({ id: t.number }), t.null, t.undefined]),
});
export type GitHubComment = t.TypeOf<typeof GitHubComment>;

/** @internal */
export const GitHubPull = t.type({
  number: t.number,
  state: t.keyof({ open: null, closed: null }),
  merged: t.union([t.boolean, t.undefined]),
  merged_at: t.union([t.string, t.null]),
  draft: t.union([t.boolean, t.undefined]),
  head: t.type({
    ref: t.string,
    sha: t.string,
    // null when the fork was deleted
    repo: t.union([t.type({ full_name: t.string, name: t.string, owner: t.type({ login: t.string }) }), t.null]),
  }),
});
export type GitHubPull = t.TypeOf<typeof GitHubPull>;

interface IsoDateTimeBrand {
  readonly IsoDateTime: unique symbol;
}
/**
 * An RFC 3339 date-time with a zone, as GitHub writes timestamps.
 *
 * @example
 * IsoDateTime.is("2026-01-26T19:06:43Z"); // true; "yesterday" is not
 * @internal */
export const IsoDateTime = t.brand(
  t.string,
  (s): s is t.Branded<string, IsoDateTimeBrand> =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  "IsoDateTime",
);
export type IsoDateTime = t.TypeOf<typeof IsoDateTime>;

/**
 * One entry of "List repository activities": a ref moved to `after` at `timestamp`.
 *
 * @example
 * decodeAs(t.readonlyArray(GitHubActivity), "headPushedAt")(response.data);
 * @internal */
export const GitHubActivity = t.type({ ref: t.string, after: t.string, timestamp: IsoDateTime });
export type GitHubActivity = t.TypeOf<typeof GitHubActivity>;

/** @internal */
export const GitHubPermission = t.type({
  permission: t.string,
  role_name: t.string,
  // Whose permission this is: the login in the URL resolves to whoever holds it now.
  user: t.union([t.type({ id: t.number, login: t.string }), t.null]),
});
export type GitHubPermission = t.TypeOf<typeof GitHubPermission>;

const preview = (v: unknown): string => {
  if (v === null) return "null";
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
};

/**
 * io-ts errors as `path: expected T, got V`, without serialising the value (PathReporter's
 * JSON.stringify overflows the stack on deeply nested hostile input).
 *
 * @example
 * reportErrors(errs); // "comment.id: expected number, got \"nine\""
 * @internal */
export const reportErrors = (errs: t.Errors, max = 3): string =>
  errs
    .slice(0, max)
    .map((e) => {
      const path = e.context
        .filter((_c, i) => {
          const parent = (e.context[i - 1]?.type as { readonly _tag?: string } | undefined)?._tag;
          return i > 0 && parent !== "IntersectionType" && parent !== "UnionType";
        })
        .map((c) => c.key)
        .join(".");
      return `${path === "" ? "(root)" : path}: expected ${e.context[e.context.length - 1]?.type.name ?? "?"}, got ${preview(e.value)}`;
    })
    .join("; ");

/** Decodes `value` or fails with the io-ts path of the first problems. @internal */
export const decodeAs =
  <A, O>(codec: t.Type<A, O, unknown>, operation: string) =>
  (value: unknown): TE.TaskEither<ForgeError, A> =>
    pipe(
      codec.decode(value),
      E.mapLeft((errs) => forgeInvalidResponse(operation, reportErrors(errs))),
      TE.fromEither,
    );
