/**
 * The notice of a living comment: one short paragraph above its last report, saying what the bot
 * did since (an approval and the commit it pinned, a promotion, a cancellation), so the bot
 * answers in the one comment instead of a reply. A newer notice replaces it, and the run's next
 * report replaces the whole rendered part.
 */
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../errors.js";
import type { RunKey } from "../model.js";
import type { Forge } from "../ports.js";
import { resignBook, type Bookkeeping } from "./approval-book.js";
import { findLiving, readHead, renderedPart, writeHead } from "./comment-head.js";
import { reportMarker } from "./markers.js";

const BEGIN = "<!-- ml-chatops:notice:begin -->";
const END = "<!-- ml-chatops:notice:end -->";

/**
 * `rendered` with `text` as its notice, any earlier notice dropped. `text` is the bot's own
 * message, with untrusted parts already escaped by whoever wrote it.
 *
 * @example
 * withNotice("### tfidf-keywords: succeeded …", "Promoted …"); // "<!-- ml-chatops:notice:begin -->\nPromoted …\n…"
 * @internal */
export const withNotice = (rendered: string, text: string | undefined): string => {
  const rest = withoutNotice(rendered);
  return text === undefined ? rest : `${BEGIN}\n${text}\n${END}\n\n${rest}`;
};

/** The rendered part without its notice (only ever at its very start). */
const withoutNotice = (rendered: string): string => {
  if (!rendered.startsWith(`${BEGIN}\n`)) return rendered;
  const end = rendered.indexOf(`\n${END}`);
  return end < 0 ? rendered : rendered.slice(end + END.length + 1).replace(/^\n+/, "");
};

/**
 * Shows `text` as the notice of the living comment of `key`, keeping its head (its signed
 * bookkeeping signed anew, or dropped when it does not verify). False when there is no such
 * comment to show it in.
 *
 * @example
 * await noteOn(forge, bookkeeping, key, "Promoted …")(); // Right(true)
 * @internal */
export const noteOn = (
  forge: Pick<Forge, "listComments" | "upsertComment">,
  bookkeeping: Bookkeeping | undefined,
  key: RunKey,
  text: string,
): TE.TaskEither<ForgeError, boolean> => {
  const marker = reportMarker(key);
  return pipe(
    findLiving(forge, key.pr, marker),
    TE.flatMap(
      O.match(
        () => TE.right(false),
        (c) => {
          const head = readHead(c.body, marker) ?? {};
          const approvals = resignBook(bookkeeping, marker, head["approvals:v3"], c.updatedAt);
          const body = `${writeHead(marker, { ...head, "approvals:v3": approvals })}\n${withNotice(renderedPart(c.body), text)}`;
          return pipe(
            forge.upsertComment(key.pr, marker, body),
            TE.map(() => true),
          );
        },
      ),
    ),
  );
};
