/**
 * The result from the build's S3 output artifact, for projects configured with `resultArtifact`.
 *
 * Where the object is: CodeBuild reports an S3 artifact's `location` in BatchGetBuilds as
 * `arn:aws:s3:::<bucket>/<key prefix>`. With packaging NONE the prefix is the artifact folder
 * (`<path>/<build id when namespaceType is BUILD_ID>/<name>`), and the build's output files are
 * written under it with their relative paths. So the key read is `<key prefix>/<resultArtifact.path>`
 * (or just the path when the location names the bucket alone). Packaging ZIP is not supported:
 * there the location is the zip object itself, and GetObject of `<zip>/<path>` answers NoSuchKey.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import * as E from "fp-ts/Either";
import * as TE from "fp-ts/TaskEither";
import { pipe } from "fp-ts/function";
import type { RunnerError } from "../../core/errors.js";
import { resultInvalid, runnerUnavailable } from "../../core/errors.js";
import { parseExperimentResult, type ExperimentResult } from "../../core/result.js";
import { fromS3Error } from "./aws-errors.js";

/** Bucket and key prefix of an S3 artifact location. @internal */
export type ArtifactLocation = { readonly bucket: string; readonly prefix: string };

const S3_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/**
 * Parses an artifact `location` as BatchGetBuilds reports it for type S3.
 *
 * @example
 * parseArtifactLocation("arn:aws:s3:::my-bucket/results/ml-chatops:1/out"); // Right({ bucket: "my-bucket", prefix: "results/ml-chatops:1/out" })
 * @internal */
export const parseArtifactLocation = (location: string): E.Either<string, ArtifactLocation> => {
  const m = S3_ARN.exec(location);
  if (m === null || m[1] === undefined)
    return E.left(
      `the build's artifact location ${JSON.stringify(location.slice(0, 200))} is not an S3 ARN (arn:aws:s3:::bucket/prefix)`,
    );
  return E.right({ bucket: m[1], prefix: (m[2] ?? "").replace(/\/+$/, "") });
};

/**
 * The object key of `path` inside the artifact folder.
 *
 * @example
 * artifactKey({ bucket: "b", prefix: "out/ml-chatops:1" }, "ml-chatops-result.json"); // "out/ml-chatops:1/ml-chatops-result.json"
 * @internal */
export const artifactKey = (loc: ArtifactLocation, path: string): string =>
  loc.prefix.length === 0 ? path : `${loc.prefix}/${path}`;

const isAsyncIterable = (u: unknown): u is AsyncIterable<unknown> =>
  typeof u === "object" &&
  u !== null &&
  Symbol.asyncIterator in u &&
  typeof (u as { readonly [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";

const toBytes = (chunk: unknown): Uint8Array | undefined =>
  chunk instanceof Uint8Array ? chunk : typeof chunk === "string" ? Buffer.from(chunk, "utf8") : undefined;

/** Reads a GetObject body, stopping as soon as it passes `maxBytes`. */
const readCapped = async (body: unknown, maxBytes: number): Promise<E.Either<string, Buffer>> => {
  if (!isAsyncIterable(body)) return E.left("the result artifact has no readable body");
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    const bytes = toBytes(chunk);
    if (bytes === undefined) return E.left("the result artifact body is not bytes");
    size += bytes.length;
    if (size > maxBytes) {
      const destroy = (body as { readonly destroy?: unknown }).destroy;
      if (typeof destroy === "function") destroy.call(body);
      return E.left(`the result artifact is larger than ${maxBytes} bytes`);
    }
    parts.push(bytes);
  }
  return E.right(Buffer.concat(parts));
};

/**
 * Reads and decodes the result object: a missing object, bad JSON, a wrong shape or an
 * oversized object is ResultInvalid (a failed run), never a throw.
 *
 * @example
 * readArtifactResult(s3, "arn:aws:s3:::bucket/out", { path: "ml-chatops-result.json", maxBytes: 16 * 1024 * 1024 })();
 * @internal */
export const readArtifactResult = (
  s3: S3Client,
  location: string | undefined,
  artifact: { readonly path: string; readonly maxBytes: number },
): TE.TaskEither<RunnerError, ExperimentResult> => {
  if (location === undefined || location.length === 0) {
    return TE.left(
      resultInvalid(
        "the build reports no artifact location, so no result artifact: give the CodeBuild project S3 artifacts with packaging NONE",
      ),
    );
  }
  const loc = parseArtifactLocation(location);
  if (E.isLeft(loc)) return TE.left(resultInvalid(loc.left));
  const key = artifactKey(loc.right, artifact.path);
  const where = `s3://${loc.right.bucket}/${key}`;
  return pipe(
    TE.tryCatch(
      () => import("@aws-sdk/client-s3"),
      () =>
        runnerUnavailable(
          "codebuild",
          "resultArtifact needs the optional dependency @aws-sdk/client-s3: npm install @aws-sdk/client-s3",
        ),
    ),
    TE.flatMap(({ GetObjectCommand }) =>
      TE.tryCatch(() => s3.send(new GetObjectCommand({ Bucket: loc.right.bucket, Key: key })), fromS3Error(where)),
    ),
    TE.flatMap((out) => {
      if (out.ContentLength !== undefined && out.ContentLength > artifact.maxBytes) {
        const body = out.Body as { readonly destroy?: unknown } | undefined;
        if (typeof body?.destroy === "function") body.destroy.call(body);
        return TE.left(
          resultInvalid(
            `the result artifact ${where} is ${out.ContentLength} bytes, more than the ${artifact.maxBytes} accepted`,
          ),
        );
      }
      return pipe(
        TE.tryCatch(
          () => readCapped(out.Body, artifact.maxBytes),
          (e) => fromS3Error(where)(e),
        ),
        TE.flatMap((r) =>
          TE.fromEither(
            pipe(
              r,
              E.mapLeft((d) => resultInvalid(`${d} (${where})`)),
            ),
          ),
        ),
      );
    }),
    TE.flatMap((bytes) =>
      TE.fromEither(
        pipe(
          parseExperimentResult(bytes.toString("utf8")),
          E.mapLeft((why) => resultInvalid(`the result artifact ${where}: ${why}`)),
        ),
      ),
    ),
  );
};
