/**
 * Both cores for large corpora: step d over distinct texts in worker threads (tokenize-worker.ts)
 * that all read ONE dictionary, the prepared file's bytes in a SharedArrayBuffer posted to each
 * (the buffer is shared, not copied). Only from `documentsPerWorker` texts per worker on, measured
 * to be where a worker's start-up pays for itself; fewer stay on the calling thread. Output does
 * not depend on the threads: each text's terms go back to its index. Where no worker can start
 * (no worker script beside a bundle, an error in a worker), the run carries on single-threaded
 * after one warning; it never fails for that.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import * as O from "fp-ts/Option";
import type * as T from "fp-ts/Task";
import type { Logger } from "../core/ports.js";
import { loadIpadic, packageRoot, sharedIpadicBuffer } from "./dictionary.js";
import type { TokenizeBatch, TokenizedBatch, TokenizeWorkerData } from "./tokenize-worker.js";
import type { ParallelTerms } from "./tokenize-corpus.js";

/**
 * Texts per worker below which a worker does not pay (`npm run bench -- workers` measures it):
 * a corpus gets min(cores, texts / this) workers, and none when that is under two.
 * @internal */
export const DEFAULT_DOCUMENTS_PER_WORKER = 150;

/**
 * How many workers `texts` texts get: min(cores, ⌊texts / perWorker⌋), or 0 (stay on this
 * thread) when that is under two: one worker alone only adds its start-up.
 *
 * @example
 * workerCountFor(1000, 150, 2); // 2
 * workerCountFor(200, 150, 2); // 0
 * @internal */
export const workerCountFor = (texts: number, perWorker: number, cores: number): number => {
  const n = Math.min(Math.floor(cores), Math.floor(texts / Math.max(1, perWorker)));
  return n >= 2 ? n : 0;
};

/**
 * The worker script: beside this module when it runs from source (src/nlp/*.ts, under tsx),
 * else dist/nlp/tokenize-worker.js of the installed package; undefined when it is not there
 * (this code bundled into another file, such as the GitHub Action's).
 *
 * @example
 * tokenizeWorkerScript(); // "/…/node_modules/ml-chatops/dist/nlp/tokenize-worker.js"
 */
export const tokenizeWorkerScript = (): string | undefined => {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) return path.join(path.dirname(here), "tokenize-worker.ts");
  const root = packageRoot();
  const script = root === undefined ? undefined : path.join(root, "dist", "nlp", "tokenize-worker.js");
  return script !== undefined && existsSync(script) ? script : undefined;
};

/**
 * Where the workers' dictionary comes from and when they start.
 *
 * @example
 * const o: WorkerTokenizingOptions = { dicPath: resolveKuromojiDicPath(), cacheDir: false, logger };
 */
export type WorkerTokenizingOptions = {
  readonly dicPath: string;
  /** As `loadKuromojiTokenizer`'s: where a dictionary not shipped is prepared; false for nowhere. */
  readonly cacheDir?: string | false | undefined;
  readonly documentsPerWorker?: number | undefined;
  /** Default: `os.availableParallelism()`. */
  readonly cores?: number | undefined;
  /** Default: `tokenizeWorkerScript()`. */
  readonly script?: string | undefined;
  /** Told (warn) when workers were due but could not run, and the run went on single-threaded. */
  readonly logger?: Pick<Logger, "warn"> | undefined;
};

/**
 * A `ParallelTerms` over worker threads, and what its last call did.
 *
 * @example
 * const workers = createWorkerTokenizing({ dicPath });
 * await tokenizeCorpus(docs, { ...opts, parallel: workers.run })();
 * workers.lastRun(); // [612, 588]: texts tokenized by each worker; [] when none ran
 */
export type WorkerTokenizing = {
  readonly run: ParallelTerms;
  readonly lastRun: () => ReadonlyArray<number>;
};

type Job = Parameters<ParallelTerms>[1];

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";

// Small batches keep both workers busy to the end; not so small that messages dominate.
const batchSize = (texts: number, workers: number): number =>
  Math.max(1, Math.min(32, Math.ceil(texts / (workers * 16))));

/**
 * Worker threads for `tokenizeCorpus`'s `parallel` (see the top of this file).
 *
 * @example
 * const workers = createWorkerTokenizing({ dicPath: resolveKuromojiDicPath(), cacheDir, logger });
 * const tokens = await tokenizeCorpus(docs, { ...opts, parallel: workers.run })();
 */
export const createWorkerTokenizing = (opts: WorkerTokenizingOptions): WorkerTokenizing => {
  let last: number[] = [];
  const run =
    (texts: ReadonlyArray<string>, job: Job): T.Task<O.Option<ReadonlyArray<ReadonlyArray<string>>>> =>
    async () => {
      last = [];
      const count = workerCountFor(
        texts.length,
        opts.documentsPerWorker ?? DEFAULT_DOCUMENTS_PER_WORKER,
        opts.cores ?? availableParallelism(),
      );
      if (count === 0) return O.none;
      const note = (why: string): O.Option<never> => {
        opts.logger?.warn(`tokenizing on one thread: ${count} worker threads could not run (${why})`);
        last = [];
        return O.none;
      };
      const script = opts.script ?? tokenizeWorkerScript();
      if (script === undefined || !existsSync(script))
        return note(`no worker script ${script ?? "dist/nlp/tokenize-worker.js"}`);
      let dictionary: SharedArrayBuffer;
      try {
        dictionary = sharedIpadicBuffer(
          loadIpadic(opts.dicPath, opts.cacheDir === false ? undefined : opts.cacheDir),
          opts.dicPath,
        );
      } catch (e) {
        return note(`dictionary: ${messageOf(e)}`);
      }
      try {
        const terms = await runWorkers(
          script,
          count,
          texts,
          { dictionary, posFilter: job.posFilter, userDictionary: job.userDictionary },
          job.onProgress,
          (i) => {
            last[i] = (last[i] ?? 0) + 1;
          },
        );
        return O.some(terms);
      } catch (e) {
        return note(messageOf(e));
      }
    };
  return { run, lastRun: () => [...last] };
};

// No flag of this process is passed on (a worker inherits them by default): some stop a worker
// from starting at all, such as `--input-type` of a `node -e` caller. From source (tests,
// `npm run demo`) the worker script is TypeScript: tsx's hooks, which a worker does not inherit,
// are registered in it first (tsx's ESM API; require.resolve names its CJS twin).
const startWorker = (script: string, init: TokenizeWorkerData): Worker => {
  if (!script.endsWith(".ts")) return new Worker(script, { workerData: init, execArgv: [] });
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(pathToFileURL(script).href)}); });`;
  return new Worker(code, { eval: true, workerData: init, execArgv: [] });
};

const runWorkers = (
  script: string,
  count: number,
  texts: ReadonlyArray<string>,
  init: TokenizeWorkerData,
  onProgress: (done: number, total: number) => void,
  onText: (worker: number) => void,
): Promise<ReadonlyArray<ReadonlyArray<string>>> =>
  new Promise((resolve, reject) => {
    const results: Array<ReadonlyArray<string>> = new Array<ReadonlyArray<string>>(texts.length);
    const size = batchSize(texts.length, count);
    let next = 0;
    let done = 0;
    let settled = false;
    const workers: Worker[] = [];
    const stopAll = (): void => {
      for (const w of workers) void w.terminate();
    };
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      stopAll();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    const feed = (w: Worker): void => {
      if (next >= texts.length) return;
      const indexes = Array.from({ length: Math.min(size, texts.length - next) }, (_, k) => next + k);
      next += indexes.length;
      w.postMessage({ indexes, texts: indexes.map((i) => texts[i]!) } satisfies TokenizeBatch);
    };
    try {
      for (let k = 0; k < count; k += 1) {
        const w = startWorker(script, init);
        workers.push(w);
        w.on("message", (answer: TokenizedBatch) => {
          answer.indexes.forEach((i, j) => {
            results[i] = answer.terms[j] ?? [];
            onText(k);
          });
          done += answer.indexes.length;
          onProgress(done, texts.length);
          if (done === texts.length && !settled) {
            settled = true;
            stopAll();
            resolve(results);
          } else feed(w);
        });
        w.on("error", fail);
        w.on("exit", (code) => {
          if (!settled) fail(new Error(`a worker exited with code ${code} before the end`));
        });
        // Every worker gets its first batch at once, so each takes part however fast the others start.
        feed(w);
      }
    } catch (e) {
      fail(e);
    }
  });
