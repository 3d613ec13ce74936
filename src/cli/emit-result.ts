/**
 * `ml-chatops emit-result FILE`: prints a result JSON file as ML_CHATOPS_RESULT marker lines, so
 * a runner that only sees the build log (CodeBuild) can read the result back, checksum-verified.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PathReporter } from "io-ts/PathReporter";
import { encodeResultMarkers } from "../adapters/codebuild/result-marker.js";
import { KeywordResult } from "../core/model.js";
import type { CliCommand } from "./io.js";


/** The `--help` text. */
export const EMIT_RESULT_USAGE = `Usage: ml-chatops emit-result FILE [--chunk N]

Prints FILE (the JSON that "ml-chatops keywords --output FILE" wrote) as marker lines:

  ML_CHATOPS_RESULT v1 <i>/<n> <sha256 of the JSON> <base64 chunk>

The CodeBuild runner finds them in the build log, joins the chunks and checks the checksum.

  --chunk N     base64 characters per line (default 3000, at least 4)
  -h, --help    show this help

Exit codes: 0 ok, 1 unreadable or invalid result file, 2 bad usage.
`;

const fail = (io: Parameters<CliCommand>[1], code: number, message: string): number => {
  io.stderr(`ml-chatops emit-result: ${message.replace(/[\r\n]+/g, " ")}\n`);
  return code;
};

/**
 * Runs the command.
 *
 * @example
 * await runEmitResult(["result.json"], processIo()); // prints ML_CHATOPS_RESULT lines
 */
export const runEmitResult: CliCommand = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { chunk: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (e) {
    return fail(io, 2, `${e instanceof Error ? e.message : String(e)} (run ml-chatops emit-result --help)`);
  }
  if (parsed.values.help === true) {
    io.stdout(EMIT_RESULT_USAGE);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) return fail(io, 2, "expected exactly one FILE (run ml-chatops emit-result --help)");
  const chunk = parsed.values.chunk === undefined ? 3000 : Number(parsed.values.chunk);
  if (!Number.isInteger(chunk) || chunk < 4) return fail(io, 2, `--chunk must be an integer >= 4, got ${JSON.stringify(parsed.values.chunk)}`);
  const where = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(where, "utf8");
  } catch (e) {
    return fail(io, 1, `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(io, 1, `${file} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const decoded = KeywordResult.decode(json);
  if (decoded._tag === "Left") return fail(io, 1, `${file} is not a keyword result: ${PathReporter.report(decoded)[0] ?? ""}`);
  // Re-serialised compactly, so whitespace in the file never changes the checksum's meaning.
  for (const line of encodeResultMarkers(JSON.stringify(json), chunk)) io.stdout(`${line}\n`);
  return 0;
};
