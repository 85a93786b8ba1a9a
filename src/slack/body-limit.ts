// Guards in front of Bolt's HTTP receiver. Bolt reads a request body whole before it checks the signature,
// and Node waits up to 300 s for a body: 500 connections each sending 1 MB minus a byte and then waiting
// held 1.1 GB for 5½ minutes. So the body is read here first, under three bounds: per request (1 MB,
// declared up front in Content-Length), for all requests together and per remote address (body-budget.ts,
// reserved at the declared size before a byte is read), and in time (a short body timeout; the header
// deadline is Node's, checked every second, see serverOptions). Bolt then finds the body already read
// (req.rawBody) and verifies it as usual. Also here: a media type with `; charset=utf-8` is taken (Bolt
// compares the bare type), and requests Node's parser refuses (too many or too large headers) are logged.
import type { IncomingMessage, RequestListener, Server, ServerOptions, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { BodyBudget, DEFAULT_LIMITS, slackShaped, type BudgetLimits } from "./body-budget.js";
import { timestampProblem } from "./request-clock.js";

export const MAX_BODY_BYTES = 1024 * 1024;
/** Connections one replica keeps open at most (and the depth of its accept queue). */
export const MAX_CONNECTIONS = 4096;
/** Time from a connection (or the end of the last response on it) to the end of the next request's headers. */
export const HEADERS_TIMEOUT_MS = 10_000;

export interface RequestGuardOptions {
  /** Largest body of one request. */
  maxBodyBytes?: number;
  /** Bytes that requests whose bodies are still arriving may hold together. */
  budgetBytes?: number;
  /** The budget's last part, for small bodies whose headers look like Slack's; and the bounds per address. */
  reserveBytes?: number;
  perAddressBytes?: number;
  perAddressBodies?: number;
  reserveShareBytes?: number;
  /** Time to the end of a request's headers (given to Node; it checks every second). */
  headersTimeoutMs?: number;
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
  /** Remote addresses (IPv6: /64s) holding unfinished bodies. */
  readonly addresses: number;
}

/**
 * Options for the server Bolt creates; they must be given at creation. Node checks its header and request
 * deadlines only every `connectionsCheckingInterval` (30 s by default), so drip-fed headers were closed after
 * about 30 s, not 10 s; checked every second, they are closed between 10 and 11 s.
 */
export function serverOptions(opts: Pick<RequestGuardOptions, "headersTimeoutMs" | "bodyTimeoutMs"> = {}): ServerOptions {
  const headersTimeout = opts.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(headersTimeout, (opts.bodyTimeoutMs ?? 10_000) + 5000);
  return { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) };
}

const MEDIA = /^\s*(application\/x-www-form-urlencoded|application\/json)\s*(?:;\s*charset\s*=\s*"?([\w-]+)"?\s*)?$/i;

export function limitBodies(server: Server, opts: RequestGuardOptions = {}): RequestGuard {
  const max = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const limits: BudgetLimits = { ...DEFAULT_LIMITS };
  for (const k of Object.keys(limits) as (keyof BudgetLimits)[]) limits[k] = (opts as Partial<BudgetLimits>)[k] ?? limits[k];
  limits.reserveBytes = Math.min(limits.reserveBytes, limits.budgetBytes);
  const budget = new BodyBudget(limits);
  const timeoutMs = opts.bodyTimeoutMs ?? 10_000;
  const slackPath = opts.slackPath ?? "/slack/events";
  const inner = server.listeners("request") as RequestListener[];
  const state = { refused: 0 };
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
  // Node's own bounds, far shorter than its defaults (300 s for a request, 60 s for headers). Set again here
  // for a server made without serverOptions(); its deadlines are then only checked every 30 s.
  const node = serverOptions(opts);
  server.requestTimeout = node.requestTimeout!;
  server.headersTimeout = node.headersTimeout!;
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
      log({ event: "http_refused", reason: why, status, path: (req.url ?? "").slice(0, 100), remote: req.socket.remoteAddress });
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
    // Slack's own requests (a few KB, signed) still get in while someone holds the rest with bodies they never finish.
    const admitted = budget.admit(req.socket.remoteAddress, n, slackShaped(req.headers));
    if (!admitted.ok) return refuse(admitted.status, admitted.why);
    const chunks: Buffer[] = [];
    let got = 0;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      admitted.release();
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
    // A client that goes away mid-body gives its reservation back at once.
    const drop = (): void => {
      if (settled) return;
      settle();
      chunks.length = 0;
    };
    req.on("error", drop);
    req.on("close", drop);
  });

  function pass(req: IncomingMessage, res: ServerResponse): void {
    for (const l of inner) l(req, res);
  }

  return {
    get reserved() {
      return budget.reserved;
    },
    get addresses() {
      return budget.addresses;
    },
    get refused() {
      return state.refused;
    },
  };
}
