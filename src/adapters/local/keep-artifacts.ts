/**
 * Keeps a succeeded run's files on this machine when the runner config names a directory
 * (`keepArtifactsIn`): the result as `result.json` and each image the result names, copied out of
 * the checkout before it is removed. The images are PR output, so each is read like the result
 * file (a plain relative path, every step a real directory, a regular file, capped, under the
 * deadline); one that fails is skipped and counted in the note, never followed elsewhere.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as E from "fp-ts/Either";
import type { Artifacts } from "../../core/model.js";
import type { ExperimentResult } from "../../core/result.js";
import { readBoundedFile } from "./bounded-read.js";

/** Largest image kept, in bytes. @internal */
export const MAX_KEPT_IMAGE_BYTES = 16 * 1024 * 1024;

/**
 * Copies the run's result and images into `<dir>/<run id>/` and says where they are.
 *
 * @example
 * await keepRunArtifacts("/srv/ml-chatops/artifacts", "local-3", "/tmp/run/checkout", output, 2000);
 * // { location: "/srv/ml-chatops/artifacts/local-3", note: "result.json and 1 of 1 images kept on the runner's machine" }
 * @internal */
export const keepRunArtifacts = async (
  dir: string,
  runId: string,
  checkout: string,
  output: ExperimentResult,
  timeoutMs: number,
): Promise<Artifacts> => {
  const target = join(dir, runId.replace(/[^A-Za-z0-9._-]/g, "_"));
  await mkdir(join(target, "images"), { recursive: true, mode: 0o700 });
  await writeFile(join(target, "result.json"), JSON.stringify(output));
  const images = output.images ?? [];
  let kept = 0;
  for (const image of images) {
    const read = await readBoundedFile(checkout, image.path, { maxBytes: MAX_KEPT_IMAGE_BYTES, timeoutMs });
    if (E.isLeft(read)) continue;
    const to = join(target, "images", image.path);
    await mkdir(dirname(to), { recursive: true, mode: 0o700 });
    await writeFile(to, read.right);
    kept += 1;
  }
  const skipped = images.length - kept;
  const note = `result.json and ${kept} of ${images.length} images kept on the runner's machine${skipped > 0 ? ` (${skipped} not a readable regular file under ${MAX_KEPT_IMAGE_BYTES} bytes)` : ""}`;
  return { location: target, note };
};
