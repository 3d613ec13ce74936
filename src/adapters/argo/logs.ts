/**
 * Parses argo-server's log stream: newline-delimited `{"result":{"content","podName"}}` objects
 * (grpc-gateway), or the same objects as server-sent `data:` events. Pure.
 */
import * as E from "fp-ts/Either";
import { ArgoLogChunk } from "./codecs.js";

/** One log line and the pod it came from. @internal */
export type ArgoLogLine = { readonly podName: string; readonly content: string };

/**
 * The log lines of a stream body, or the first problem (a mid-stream error or a malformed chunk).
 *
 * @example
 * parseLogStream('{"result":{"content":"hi","podName":"p"}}\n'); // Right([{ podName: "p", content: "hi" }])
 * @internal */
export const parseLogStream = (body: string): E.Either<string, ReadonlyArray<ArgoLogLine>> => {
  const out: Array<ArgoLogLine> = [];
  const rows = body.split("\n");
  for (const [i, raw] of rows.entries()) {
    const row = raw.trim();
    // SSE comments (keepalives) and event separators carry no data.
    if (row === "" || row.startsWith(":") || row.startsWith("event:") || row.startsWith("id:")) continue;
    const json = row.startsWith("data:") ? row.slice(5).trim() : row;
    const parsed = E.tryCatch(
      () => JSON.parse(json) as unknown,
      () => `log stream line ${i + 1}: not JSON`,
    );
    if (E.isLeft(parsed)) return parsed;
    const chunk = ArgoLogChunk.decode(parsed.right);
    if (E.isLeft(chunk)) return E.left(`log stream line ${i + 1}: not a log entry`);
    const c = chunk.right;
    if ("error" in c) return E.left(`log stream error: ${c.error.message ?? "unknown"}`);
    const content = c.result.content ?? "";
    for (const line of content.replace(/\r?\n$/, "").split(/\r?\n/)) {
      out.push({ podName: c.result.podName ?? "", content: line });
    }
  }
  return E.right(out);
};
