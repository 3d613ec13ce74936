/**
 * A BaselineStore kept in one JSON file: `{ "<experimentId>": { "result": …, "meta": … } }`.
 * Writes go to a temporary file that is renamed over the old one, so a crash never leaves a
 * half-written baseline.
 */
import { randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import * as E from "fp-ts/Either";
import { pipe } from "fp-ts/function";
import * as O from "fp-ts/Option";
import * as TE from "fp-ts/TaskEither";
import { storeCorrupt, storeUnavailable } from "../../core/errors.js";
import type { StoreError } from "../../core/errors.js";
import { BaselineEntry, BaselineFile, describeDecodeErrors } from "../../core/baseline-entry.js";
import { BaselineMeta } from "../../core/model.js";
import type { BaselineStore } from "../../core/ports.js";

/**
 * Provenance of a stored baseline (the codec of the BaselineMeta model type).
 *
 * @example
 * BaselineMetaCodec.is({ pr: { owner: "o", repo: "r", number: 1 }, sha: "0".repeat(40), promotedBy: { login: "a", id: 1 }, promotedAt: "2026-01-01T00:00:00Z" }); // true
 * @internal */
export const BaselineMetaCodec = BaselineMeta;

// The entry and file codecs are core's: the result contract, and on read also the bare keyword
// result earlier versions wrote (so existing baseline files keep working).
export { BaselineEntry, BaselineFile };

/**
 * Settings of {@link createFileBaselineStore}.
 *
 * @example
 * const config: FileBaselineStoreConfig = { path: "/var/lib/ml-chatops/baseline.json" };
 */
export type FileBaselineStoreConfig = { readonly path: string };

/**
 * Parses the text of a baseline file; the error names the file and the failing field.
 *
 * @example
 * parseBaselineFile('{"train":{"result":{"metrics":{"accuracy":0.95}},"meta":{…}}}', "baseline.json");
 */
export const parseBaselineFile = (text: string, file: string): E.Either<StoreError, BaselineFile> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return E.left(
      storeCorrupt("baseline store", `${file}: not JSON (${cause instanceof Error ? cause.message : String(cause)})`),
    );
  }
  const decoded = BaselineFile.decode(json);
  return E.isRight(decoded)
    ? decoded
    : E.left(storeCorrupt("baseline store", `${file}: ${describeDecodeErrors(decoded.left)}`));
};

/**
 * The text of a baseline file, as this store writes it and {@link parseBaselineFile} reads it:
 * indented JSON ending in a newline (a file meant to be committed and diffed).
 *
 * @example
 * formatBaselineFile({ train: { result: { metrics: { accuracy: 0.95 } }, meta } }); // '{\n  "train": {\n    "result": …'
 */
export const formatBaselineFile = (content: BaselineFile): string =>
  `${JSON.stringify(BaselineFile.encode(content), null, 2)}\n`;

/**
 * Creates a BaselineStore backed by the JSON file at `path`. A missing file means "no baseline
 * yet"; an unreadable or malformed file is `StoreCorrupt` naming the file, and is never overwritten.
 *
 * @example
 * const baseline = createFileBaselineStore({ path: "/var/lib/ml-chatops/baseline.json" });
 * const best = await baseline.load("tfidf-keywords", { owner: "o", repo: "r", number: 1 })();
 */
export const createFileBaselineStore = (config: FileBaselineStoreConfig): BaselineStore => {
  if (typeof config.path !== "string" || config.path.length === 0) {
    throw new Error(
      'createFileBaselineStore: path is required, e.g. createFileBaselineStore({ path: "baseline.json" })',
    );
  }
  const file = config.path;
  // Serialise saves in this process so two promotes never interleave read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();

  const readAll: TE.TaskEither<StoreError, BaselineFile> = pipe(
    TE.tryCatch(
      () =>
        readFile(file, "utf8").catch((e: NodeJS.ErrnoException) =>
          e.code === "ENOENT" ? undefined : Promise.reject(e),
        ),
      (cause) => storeUnavailable("baseline store", cause),
    ),
    TE.flatMap((text) => (text === undefined ? TE.right({}) : TE.fromEither(parseBaselineFile(text, file)))),
  );

  const writeAll = (content: BaselineFile): TE.TaskEither<StoreError, void> =>
    TE.tryCatch(
      async () => {
        const temp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
        try {
          await writeFile(temp, formatBaselineFile(content), "utf8");
          await rename(temp, file);
        } catch (e) {
          await rm(temp, { force: true });
          throw e;
        }
      },
      (cause) => storeUnavailable("baseline store", cause),
    );

  return {
    load: (experimentId) =>
      pipe(
        readAll,
        TE.map((all) =>
          O.fromNullable(Object.prototype.hasOwnProperty.call(all, experimentId) ? all[experimentId] : undefined),
        ),
      ),
    save: (experimentId, result, meta) => () => {
      const next = queue.then(() =>
        pipe(
          readAll,
          TE.flatMap((all) => writeAll({ ...all, [experimentId]: { result, meta } })),
        )(),
      );
      queue = next;
      return next;
    },
  };
};
