// The threshold measurement's child process (workers.ts): tokenizes one corpus with the installed
// package's library, on this thread or in worker threads whatever its size, and prints
// {"documents":[…],"workers":[texts per worker]}. Plain JavaScript, so nothing but the package loads.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [nlpIndex, corpus, mode] = process.argv.slice(2);
const nlp = await import(pathToFileURL(nlpIndex).href);
const docs = nlp.parseCorpus(corpus, readFileSync(corpus, "utf8"));
if (docs._tag === "Left") throw new Error(nlp.describeNlpError(docs.left));
const dicPath = nlp.resolveKuromojiDicPath();
const workers = nlp.createWorkerTokenizing({
  dicPath,
  cacheDir: false,
  documentsPerWorker: 1,
  logger: { warn: (m) => process.stderr.write(`${m}\n`) },
});
const tokens = await nlp.tokenizeCorpus(docs.right, {
  posFilter: nlp.DEFAULT_POS_FILTER,
  tokenizerId: nlp.dictionaryFingerprint(dicPath),
  loadTokenizer: () => async () => {
    const t = await nlp.loadKuromojiTokenizer({ dicPath, cacheDir: false })();
    return t._tag === "Left" ? t : { _tag: "Right", right: t.right.tokenize };
  },
  parallel: mode === "workers" ? workers.run : undefined,
})();
if (tokens._tag === "Left") throw new Error(nlp.describeNlpError(tokens.left));
process.stdout.write(`${JSON.stringify({ documents: tokens.right, workers: workers.lastRun() })}\n`);
