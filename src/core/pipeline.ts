/**
 * The pipeline: comment → approval + label → run at the pinned commit → one report.
 * Pure orchestration over the ports; every failure is a value.
 */
import { createCommentHandler } from "./on-comment.js";
import { createLabelHandler } from "./on-label.js";
import { createPipelineContext, type Pipeline, type PipelinePorts } from "./pipeline-context.js";
import type { PipelineSettings } from "./pipeline-config.js";
import { createRunFollower } from "./run-follower.js";

export type {
  CommentEvent,
  CommentOutcome,
  LabelEvent,
  LabelOutcome,
  Pipeline,
  PipelinePorts,
  PushEvent,
} from "./pipeline-context.js";

/**
 * Wires the ports into a pipeline. Throws only on an invalid `config` (a programmer error).
 *
 * @example
 * const pipeline = createPipeline({ forge, runner, experiments: [tfidf], baseline, approvals, ledger, reporter }, { botActorId: 41 });
 * await pipeline.onComment({ pr, comment: { id: 1, body: "/experiment run", author, createdAt } })();
 */
export const createPipeline = (ports: PipelinePorts, configInput: PipelineSettings): Pipeline => {
  const ctx = createPipelineContext(ports, configInput);
  const follow = createRunFollower({
    ...ports,
    experiments: ports.experiments,
    logger: ctx.logger,
    clock: ctx.clock,
    ...ctx.config,
  });
  const onComment = createCommentHandler(ctx);
  const { onLabel, onPush } = createLabelHandler(ctx, follow);
  return { onComment, onLabel, onPush, follow };
};
