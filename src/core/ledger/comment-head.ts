/**
 * The head of a living comment: the lines the ledger keeps at the top of the one comment of a
 * pull request × experiment, under its report marker (line 1). Each is a whole line
 * `<!-- ml-chatops:KIND PAYLOAD -->` with a base64url payload, so nothing in it can end the
 * HTML comment. The head ends at the first other line; what follows is the rendered part.
 * Untrusted text is only ever in the rendered part, with its `<!--` escaped, so it can neither
 * forge a head line nor be read as one (SECURITY-CHECKLIST 65).
 *
 * - `state`: what the report shows of its run (handle, status, history), for any process;
 * - `result`: the latest result of the pull request × experiment, for `promote`;
 * - `approvals:v3`: the signed bookkeeping (pending approval, handled edits), see approval-book.ts;
 * - `stale`: the commit whose runs a push superseded before they reported, see stale-mark.ts.
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../errors.js";
import type { RepoPullNumber } from "../model.js";
import type { BotComment, Forge } from "../ports.js";

const KINDS = ["state", "result", "approvals:v3", "stale"] as const;

/** A kind of head line. @internal */
export type HeadKind = (typeof KINDS)[number];

/** The head lines of a body, by kind (the payload after the kind). @internal */
export type CommentHead = { readonly [K in HeadKind]?: string | undefined };

const LINE = /^<!-- ml-chatops:([a-z]+(?::v\d+)?) ([A-Za-z0-9_-]+(?: [A-Za-z0-9_-]+)?) -->$/;

const isKind = (s: string): s is HeadKind => (KINDS as ReadonlyArray<string>).includes(s);

/**
 * The head of `body` when its first line is `marker`; undefined for any other body. A kind seen
 * twice keeps its first line (a later one cannot override it).
 *
 * @example
 * readHead("<!-- ml-chatops:report o/r#1:x -->\n<!-- ml-chatops:result eyJ9 -->\n### x", "<!-- ml-chatops:report o/r#1:x -->");
 * // { result: "eyJ9" }
 * @internal */
export const readHead = (body: string, marker: string): CommentHead | undefined => {
  const lines = body.split(/\r?\n/);
  if (lines[0] !== marker) return undefined;
  const head: Partial<Record<HeadKind, string>> = {};
  for (const line of lines.slice(1)) {
    const m = LINE.exec(line);
    if (m === null) break;
    const [, kind = "", payload = ""] = m;
    if (isKind(kind) && head[kind] === undefined) head[kind] = payload;
  }
  return head;
};

/**
 * The rendered part of a body: what follows its marker and head lines.
 *
 * @example
 * renderedPart("<!-- ml-chatops:report o/r#1:x -->\n<!-- ml-chatops:result eyJ9 -->\n### x"); // "### x"
 * @internal */
export const renderedPart = (body: string): string => {
  const lines = body.split(/\r?\n/);
  let i = 1;
  while (i < lines.length && LINE.test(lines[i] ?? "")) i += 1;
  return lines.slice(i).join("\n");
};

/**
 * The marker line and head lines, in a fixed order, ready to open a body.
 *
 * @example
 * writeHead("<!-- ml-chatops:report o/r#1:x -->", { result: "eyJ9" });
 * // "<!-- ml-chatops:report o/r#1:x -->\n<!-- ml-chatops:result eyJ9 -->"
 * @internal */
export const writeHead = (marker: string, head: CommentHead): string =>
  [
    marker,
    ...KINDS.flatMap((kind) => {
      const payload = head[kind];
      return payload === undefined ? [] : [`<!-- ml-chatops:${kind} ${payload} -->`];
    }),
  ].join("\n");

/**
 * The bot's comment on `pr` whose first line is `marker`, with its last edit time (the signed
 * bookkeeping in its head is checked against it).
 *
 * @example
 * const found = await findLiving(forge, pr, reportMarker(key))(); // Right(Some({ id, body, updatedAt }))
 * @internal */
export const findLiving = (
  forge: Pick<Forge, "listComments">,
  pr: RepoPullNumber,
  marker: string,
): TE.TaskEither<ForgeError, O.Option<BotComment>> =>
  pipe(
    forge.listComments(pr),
    TE.map((cs) => O.fromNullable(cs.find((c) => c.body.split(/\r?\n/, 1)[0] === marker))),
  );
