/**
 * `ml-chatops emit-result FILE`: prints a result JSON file as ML_CHATOPS_RESULT marker lines, so
 * a runner that only sees the build log (CodeBuild) can read the result back, checksum-verified.
 */
import * as path from "node:path";
import * as E from "fp-ts/Either";
import { encodeResultMarkers } from "../adapters/codebuild/index.js";
import { readExperimentResult } from "../adapters/local/index.js";
import type { CliCommand } from "./io.js";
import { parseFlags } from "./parse-flags.js";

// PR code wrote the file: reading it must not hang on a FIFO or follow a link (check 81).
const READ_TIMEOUT_MS = 10_000;

/** The `--help` text. */
export const EMIT_RESULT_USAGE = `Usage: ml-chatops emit-result FILE [--chunk N]

Checks FILE against the result contract (schema/result.json: what your experiment wrote, or
"ml-chatops keywords --result-file FILE") and prints it as marker lines:

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
  const parsedFlags = parseFlags({
    args: [...argv],
    allowPositionals: true,
    options: { chunk: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (E.isLeft(parsedFlags)) return fail(io, 2, `${parsedFlags.left} (run ml-chatops emit-result --help)`);
  const parsed = parsedFlags.right;
  if (parsed.values.help === true) {
    io.stdout(EMIT_RESULT_USAGE);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0)
    return fail(io, 2, "expected exactly one FILE (run ml-chatops emit-result --help)");
  const chunk = parsed.values.chunk === undefined ? 3000 : Number(parsed.values.chunk);
  if (!Number.isInteger(chunk) || chunk < 4)
    return fail(io, 2, `--chunk must be an integer >= 4, got ${JSON.stringify(parsed.values.chunk)}`);
  // The folder is the caller's choice; the file itself is PR code's output and read as data.
  const where = path.resolve(io.cwd, file);
  const decoded = await readExperimentResult(path.dirname(where), path.basename(where), { timeoutMs: READ_TIMEOUT_MS });
  if (E.isLeft(decoded)) {
    const e = decoded.left;
    return fail(
      io,
      1,
      e._tag === "ResultUnreadable"
        ? `cannot read ${file}: ${e.detail}`
        : e._tag === "ResultNotText"
          ? `${file} is not UTF-8 text`
          : `${file} is not a valid result: ${e.detail}`,
    );
  }
  // Re-serialised from the decoded value: what the runner reads back is exactly what was checked.
  for (const line of encodeResultMarkers(JSON.stringify(decoded.right), chunk)) io.stdout(`${line}\n`);
  return 0;
};
