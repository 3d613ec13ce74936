/**
 * What a report says when an experiment declares `network` or `mounts` (settings of the local
 * runner's sandbox) but runs on a runner that has no such sandbox: CodeBuild, Argo and GitHub
 * Actions run the command in their own build environment, image or job, whose network and
 * files their own configuration decides. The settings are never dropped without a word.
 */
import type { Experiment } from "./ports.js";

/**
 * The note for a run of `experiment` on runner `kind`, or undefined when there is nothing to say.
 *
 * @example
 * sandboxNoteFor({ id: "train", sandbox: { network: true } } as Experiment, "codebuild");
 * // "experiments.train.network applies to the local runner's sandbox only; on codebuild the command runs in the runner's own environment, whose network and files its configuration decides"
 * @internal */
export const sandboxNoteFor = (
  experiment: Pick<Experiment, "id" | "sandbox"> | undefined,
  kind: string,
): string | undefined => {
  if (experiment === undefined || kind === "local") return undefined;
  const fields = [
    ...(experiment.sandbox?.network === undefined ? [] : ["network"]),
    ...((experiment.sandbox?.mounts ?? []).length === 0 ? [] : ["mounts"]),
  ].map((f) => `experiments.${experiment.id}.${f}`);
  if (fields.length === 0) return undefined;
  return `${fields.join(" and ")} ${fields.length === 1 ? "applies" : "apply"} to the local runner's sandbox only; on ${kind} the command runs in the runner's own environment, whose network and files its configuration decides`;
};
