/**
 * A `fetch` for argo-server behind a private CA. Node 20's global fetch cannot take a CA per
 * call without the `undici` package, so this speaks HTTPS through `node:https` with `ca` set and
 * hands back a standard `Response`. Only what the runner sends is supported: a method, headers and
 * a string body.
 */
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import type { ArgoFetch } from "./http.js";

/** Options of `createCaFetch`. */
export type CaFetchOptions = {
  /** PEM certificate(s) of the CA that signed argo-server's certificate. Replaces the default roots. */
  readonly ca: string | ReadonlyArray<string>;
};

/**
 * A fetch that trusts `ca` (only that CA) for https URLs.
 *
 * @example
 * const fetch = createCaFetch({ ca: readFileSync("/var/run/argo/ca.crt", "utf8") });
 * const runner = createArgoRunner({ fetch }, { baseUrl: "https://argo-server.argo:2746", namespace: "ml", image, token });
 */
export const createCaFetch =
  (opts: CaFetchOptions): ArgoFetch =>
  (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== "https:") {
        reject(new Error(`createCaFetch: only https URLs are supported, got ${target.protocol}`));
        return;
      }
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const req = httpsRequest(
        target,
        { method: init.method ?? "GET", headers, ca: typeof opts.ca === "string" ? opts.ca : [...opts.ca] },
        (res) => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(", ") : v);
          }
          const status = res.statusCode ?? 502;
          const body =
            status === 204 || status === 304 ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, headers: out }));
        },
      );
      req.on("error", reject);
      if (init.body !== undefined && init.body !== null && typeof init.body !== "string") {
        req.destroy();
        reject(new Error("createCaFetch: only string bodies are supported"));
        return;
      }
      req.end(init.body ?? undefined);
    });
