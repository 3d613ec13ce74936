/**
 * The one reply a comment gets while the repository config is invalid: the maintainer learns why
 * nothing happens, without the bot answering every comment or answering one comment twice.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { ForgeError } from "../../core/errors.js";
import type { CommentEvent } from "../../core/pipeline.js";
import type { Forge } from "../../core/ports.js";

/**
 * True when a line starts with `/`: the trigger word comes from the invalid config, so any slash
 * command counts as addressed to us.
 *
 * @example
 * looksLikeCommand("LGTM"); // false
 * @internal */
export const looksLikeCommand = (body: string): boolean => /^\s*\//m.test(body);

/**
 * Replies once (claimed by the bot's 👀, as the pipeline claims comments) to a comment that looks
 * like a command. Resolves true when it replied.
 *
 * @example
 * await replyConfigInvalid(forge, event, "ml-chatops.yml: unknown field `labl`")();
 * @internal */
export const replyConfigInvalid = (
  forge: Pick<Forge, "react" | "reply">,
  e: CommentEvent,
  detail: string,
): TE.TaskEither<ForgeError, boolean> => {
  if (!looksLikeCommand(e.comment.body)) return TE.right(false);
  const text = `⚠️ ml-chatops cannot act: the repository config is invalid. ${detail.replace(/[`<>@]/g, "")}`;
  return pipe(
    e.edited === true ? TE.right(true) : forge.react(e.pr, e.comment.id, "eyes"),
    TE.flatMap((mine) =>
      mine
        ? pipe(
            forge.reply(e.pr, text),
            TE.map(() => true),
          )
        : TE.right(false),
    ),
  );
};
