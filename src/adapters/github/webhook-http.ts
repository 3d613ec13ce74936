/**
 * node:http glue for `handleWebhook`: refuses oversize bodies before reading them (declared
 * Content-Length) or while reading (chunked or lying streams are cut at the cap), answers, and
 * lets the work continue after the response.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../core/ports.js";
import { DEFAULT_MAX_BODY_BYTES, type WebhookRequest, type WebhookResponse } from "./webhook.js";

/**
 * Reads a request body up to `maxBytes`; undefined when it is larger (the stream is destroyed).
 *
 * @example
 * const body = await readCappedBody(req, 25 * 1024 * 1024);
 * @internal */
export const readCappedBody = (req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > maxBytes) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

/**
 * A `(req, res)` listener for `http.createServer` around a webhook handler.
 *
 * @example
 * http.createServer(createWebhookListener(handleWebhook, { logger })).listen(3000);
 */
export const createWebhookListener =
  (
    handle: (req: WebhookRequest) => Promise<WebhookResponse>,
    opts: {
      readonly maxBodyBytes?: number | undefined;
      readonly logger?: Logger | undefined;
      readonly onWork?: ((w: Promise<void>) => void) | undefined;
    } = {},
  ) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, body: string, close = false) => {
      res
        .writeHead(status, { "content-type": "text/plain; charset=utf-8", ...(close ? { connection: "close" } : {}) })
        .end(`${body}\n`);
    };
    if (req.method !== "POST") return send(405, "POST only");
    void readCappedBody(req, opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
      .then(async (rawBody) => {
        if (rawBody === undefined) {
          send(413, "payload too large", true);
          req.destroy();
          return;
        }
        const r = await handle({ rawBody, headers: req.headers });
        send(r.status, r.body);
        opts.onWork?.(r.work);
      })
      .catch((e: unknown) => {
        opts.logger?.error(`webhook request failed: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) send(500, "internal error");
      });
  };
