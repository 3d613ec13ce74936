/**
 * One decoded GitHub event → the pipeline entry point that handles it. The webhook handler, the
 * Probot app and the Actions commands all route events here, so they cannot drift apart.
 */
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { PipelineError } from "../../core/errors.js";
import type { CommentOutcome, LabelOutcome, Pipeline } from "../../core/pipeline.js";
import type { GitHubEvent } from "./events.js";

/** What the pipeline did with an event, by the event's kind. */
export type DispatchResult =
  | { readonly _tag: "Comment"; readonly commentId: number; readonly outcome: CommentOutcome }
  | { readonly _tag: "Label"; readonly label: string; readonly outcome: LabelOutcome }
  | { readonly _tag: "Push" | "Closed" }
  | { readonly _tag: "Ignored"; readonly reason: string };

/** Options of the label entry point (`on-label --detach`). */
export type DispatchOptions = { readonly detach?: boolean | undefined };

/**
 * Hands the event to the pipeline.
 *
 * @example
 * const r = await dispatchGitHubEvent(pipeline, event)();
 * if (E.isRight(r)) log.info(describeDispatch(r.right));
 * @internal */
export const dispatchGitHubEvent = (
  pipeline: Pipeline,
  e: GitHubEvent,
  opts: DispatchOptions = {},
): TE.TaskEither<PipelineError, DispatchResult> => {
  switch (e._tag) {
    case "Comment":
      return pipe(
        pipeline.onComment(e.event),
        TE.map((outcome): DispatchResult => ({ _tag: "Comment", commentId: e.event.comment.id, outcome })),
      );
    case "Label":
      return pipe(
        pipeline.onLabel(e.event, opts.detach === true ? { detach: true } : undefined),
        TE.map((outcome): DispatchResult => ({ _tag: "Label", label: e.event.label, outcome })),
      );
    case "Push":
    case "Closed":
      return pipe(
        pipeline.onPush(e.event),
        TE.map((): DispatchResult => ({ _tag: e._tag })),
      );
    case "Ignored":
      return TE.right({ _tag: "Ignored", reason: e.reason });
  }
};

const why = (o: CommentOutcome | LabelOutcome): string => ("reason" in o ? ` (${o.reason})` : "");

/**
 * One log line for a dispatch result.
 *
 * @example
 * describeDispatch({ _tag: "Push" }); // "push: pending approval dropped, active run superseded"
 */
export const describeDispatch = (r: DispatchResult): string => {
  switch (r._tag) {
    case "Comment":
      return `comment ${r.commentId}: ${r.outcome._tag}${why(r.outcome)}`;
    case "Label":
      return `label ${r.label}: ${r.outcome._tag}${r.outcome._tag === "Reported" ? ` (run ${r.outcome.report.status.state})` : why(r.outcome)}`;
    case "Push":
    case "Closed":
      return `${r._tag.toLowerCase()}: pending approval dropped, active run superseded`;
    case "Ignored":
      return `ignored: ${r.reason}`;
  }
};
