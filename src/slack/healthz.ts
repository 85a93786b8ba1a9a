// GET /healthz: 200 once the bot is ready, 503 before. HTTP mode serves it as a route on the receiver's own
// server. Socket Mode has no server of its own, and Bolt's (built when given custom routes) listens with no
// error handler, on every interface and without telling the port it got; so it gets this small one instead.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CustomRoute } from "@slack/bolt";

function answer(res: ServerResponse, ready: boolean): void {
  res.writeHead(ready ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ ok: ready }));
}

/** The route for a Bolt receiver's server. */
export function healthzRoute(isReady: () => boolean): CustomRoute {
  return { path: "/healthz", method: ["GET"], handler: (_req, res) => answer(res, isReady()) };
}

export interface HealthzServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Unset: every interface, as Node's listen does. */
  host?: string;
  isReady: () => boolean;
  /** Errors once listening (e.g. out of file descriptors on accept); without a handler they would end the process. */
  onError?: (err: Error) => void;
}

export interface HealthzServer {
  /** The port actually bound (the free one PORT=0 picked). */
  readonly port: number;
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/**
 * Listens on host:port and resolves once it does. A listen failure (EADDRINUSE, EACCES, EADDRNOTAVAIL)
 * rejects with Node's own error, code intact, so start-up reports it the way it reports HTTP mode's.
 */
export async function startHealthzServer(opts: HealthzServerOptions): Promise<HealthzServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?", 1)[0];
    if (path !== "/healthz") {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
    } else if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { "content-type": "text/plain", allow: "GET, HEAD" });
      res.end("method not allowed\n");
    } else {
      answer(res, opts.isReady());
    }
    // Nothing here reads a body; drain any so a keep-alive connection stays usable.
    req.resume();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: opts.port, ...(opts.host ? { host: opts.host } : {}) }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (err) => opts.onError?.(err));
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
