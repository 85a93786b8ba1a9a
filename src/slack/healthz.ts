// GET|HEAD /healthz: liveness, 200 once the bot is up (with "degraded" when shared state fell back to
// in-process), 503 before, and 503 when the Socket Mode connection has been down longer than a routine
// reconnect takes. /healthz?ready=1: readiness, 503 as well while degraded or while Socket Mode is not
// connected, so a balancer or orchestrator sends work elsewhere. HTTP mode serves it as a route on the receiver's own
// server. Socket Mode has no server of its own, and Bolt's (built when given custom routes) listens with no
// error handler, on every interface and without telling the port it got; so it gets this small one instead.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CustomRoute } from "@slack/bolt";

/** What /healthz reports, read on every request. */
export interface Health {
  /** The bot has started (token checked, listening or connected) and not yet stopped. */
  started: boolean;
  /** Why shared state runs in-process (Redis lost); undefined when all is well. */
  degraded?: string | undefined;
  /** Socket Mode only: since when (ms since the epoch) the connection has been down; undefined while connected. */
  socketDownSince?: number | undefined;
}

/** A Socket Mode reconnect (Slack's refresh_requested) takes a second or two; longer than this is an outage. */
export const SOCKET_GRACE_MS = 15_000;

export function healthAnswer(h: Health, readiness: boolean, now = Date.now()): { status: number; body: Record<string, unknown> } {
  if (!h.started) return { status: 503, body: { ok: false } };
  const downMs = h.socketDownSince === undefined ? undefined : now - h.socketDownSince;
  const socket = downMs === undefined ? {} : { socket: `Socket Mode disconnected for ${Math.round(downMs / 1000)} s` };
  const degraded = h.degraded ? { degraded: h.degraded } : {};
  const ok = readiness ? downMs === undefined && !h.degraded : downMs === undefined || downMs <= SOCKET_GRACE_MS;
  return { status: ok ? 200 : 503, body: { ok, ...degraded, ...socket } };
}

function answer(req: IncomingMessage, res: ServerResponse, health: () => Health): void {
  const readiness = new URLSearchParams((req.url ?? "").split("?")[1] ?? "").get("ready") === "1";
  const { status, body } = healthAnswer(health(), readiness);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
}

/** The route for a Bolt receiver's server. */
export function healthzRoute(health: () => Health): CustomRoute {
  return { path: "/healthz", method: ["GET", "HEAD"], handler: (req, res) => answer(req, res, health) };
}

export interface HealthzServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Unset: every interface, as Node's listen does. */
  host?: string;
  health: () => Health;
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
      answer(req, res, opts.health);
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
