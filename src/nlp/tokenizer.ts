/**
 * The IPADIC tokenizer behind a loader: kuromoji's dictionary (prepared once, dictionary.ts)
 * searched by our own linear lattice (lattice.ts) under MeCab's rules where kuromoji's differ
 * (spaces skipped, no sentence cut, MeCab's unknown words; ipadic-tokenizer.ts). kuromoji is only
 * located lazily, so users of the pure parts of `ml-chatops/nlp` do not need it.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as TE from "fp-ts/TaskEither";
import { loadIpadic } from "./dictionary.js";
import { createIpadicTokenizer, MECAB_RULES } from "./ipadic-tokenizer.js";
import { tokenizerUnavailable, type NlpError } from "./errors.js";
import type { Tokenize } from "./morpheme.js";

export type { Morpheme, Tokenize } from "./morpheme.js";

/**
 * A loaded tokenizer. Loading reads a ~30 MB dictionary, so build it once and hold it.
 *
 * @example
 * const tk = await loadKuromojiTokenizer()();
 * if (E.isRight(tk)) tk.right.tokenize("東京に行く");
 */
export type KuromojiTokenizer = {
  /** The dictionary directory it was loaded from. */
  readonly dicPath: string;
  readonly tokenize: Tokenize;
};

// import.meta.url also works in the CJS build: tsup's `shims` rewrites it from __filename.
const localRequire = createRequire(import.meta.url);

/**
 * The IPADIC directory shipped inside the installed kuromoji package, resolved from this module,
 * never from the working directory (kuromoji's own default, `dict/`, is relative to the cwd).
 *
 * @example
 * resolveKuromojiDicPath(); // "/…/node_modules/kuromoji/dict"
 */
export const resolveKuromojiDicPath = (): string =>
  path.join(path.dirname(localRequire.resolve("kuromoji/package.json")), "dict");

/**
 * The default cache directory: `.cache/ml-chatops` in the `node_modules` that holds kuromoji
 * (the usual home of tool caches), resolved from the installed package, never from the cwd.
 *
 * @example
 * defaultDictionaryCacheDir(); // "/…/node_modules/.cache/ml-chatops"
 * @internal */
export const defaultDictionaryCacheDir = (): string =>
  path.join(path.dirname(localRequire.resolve("kuromoji/package.json")), "..", ".cache", "ml-chatops");

/**
 * Loads the IPADIC tokenizer (see dictionary.ts for where the dictionary comes from). Without the
 * prepared file shipped in the package, the dictionary is prepared once into `cacheDir` (default
 * `defaultDictionaryCacheDir()`; `false` for none) and later loads read it from there. The caller
 * keeps the result and reuses it; there is no hidden module-level cache.
 *
 * @example
 * const tokenizer = await loadKuromojiTokenizer()();
 * const uncached = await loadKuromojiTokenizer({ cacheDir: false })();
 */
export const loadKuromojiTokenizer = (
  opts: { readonly dicPath?: string | undefined; readonly cacheDir?: string | false | undefined } = {},
): TE.TaskEither<NlpError, KuromojiTokenizer> => {
  let dicPath = opts.dicPath ?? "(kuromoji package)";
  return TE.tryCatch(
    async () => {
      dicPath = opts.dicPath ?? resolveKuromojiDicPath();
      const cacheDir = opts.cacheDir === false ? undefined : (opts.cacheDir ?? defaultDictionaryCacheDir());
      return { dicPath, tokenize: createIpadicTokenizer(loadIpadic(dicPath, cacheDir).data, undefined, MECAB_RULES) };
    },
    (cause) => tokenizerUnavailable(dicPath, cause),
  );
};
