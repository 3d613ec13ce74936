/**
 * Node's `parseArgs` with a refusal as a value: an unknown flag or a missing value becomes a Left
 * holding Node's message, so each sub-command adds where to look and its exit code in one place.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import * as E from "fp-ts/Either";

/**
 * Parses a sub-command's flags as `parseArgs(config)` does; Left is Node's message.
 *
 * @example
 * const parsed = parseFlags({ args: ["--top", "5"], strict: true, options: { top: { type: "string" } } });
 * if (E.isRight(parsed)) parsed.right.values.top; // "5"
 */
export const parseFlags = <T extends ParseArgsConfig>(config: T): E.Either<string, ReturnType<typeof parseArgs<T>>> => {
  try {
    return E.right(parseArgs(config));
  } catch (e) {
    return E.left(e instanceof Error ? e.message : String(e));
  }
};
