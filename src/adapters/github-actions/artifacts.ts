/**
 * Reads a run's result artifact: finds it, downloads the zip through the API, and extracts the
 * result and log files in memory as data (nothing is written to disk or executed).
 */
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { Octokit } from "@octokit/core";
import { resultInvalid } from "../../core/errors.js";
import type { RunnerError } from "../../core/errors.js";
import type { RunHandle, RunKey } from "../../core/model.js";
import { ArtifactList } from "./codecs.js";
import type { ResolvedActionsConfig } from "./config.js";
import { decode, toRunnerError } from "./shared.js";
import { readZipEntry } from "./zip.js";

/** The result file's bytes and the log lines of a run's artifact, and the artifact's id and name. @internal */
export type Artifacts = {
  readonly result: Buffer;
  readonly log: ReadonlyArray<string>;
  readonly id: number;
  readonly name: string;
};

/**
 * A reader of run artifacts that caches each run's artifact once read.
 *
 * @example
 * const read = createArtifactReader(octokit, config, () => ({ owner: "o", repo: "r" }));
 * const artifacts = await read(handle)();
 * @internal */
export const createArtifactReader = (
  octokit: Pick<Octokit, "request">,
  c: ResolvedActionsConfig,
  repoOf: (runKey: RunKey) => { owner: string; repo: string },
): ((h: RunHandle) => TE.TaskEither<RunnerError, Artifacts>) => {
  const cache = new Map<string, Artifacts>();
  return (h: RunHandle): TE.TaskEither<RunnerError, Artifacts> => {
    const cached = cache.get(h.id);
    if (cached !== undefined) return TE.right(cached);
    const repo = repoOf(h.runKey);
    return pipe(
      TE.tryCatch(
        () =>
          octokit.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts", {
            ...repo,
            run_id: Number(h.id),
            name: c.artifactName,
          }),
        toRunnerError("list artifacts", h.id),
      ),
      TE.flatMap((r) => TE.fromEither(decode(ArtifactList, "artifacts", r.data))),
      TE.flatMap((list) => {
        const a = list.artifacts.find((x) => x.name === c.artifactName && !x.expired);
        if (a === undefined) return TE.left(resultInvalid(`run ${h.id} has no artifact '${c.artifactName}'`));
        if (a.size_in_bytes > c.maxArtifactBytes)
          return TE.left(resultInvalid(`artifact of run ${h.id} is larger than ${c.maxArtifactBytes} bytes`));
        return pipe(
          TE.tryCatch(
            () =>
              octokit.request("GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}", {
                ...repo,
                artifact_id: a.id,
                archive_format: "zip",
              }),
            toRunnerError("download artifact", h.id),
          ),
          TE.map((r) => ({ r, a })),
        );
      }),
      TE.flatMap(({ r, a }) => {
        const data: unknown = r.data;
        const bytes =
          data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : undefined;
        if (bytes === undefined) return TE.left(resultInvalid(`artifact of run ${h.id} is not binary`));
        if (bytes.byteLength > c.maxArtifactBytes)
          return TE.left(resultInvalid(`artifact of run ${h.id} is larger than ${c.maxArtifactBytes} bytes`));
        const result = readZipEntry(bytes, c.resultFile, c.maxResultBytes);
        const log = readZipEntry(bytes, c.logFile, c.maxResultBytes);
        if (E.isLeft(result)) return TE.left(resultInvalid(`artifact of run ${h.id}: ${result.left}`));
        if (result.right === undefined) return TE.left(resultInvalid(`artifact of run ${h.id} has no ${c.resultFile}`));
        const lines =
          E.isRight(log) && log.right !== undefined ? log.right.toString("utf8").replace(/\n$/, "").split(/\r?\n/) : [];
        const got: Artifacts = { result: result.right, log: lines, id: a.id, name: a.name };
        cache.set(h.id, got);
        return TE.right(got);
      }),
    );
  };
};
