/**
 * Build step (`npm run build`, after tsup): prepares kuromoji's IPADIC once into
 * dist/ipadic.bin, the file the package ships, so an installed copy never inflates the `.gz`
 * dictionary (src/nlp/dictionary.ts). Prints the file's size.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { PREPARED_DICTIONARY_FILE, writePreparedDictionary } from "../src/nlp/dictionary.js";
import { resolveKuromojiDicPath } from "../src/nlp/tokenizer.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const file = path.join(root, "dist", PREPARED_DICTIONARY_FILE);
const bytes = writePreparedDictionary(resolveKuromojiDicPath(), file);
process.stdout.write(`prepared dictionary: ${path.relative(root, file)}, ${(bytes / 2 ** 20).toFixed(1)} MiB\n`);
