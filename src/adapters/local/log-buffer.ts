/**
 * A bounded tail of log lines with absolute cursors, so a slow reader can page through a
 * running log while old lines fall off the front.
 */
import type { LogPage } from "../../core/ports.js";

/** How much of a log is kept. @internal */
export type LogLimits = { readonly maxLines: number; readonly maxBytes: number; readonly maxLineChars: number };

/** @internal */
export type LogBuffer = {
  readonly push: (line: string) => void;
  /** Lines after `cursor` (an absolute line number as text); from the oldest kept line when absent. */
  readonly page: (cursor: string | undefined) => LogPage;
  readonly tail: () => ReadonlyArray<string>;
};

/**
 * Creates an empty bounded log.
 *
 * @internal
 * @example
 * const log = createLogBuffer({ maxLines: 200, maxBytes: 65536, maxLineChars: 4096 });
 * log.push("hello");
 * log.page(undefined); // { lines: ["hello"], next: "1" }
 */
export const createLogBuffer = (limits: LogLimits): LogBuffer => {
  const lines: string[] = [];
  let dropped = 0;
  let bytes = 0;
  const push = (raw: string): void => {
    const line = raw.length > limits.maxLineChars ? `${raw.slice(0, limits.maxLineChars)} …[line truncated]` : raw;
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
    while (lines.length > 0 && (lines.length > limits.maxLines || bytes > limits.maxBytes)) {
      const old = lines.shift() ?? "";
      bytes -= Buffer.byteLength(old) + 1;
      dropped += 1;
    }
  };
  const page = (cursor: string | undefined): LogPage => {
    const asked = cursor !== undefined && /^[0-9]{1,15}$/.test(cursor) ? Number(cursor) : 0;
    const from = Math.max(asked, dropped);
    return { lines: lines.slice(from - dropped), next: String(dropped + lines.length) };
  };
  return { push, page, tail: () => [...lines] };
};

/**
 * Splits a byte stream into lines, decoding UTF-8 across chunk boundaries. A line with no
 * newline is cut at `maxPending` characters so a child cannot make us buffer without bound.
 *
 * @internal
 * @example
 * const split = createLineSplitter((l) => log.push(l), 8192);
 * split.write(Buffer.from("a\nb")); split.end(); // pushes "a", then "b"
 */
export const createLineSplitter = (
  onLine: (line: string) => void,
  maxPending: number,
): { readonly write: (chunk: Buffer) => void; readonly end: () => void } => {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  const drain = (): void => {
    let nl = pending.indexOf("\n");
    while (nl >= 0) {
      onLine(pending.slice(0, nl).replace(/\r$/, ""));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf("\n");
    }
    while (pending.length > maxPending) {
      onLine(pending.slice(0, maxPending));
      pending = pending.slice(maxPending);
    }
  };
  return {
    write: (chunk) => {
      pending += decoder.decode(chunk, { stream: true });
      drain();
    },
    end: () => {
      pending += decoder.decode();
      drain();
      if (pending.length > 0) onLine(pending.replace(/\r$/, ""));
      pending = "";
    },
  };
};
