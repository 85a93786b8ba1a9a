// Guards in front of Bolt's HTTP receiver. Bolt reads a request body whole before it checks the signature,
// and Node waits up to 300 s for a body: 500 connections each sending 1 MB minus a byte and then waiting
// held 1.1 GB for 5½ minutes. So the body is read here first, under three bounds: per request (1 MB,
// declared up front in Content-Length), for all requests together (a budget reserved at the declared size
// before a byte is read), and in time (a short body timeout). Bolt then finds the body already read
// (req.rawBody) and verifies it as usual. Also here: a media type with `; charset=utf-8` is taken (Bolt
// compares the bare type), and requests Node's parser refuses (too many or too large headers) are logged.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { timestampProblem } from "./request-clock.js";

export const MAX_BODY_BYTES = 1024 * 1024;
/** Connections one replica keeps open at most (and the depth of its accept queue). */
export const MAX_CONNECTIONS = 4096;
/** Bodies up to this size are what Slack sends; they alone may use the budget's last HEADROOM bytes. */
const SMALL_BODY = 64 * 1024;
const HEADROOM = 8 * 1024 * 1024;

export interface RequestGuardOptions {
  /** Largest body of one request. */
  maxBodyBytes?: number;
  /** Bytes that requests whose bodies are still arriving may hold together. */
  budgetBytes?: number;
  /** Time from the headers to the last byte of the body. */
  bodyTimeoutMs?: number;
  /** Open connections at most; Node refuses more at accept. */
  maxConnections?: number;
  /** The path whose bodies are read here for Bolt. */
  slackPath?: string;
  /** One line per refused request (rate-limited), never with the request's content. */
  log?: (rec: { event: string; [k: string]: unknown }) => void;
}

/** Bytes reserved by bodies still arriving, for tests and the bench. */
export interface RequestGuard {
  readonly reserved: number;
  readonly refused: number;
}

const MEDIA = /^\s*(application\/x-www-form-urlencoded|application\/json)\s*(?:;\s*charset\s*=\s*"?([\w-]+)"?\s*)?$/i;

export function limitBodies(server: Server, opts: RequestGuardOptions = {}): RequestGuard {
  const max = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const budget = opts.budgetBytes ?? 64 * 1024 * 1024;
  const timeoutMs = opts.bodyTimeoutMs ?? 10_000;
  const slackPath = opts.slackPath ?? "/slack/events";
  const inner = server.listeners("request") as RequestListener[];
  const state = { reserved: 0, refused: 0 };
  let lastLog = 0;
  let quiet = 0;
  const log = (rec: { event: string; [k: string]: unknown }): void => {
    // At most one line a second, so a flood of bad requests cannot flood the log too.
    const t = Date.now();
    if (t - lastLog < 1000) return void quiet++;
    opts.log?.({ ...rec, ...(quiet ? { suppressed: quiet } : {}) });
    lastLog = t;
    quiet = 0;
  };

  server.maxConnections = opts.maxConnections ?? MAX_CONNECTIONS;
  // Node's own bounds, far shorter than its defaults (300 s for a request, 60 s for headers).
  server.requestTimeout = timeoutMs + 5000;
  server.headersTimeout = Math.min(10_000, server.requestTimeout);
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    const code = err.code ?? "ERR";
    log({ event: "http_refused", reason: code, remote: socket.remoteAddress });
    if (!socket.writable || code === "ECONNRESET") return void socket.destroy();
    const status = code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") return pass(req, res);
    const refuse = (status: number, why: string): void => {
      state.refused++;
      log({ event: "http_refused", reason: why, status, path: (req.url ?? "").slice(0, 100) });
      res.writeHead(status, { "content-type": "text/plain", connection: "close" });
      res.end(`${why}\n`);
      // Nothing more is read: the connection closes once the answer is out.
      req.socket.destroySoon();
    };
    const type = MEDIA.exec(req.headers["content-type"] ?? "");
    if (type?.[2] && type[2].toLowerCase().replace("-", "") !== "utf8") return refuse(415, "charset must be utf-8");
    // Bolt compares the bare media type; Slack's own requests never carry parameters, other senders do.
    if (type?.[1]) req.headers["content-type"] = type[1].toLowerCase();
    const declared = req.headers["content-length"];
    if (declared === undefined) return refuse(411, "Content-Length required");
    const n = Number(declared);
    if (!Number.isSafeInteger(n) || n < 0) return refuse(400, "bad Content-Length");
    if (n > max) return refuse(413, `request body over ${max} bytes`);
    // Other POST routes (local mode's page) read their own bodies, under their own caps.
    if (!(req.url ?? "").startsWith(slackPath)) return pass(req, res);
    const stale = timestampProblem(req.headers["x-slack-request-timestamp"]);
    if (stale) return refuse(401, stale);
    // Large bodies may not take the last part of the budget: Slack's own requests (a few KB) still get in
    // while someone holds the rest with bodies they never finish.
    if (state.reserved + n > (n > SMALL_BODY ? budget - HEADROOM : budget)) return refuse(503, "too many request bodies in flight; try again");
    state.reserved += n;
    const chunks: Buffer[] = [];
    let got = 0;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      state.reserved -= n;
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
    };
    const timer = setTimeout(() => {
      settle();
      chunks.length = 0;
      refuse(408, `request body not received within ${timeoutMs} ms`);
    }, timeoutMs);
    const onData = (c: Buffer): void => {
      got += c.length;
      if (got > n) {
        settle();
        chunks.length = 0;
        return refuse(400, "body longer than Content-Length");
      }
      chunks.push(c);
    };
    const onEnd = (): void => {
      settle();
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = Buffer.concat(chunks, got);
      pass(req, res);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", () => {
      settle();
      chunks.length = 0;
    });
  });

  function pass(req: IncomingMessage, res: ServerResponse): void {
    for (const l of inner) l(req, res);
  }

  return {
    get reserved() {
      return state.reserved;
    },
    get refused() {
      return state.refused;
    },
  };
}
