// The Socket Mode side of the local Slack stand-in: `apps.connections.open` hands out a ws://127.0.0.1 URL,
// the WebSocket says `hello`, and envelopes (slash_commands, events_api with retry_attempt, interactive)
// go out spread over the open connections, each waiting for its ack by envelope_id. Faults on demand:
// `disconnect` messages and dropped sockets here; apps.connections.open answering 503 or invalid_auth
// through the Web API stand-in's faults.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { listen, send } from "./http.js";
import type { SignedRequest } from "./signing.js";
import type { WebApiMethod } from "./webapi-methods.js";

export type EnvelopeType = "slash_commands" | "events_api" | "interactive";


export interface DeliverOptions {
  /** events_api only: 0 for the first delivery, 1.. for Slack's retries. */
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the ack; Slack waits 3 s. */
  timeoutMs?: number;
  /** Deliver on this connection (an id from connections()); otherwise the next one in turn. */
  connection?: string;
  /** Deliver on any connection but this one (a retry to "another replica"). */
  avoid?: string;
}

export type DeliverResult =
  | { acked: true; connection: string; payload: unknown; ms: number }
  | { acked: false; connection: string | undefined; reason: "timeout" | "closed" | "no_connection" };

interface Conn {
  id: string;
  ws: WebSocket;
  pending: Map<string, (payload: unknown) => void>;
}

export class SocketModeStandIn extends EventEmitter {
  /** Acks that named no envelope that was waiting (unknown or repeated envelope_id). */
  readonly strayAcks: string[] = [];
  opens = 0;
  private readonly conns = new Map<string, Conn>();
  private readonly tickets = new Set<string>();
  private turn = 0;

  constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly origin: string,
    private readonly appId: string,
  ) {
    super();
    wss.on("connection", (ws, req) => this.accept(ws, req));
  }

  /** Ids of the open connections that got their hello, oldest first. */
  connections(): string[] {
    return [...this.conns.keys()];
  }

  /** Resolves once `n` connections are open (or rejects after timeoutMs). */
  async waitForConnections(n: number, timeoutMs = 15_000): Promise<string[]> {
    const end = Date.now() + timeoutMs;
    while (this.conns.size < n) {
      if (Date.now() > end) throw new Error(`only ${this.conns.size} of ${n} Socket Mode connections after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.connections();
  }

  /** Sends a `disconnect` message (Slack's way of asking for a reconnect), on one connection or all. */
  disconnect(reason: "refresh_requested" | "link_disabled" | "warning", connection?: string): void {
    for (const c of this.pick(connection)) c.ws.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "local-standin" } }));
  }

  /** Drops the TCP connection with no close handshake, as a network failure would. */
  drop(connection?: string): void {
    for (const c of this.pick(connection)) c.ws.terminate();
  }

  async deliver(type: EnvelopeType, payload: Record<string, unknown>, o: DeliverOptions = {}): Promise<DeliverResult> {
    const conn = this.choose(o);
    if (!conn) return { acked: false, connection: undefined, reason: "no_connection" };
    const envelopeId = randomUUID();
    const t0 = performance.now();
    const envelope = {
      envelope_id: envelopeId,
      payload,
      type,
      accepts_response_payload: type !== "events_api",
      ...(type === "events_api" ? { retry_attempt: o.retryAttempt ?? 0, retry_reason: o.retryAttempt ? (o.retryReason ?? "timeout") : "" } : {}),
    };
    return new Promise<DeliverResult>((resolve) => {
      const finish = (r: DeliverResult): void => {
        clearTimeout(timer);
        conn.pending.delete(envelopeId);
        conn.ws.off("close", onClose);
        resolve(r);
      };
      const onClose = (): void => finish({ acked: false, connection: conn.id, reason: "closed" });
      const timer = setTimeout(() => finish({ acked: false, connection: conn.id, reason: "timeout" }), o.timeoutMs ?? 3000);
      conn.pending.set(envelopeId, (ack) => finish({ acked: true, connection: conn.id, payload: ack, ms: performance.now() - t0 }));
      conn.ws.once("close", onClose);
      conn.ws.send(JSON.stringify(envelope), (err) => void (err && finish({ acked: false, connection: conn.id, reason: "closed" })));
    });
  }

  /** Delivers what would have been an HTTP request (a builder from signing.ts) as the matching envelope. */
  async deliverRequest(req: SignedRequest, o: DeliverOptions = {}): Promise<DeliverResult> {
    const { type, payload } = envelopeOf(req);
    return this.deliver(type, payload, o);
  }

  async close(): Promise<void> {
    for (const c of this.conns.values()) c.ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** apps.connections.open, for startWebApi({ methods }): a fresh one-use ws:// URL. Fail it with the Web API's faults. */
  readonly methods: Record<string, WebApiMethod> = {
    "apps.connections.open": () => {
      this.opens++;
      const ticket = randomUUID();
      this.tickets.add(ticket);
      return { ok: true, url: `${this.origin.replace(/^http/, "ws")}/link/?ticket=${ticket}&app_id=${this.appId}` };
    },
  };

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const ticket = new URL(req.url ?? "/", this.origin).searchParams.get("ticket") ?? "";
    // A ticket is good for one connection, as Slack's are.
    if (!this.tickets.delete(ticket)) return ws.close(4001, "invalid ticket");
    const conn: Conn = { id: randomUUID().slice(0, 8), ws, pending: new Map() };
    this.conns.set(conn.id, conn);
    ws.on("message", (data) => {
      let msg: { envelope_id?: unknown; payload?: unknown };
      try {
        msg = JSON.parse(data.toString()) as typeof msg;
      } catch {
        return;
      }
      const id = typeof msg.envelope_id === "string" ? msg.envelope_id : "";
      const waiting = conn.pending.get(id);
      if (waiting) waiting(msg.payload);
      else this.strayAcks.push(id);
    });
    ws.on("close", () => {
      this.conns.delete(conn.id);
      this.emit("closed", conn.id);
    });
    ws.on("error", () => undefined);
    // Each envelope in flight listens for the close (and stops when it is acked): many at once is normal here.
    ws.setMaxListeners(0);
    ws.send(JSON.stringify({ type: "hello", num_connections: this.conns.size, debug_info: { host: "local-standin", approximate_connection_time: 18060 }, connection_info: { app_id: this.appId } }));
    this.emit("connected", conn.id);
  }

  private pick(connection: string | undefined): Conn[] {
    if (connection === undefined) return [...this.conns.values()];
    const c = this.conns.get(connection);
    return c ? [c] : [];
  }

  private choose(o: DeliverOptions): Conn | undefined {
    if (o.connection !== undefined) return this.conns.get(o.connection);
    const open = [...this.conns.values()].filter((c) => c.id !== o.avoid);
    const list = open.length ? open : [...this.conns.values()];
    if (!list.length) return undefined;
    return list[this.turn++ % list.length];
  }
}

/** The Socket Mode envelope for a request built for HTTP: a form command, a JSON event, or a form `payload`. */
export function envelopeOf(req: SignedRequest): { type: EnvelopeType; payload: Record<string, unknown> } {
  if ((req.headers["content-type"] ?? "").startsWith("application/json")) return { type: "events_api", payload: JSON.parse(req.body) as Record<string, unknown> };
  const form = new URLSearchParams(req.body);
  const p = form.get("payload");
  if (p !== null) return { type: "interactive", payload: JSON.parse(p) as Record<string, unknown> };
  return { type: "slash_commands", payload: Object.fromEntries(form) };
}

/**
 * Starts the WebSocket side on 127.0.0.1 and a free port. Hand `methods` to startWebApi so the bot's
 * SLACK_API_URL answers apps.connections.open; 503 or invalid_auth there are the Web API's faults
 * (FaultInjector.failNext("apps.connections.open", ...)).
 */
export async function startSocketMode(opts: { appId?: string } = {}): Promise<SocketModeStandIn> {
  const server = createServer((_req, res) => send(res, 426, { ok: false, error: "upgrade_required" }));
  const wss = new WebSocketServer({ server, path: "/link/" });
  const origin = await listen(server);
  return new SocketModeStandIn(server, wss, origin, opts.appId ?? "A0EXCHBOT");
}
