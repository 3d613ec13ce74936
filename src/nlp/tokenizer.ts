/**
 * The kuromoji (IPADIC) tokenizer behind a loader. kuromoji is required lazily, so users of the
 * pure parts of `ml-chatops/nlp` do not need it installed.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import * as TE from "fp-ts/TaskEither";
import { buildKuromoji, type KuromojiToken } from "./dictionary.js";
import { tokenizerUnavailable, type NlpError } from "./errors.js";

/**
 * One morpheme as the keyword recipe needs it (a subset of kuromoji's IPADIC features).
 *
 * @example
 * const m: Morpheme = { surface: "話し", pos: "動詞", posDetail1: "自立", basicForm: "話す" };
 */
export type Morpheme = {
  readonly surface: string;
  readonly pos: string;
  readonly posDetail1: string;
  /** `*` when the dictionary has no base form (unknown words). */
  readonly basicForm: string;
};

/**
 * Splits a text into morphemes.
 *
 * @example
 * const whitespace: Tokenize = (text) =>
 *   text.split(/\s+/).filter((w) => w !== "").map((w) => ({ surface: w, pos: "名詞", posDetail1: "一般", basicForm: w }));
 */
export type Tokenize = (text: string) => ReadonlyArray<Morpheme>;

/**
 * A loaded kuromoji tokenizer. Loading costs seconds and ~400 MB, so build it once and hold it.
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

const toMorpheme = (f: KuromojiToken): Morpheme => ({
  surface: f.surface_form,
  pos: f.pos,
  posDetail1: f.pos_detail_1,
  basicForm: f.basic_form,
});

/**
 * The default cache directory: `.cache/ml-chatops` in the `node_modules` that holds kuromoji
 * (the usual home of tool caches), resolved from the installed package, never from the cwd.
 *
 * @example
 * defaultDictionaryCacheDir(); // "/…/node_modules/.cache/ml-chatops"
 */
export const defaultDictionaryCacheDir = (): string =>
  path.join(path.dirname(localRequire.resolve("kuromoji/package.json")), "..", ".cache", "ml-chatops");

/**
 * Loads kuromoji with the IPADIC dictionary (see dictionary.ts for how). The inflated dictionary
 * is kept in `cacheDir` (default `defaultDictionaryCacheDir()`; `false` for none) and later loads
 * read it from there. The caller keeps the result and reuses it; there is no hidden module-level cache.
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
      const tk = buildKuromoji(dicPath, cacheDir);
      return { dicPath, tokenize: (text: string) => tk.tokenize(text).map(toMorpheme) };
    },
    (cause) => tokenizerUnavailable(dicPath, cause),
  );
};
