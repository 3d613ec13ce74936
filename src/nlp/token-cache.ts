/**
 * A token cache on disk: one small JSON file per distinct (text, token settings) key, holding the
 * terms of step d. The key is a SHA-256 of the pre-processed text and of everything that changes
 * tokens (see `tokenCacheKey`), so an entry can never be served for other settings. An entry that
 * does not parse, or whose stored key differs, is treated as missing and overwritten.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Where tokens are kept between runs.
 *
 * @example
 * const cache: TokenCache = createFileTokenCache({ dir: "node_modules/.cache/ml-chatops" });
 * cache.get("ab12…"); // undefined, or the terms stored under that key
 */
export type TokenCache = {
  readonly get: (key: string) => ReadonlyArray<string> | undefined;
  readonly set: (key: string, terms: ReadonlyArray<string>) => void;
};

/**
 * The key of one document's tokens: a hash over the text given to the tokenizer and every
 * setting that changes its tokens. `settings` must name the tokenizer and dictionary version.
 *
 * @example
 * tokenCacheKey("python 0 型", { tokenizer: "kuromoji@0.1.2/ipadic", posFilter: DEFAULT_POS_FILTER });
 * @internal */
export const tokenCacheKey = (text: string, settings: Readonly<Record<string, unknown>>): string =>
  createHash("sha256")
    .update(JSON.stringify(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
    .update("\u0000")
    .update(text)
    .digest("hex");

const isTerms = (v: unknown): v is ReadonlyArray<string> => Array.isArray(v) && v.every((x) => typeof x === "string");

/**
 * A `TokenCache` in `dir/tokens/`. Failing to write only costs speed next time, so write errors
 * are swallowed; entries are written to a temporary file and renamed into place, so a reader
 * never sees half an entry from this process.
 *
 * @example
 * const cache = createFileTokenCache({ dir: path.join(root, "node_modules", ".cache", "ml-chatops") });
 */
export const createFileTokenCache = (config: { readonly dir: string }): TokenCache => {
  const root = path.join(config.dir, "tokens");
  const fileOf = (key: string): string => path.join(root, key.slice(0, 2), `${key}.json`);
  return {
    get: (key) => {
      try {
        const entry = JSON.parse(readFileSync(fileOf(key), "utf8")) as { key?: unknown; terms?: unknown };
        return entry.key === key && isTerms(entry.terms) ? entry.terms : undefined;
      } catch {
        return undefined;
      }
    },
    set: (key, terms) => {
      const file = fileOf(key);
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(tmp, JSON.stringify({ key, terms }));
        renameSync(tmp, file);
      } catch {
        // An unwritable cache directory means the next run tokenizes again; nothing is wrong.
      }
    },
  };
};
