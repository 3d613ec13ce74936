/**
 * The worker thread of tokenize-workers.ts: decodes the dictionary from the shared buffer it is
 * given (views, no copy), then turns each batch of pre-processed texts it receives into step d's
 * terms, exactly as the single-threaded path does (`tokenizeDocument` + `posFilteredTerms`).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { PosRule } from "./filter.js";
import { decodeIpadic } from "./ipadic-file.js";
import { createIpadicTokenizer, MECAB_RULES } from "./ipadic-tokenizer.js";
import { posFilteredTerms } from "./pos-terms.js";
import { tokenizeDocument } from "./segment.js";
import type { UserDictionary } from "./user-terms.js";

/** What a worker is started with (`workerData`). @internal */
export type TokenizeWorkerData = {
  readonly dictionary: SharedArrayBuffer;
  readonly posFilter: ReadonlyArray<PosRule>;
  readonly userDictionary: UserDictionary | undefined;
};

/** One batch: texts with their indexes in the job. @internal */
export type TokenizeBatch = { readonly indexes: ReadonlyArray<number>; readonly texts: ReadonlyArray<string> };

/** A batch's answer: the terms of each text, in the batch's order. @internal */
export type TokenizedBatch = {
  readonly indexes: ReadonlyArray<number>;
  readonly terms: ReadonlyArray<ReadonlyArray<string>>;
};

const start = (port: NonNullable<typeof parentPort>, init: TokenizeWorkerData): void => {
  const data = decodeIpadic(new Uint8Array(init.dictionary));
  if (data === undefined) throw new Error("tokenize worker: the shared dictionary is not a prepared file");
  const tokenize = createIpadicTokenizer(data, undefined, MECAB_RULES);
  port.on("message", (batch: TokenizeBatch) => {
    const terms = batch.texts.map((text) =>
      posFilteredTerms(tokenizeDocument(text, tokenize, init.posFilter, init.userDictionary), init.posFilter),
    );
    port.postMessage({ indexes: batch.indexes, terms } satisfies TokenizedBatch);
  });
};

if (parentPort !== null) start(parentPort, workerData as TokenizeWorkerData);
