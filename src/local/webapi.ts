// A local stand-in for Slack's Web API: the bot's real WebClient talks to it over HTTP (SLACK_API_URL),
// it records what the bot sends, answers like Slack does, and can be told to fail. Tests, the benchmark,
// the reliability suite and local mode all read the conversation back from here.
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkBlocks } from "../render/limits.js";
import { messageTs } from "./signing.js";

export type Via = "chat.postMessage" | "chat.postEphemeral" | "response_url" | "user";

export interface RecordedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks: unknown[];
  /** Who posted it: the bot's user id, or the person for messages added with postUserMessage. */
  user: string;
  bot_id?: string;
  /** Set when only this user can see the message (chat.postEphemeral, response_url without in_channel). */
  ephemeral_to?: string;
  via: Via;
  /** How many times chat.update or replace_original changed it. */
  edits: number;
  deleted: boolean;
}

export type ChangeType = "posted" | "updated" | "deleted";

export interface Change {
  seq: number;
  type: ChangeType;
  message: RecordedMessage;
}

export interface RecordedCall {
  seq: number;
  method: string;
  params: Record<string, unknown>;
  /** "ok", a Slack error string (not_in_channel), "ratelimited" (HTTP 429) or "http_<status>". */
  outcome: string;
  at: number;
}

/** One way to fail a call. */
export type Fault =
  | { kind: "ratelimited"; retryAfter?: number }
  | { kind: "http_error"; status?: number }
  | { kind: "error"; error: string };

export interface FaultRates {
  /** Share of calls (0..1) answered with HTTP 429 and Retry-After. */
  ratelimited?: number;
  /** Seconds in the Retry-After header; 1 by default (Slack sends whole seconds). */
  retryAfter?: number;
  /** Share of calls (0..1) answered with HTTP 500. */
  httpError?: number;
  /** Methods the rates apply to; chat.* by default so start-up (auth.test) is left alone. */
  methods?: string[];
  /** Seed for a repeatable sequence of faults. */
  seed?: number;
}

export interface FaultStats {
  ratelimited: number;
  httpError: number;
  errors: number;
}

export interface WebApiOptions {
  port?: number;
  host?: string;
  /** Bot token the stand-in accepts; any other gets invalid_auth. Unset: any Bearer token is accepted. */
  token?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  teamName?: string;
  /** Largest request body accepted, bytes. */
  maxBodyBytes?: number;
}

interface ResponseUrlTarget {
  channel: string;
  user: string;
  /** The message a block_actions response_url belongs to: replace_original / delete_original act on it. */
  messageTs?: string;
  uses: number;
  /** When it was handed out (ms since the epoch). */
  at: number;
}

/** Change and call history kept for feeds and tests; a long local session drops the oldest beyond this. */
const HISTORY_MAX = 5000;
/** Slack lets a response_url be used for 30 minutes. */
const RESPONSE_URL_TTL_MS = 30 * 60_000;

/** Drops the oldest entries once a list is twice its cap, so trimming costs little per push. */
function cap<T>(list: T[], max = HISTORY_MAX): void {
  if (list.length > 2 * max) list.splice(0, list.length - max);
}

const DEFAULT_CHAT_METHODS = ["chat.postMessage", "chat.update", "chat.postEphemeral", "chat.delete"];
// Slack lets a response_url be used five times.
const RESPONSE_URL_USES = 5;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Parses a Web API request body the way Slack does: form fields whose complex values are JSON strings, or JSON. */
function parseParams(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes("application/json")) {
    const v: unknown = body ? JSON.parse(body) : {};
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

function parseBlocks(v: unknown): unknown[] | "invalid" | undefined {
  if (v === undefined || v === "") return undefined;
  if (Array.isArray(v)) return v;
  if (typeof v !== "string") return "invalid";
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed : "invalid";
  } catch {
    return "invalid";
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json; charset=utf-8", ...headers });
  res.end(text);
}

export class WebApiStandIn extends EventEmitter {
  readonly origin: string;
  /** Base URL for the bot's WebClient (clientOptions.slackApiUrl / SLACK_API_URL). */
  readonly url: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  readonly faultStats: FaultStats = { ratelimited: 0, httpError: 0, errors: 0 };

  private readonly server: Server;
  private readonly opts: Required<Pick<WebApiOptions, "teamName" | "maxBodyBytes">> & { token: string | undefined };
  private readonly byKey = new Map<string, RecordedMessage>();
  private readonly ordered: RecordedMessage[] = [];
  private readonly changes: Change[] = [];
  private readonly callLog: RecordedCall[] = [];
  private readonly responseUrls = new Map<string, ResponseUrlTarget>();
  private readonly queuedFaults: { method: string; fault: Fault; left: number }[] = [];
  private readonly notInChannel = new Set<string>();
  private rates: Required<Omit<FaultRates, "seed">> | undefined;
  private random: () => number = Math.random;
  private seq = 0;
  private callSeq = 0;
  private responseSeq = 0;
  private readonly sse = new Set<ServerResponse>();

  /** Use startWebApi(). */
  constructor(server: Server, origin: string, opts: WebApiOptions) {
    super();
    this.setMaxListeners(0);
    this.server = server;
    this.origin = origin;
    this.url = `${origin}/api/`;
    this.botUserId = opts.botUserId ?? "U0BOT0001";
    this.botId = opts.botId ?? "B0BOT0001";
    this.teamId = opts.teamId ?? "T0LOCAL01";
    this.opts = { teamName: opts.teamName ?? "Local workspace", maxBodyBytes: opts.maxBodyBytes ?? 2 * 1024 * 1024, token: opts.token };
  }

  /** A Slack-shaped message timestamp, strictly increasing across the whole workspace. */
  /** One clock with the signed-request builders, so a message ts is unique whichever side made it. */
  nextTs(): string {
    return messageTs();
  }

  /** Messages in posting order (deleted ones left out unless asked), optionally for one channel or thread. */
  messages(filter: { channel?: string; thread_ts?: string; via?: Via; includeDeleted?: boolean } = {}): RecordedMessage[] {
    return this.ordered.filter(
      (m) =>
        (filter.includeDeleted || !m.deleted) &&
        (filter.channel === undefined || m.channel === filter.channel) &&
        (filter.thread_ts === undefined || m.thread_ts === filter.thread_ts || m.ts === filter.thread_ts) &&
        (filter.via === undefined || m.via === filter.via),
    );
  }

  /** Messages the bot sent (leaves out what postUserMessage added). */
  botMessages(filter: { channel?: string; thread_ts?: string } = {}): RecordedMessage[] {
    return this.messages(filter).filter((m) => m.via !== "user");
  }

  message(channel: string, ts: string): RecordedMessage | undefined {
    return this.byKey.get(`${channel}/${ts}`);
  }

  calls(method?: string): RecordedCall[] {
    return method ? this.callLog.filter((c) => c.method === method) : [...this.callLog];
  }

  changesSince(seq: number): Change[] {
    // Changes are appended in seq order, so a binary search finds the start.
    let lo = 0;
    let hi = this.changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.changes[mid]?.seq ?? 0) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.changes.slice(lo);
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** The next `times` calls of `method` ("*" for any) fail this way. */
  failNext(method: string, fault: Fault, times = 1): void {
    this.queuedFaults.push({ method, fault, left: times });
  }

  /** Fail a share of calls at random (seeded), e.g. { ratelimited: 0.1, httpError: 0.01 }. Pass undefined to stop. */
  setFaultRates(rates: FaultRates | undefined): void {
    if (!rates) {
      this.rates = undefined;
      return;
    }
    this.rates = {
      ratelimited: rates.ratelimited ?? 0,
      retryAfter: rates.retryAfter ?? 1,
      httpError: rates.httpError ?? 0,
      methods: rates.methods ?? DEFAULT_CHAT_METHODS,
    };
    this.random = rates.seed === undefined ? Math.random : mulberry32(rates.seed);
  }

  /** Make chat.postMessage into this channel answer not_in_channel (the bot was never invited), or undo it. */
  setNotInChannel(channel: string, notIn = true): void {
    if (notIn) this.notInChannel.add(channel);
    else this.notInChannel.delete(channel);
  }

  /** A response_url for a slash command or an interaction; messageTs ties it to the message a button sat on. */
  newResponseUrl(target: { channel: string; user: string; messageTs?: string }): string {
    const id = `R${++this.responseSeq}x${Math.random().toString(36).slice(2, 10)}`;
    const now = Date.now();
    // Map order is creation order: expired ones sit at the front.
    for (const [k, t] of this.responseUrls) {
      if (now - t.at < RESPONSE_URL_TTL_MS) break;
      this.responseUrls.delete(k);
    }
    this.responseUrls.set(id, { ...target, uses: 0, at: now });
    return `${this.origin}/response/${id}`;
  }

  /** A message typed by a person (local mode's channel page): recorded so the conversation reads in order. */
  postUserMessage(m: { channel: string; user: string; text: string; thread_ts?: string; ts?: string }): RecordedMessage {
    const msg: RecordedMessage = {
      channel: m.channel,
      ts: m.ts ?? this.nextTs(),
      text: m.text,
      blocks: [],
      user: m.user,
      via: "user",
      edits: 0,
      deleted: false,
      ...(m.thread_ts !== undefined ? { thread_ts: m.thread_ts } : {}),
    };
    this.store(msg);
    return msg;
  }

  /** Resolves with the first truthy value of `probe`, checked now and after every change; rejects after timeoutMs. */
  waitFor<T>(probe: () => T | undefined | false | null, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = probe();
      if (first) return resolve(first);
      const onChange = (): void => {
        const v = probe();
        if (v) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`webapi.waitFor: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off("change", onChange);
      };
      this.on("change", onChange);
    });
  }

  /** Forget every message, call, fault and response URL (between tests). */
  reset(): void {
    this.byKey.clear();
    this.ordered.length = 0;
    this.changes.length = 0;
    this.callLog.length = 0;
    this.responseUrls.clear();
    this.queuedFaults.length = 0;
    this.notInChannel.clear();
    this.rates = undefined;
    this.faultStats.ratelimited = this.faultStats.httpError = this.faultStats.errors = 0;
  }

  /** Keep memory flat in long runs: drop the call log and change history, keep messages. */
  trimHistory(): void {
    this.callLog.length = 0;
    this.changes.length = 0;
  }

  close(): Promise<void> {
    for (const res of this.sse) res.end();
    this.sse.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private store(msg: RecordedMessage): void {
    this.byKey.set(`${msg.channel}/${msg.ts}`, msg);
    this.ordered.push(msg);
    this.emitChange("posted", msg);
  }

  private emitChange(type: ChangeType, msg: RecordedMessage): void {
    const change: Change = { seq: ++this.seq, type, message: structuredClone(msg) };
    this.changes.push(change);
    cap(this.changes);
    const line = `id: ${change.seq}\ndata: ${JSON.stringify(change)}\n\n`;
    for (const res of this.sse) res.write(line);
    this.emit("change", change);
  }

  private pickFault(method: string): Fault | undefined {
    const i = this.queuedFaults.findIndex((f) => f.method === method || f.method === "*");
    if (i >= 0) {
      const q = this.queuedFaults[i]!;
      if (--q.left <= 0) this.queuedFaults.splice(i, 1);
      return q.fault;
    }
    const r = this.rates;
    if (!r || !r.methods.includes(method)) return undefined;
    const x = this.random();
    if (x < r.ratelimited) return { kind: "ratelimited", retryAfter: r.retryAfter };
    if (x < r.ratelimited + r.httpError) return { kind: "http_error", status: 500 };
    return undefined;
  }

  private logCall(method: string, params: Record<string, unknown>, outcome: string): void {
    const safe = { ...params };
    delete safe.token;
    this.callLog.push({ seq: ++this.callSeq, method, params: safe, outcome, at: Date.now() });
    cap(this.callLog);
  }

  /** Handles one HTTP request; exported for the server only. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const path = url.pathname;
    if (req.method === "POST" && path.startsWith("/api/")) return this.handleApi(path.slice(5), req, res);
    if (req.method === "POST" && path.startsWith("/response/")) return this.handleResponseUrl(path.slice(10), req, res);
    if (req.method === "GET" && path === "/local/messages") {
      const channel = url.searchParams.get("channel") ?? undefined;
      return send(res, 200, { ok: true, seq: this.seq, messages: this.messages(channel ? { channel } : {}) });
    }
    if (req.method === "GET" && path === "/local/changes") return this.handleChanges(url, res);
    if (req.method === "GET" && path === "/local/stream") return this.handleStream(req, res);
    if (req.method === "GET" && path === "/local/calls") return send(res, 200, { ok: true, calls: this.calls(url.searchParams.get("method") ?? undefined) });
    if (req.method === "POST" && path === "/local/faults") {
      const body = await readBody(req, 64 * 1024);
      try {
        const rates = body ? (JSON.parse(body) as FaultRates | null) : null;
        this.setFaultRates(rates ?? undefined);
        return send(res, 200, { ok: true });
      } catch {
        return send(res, 400, { ok: false, error: "invalid_json" });
      }
    }
    return send(res, 404, { ok: false, error: "not_found" });
  }

  private handleChanges(url: URL, res: ServerResponse): void {
    const since = Number(url.searchParams.get("since") ?? "0") || 0;
    const wait = Math.min(Math.max(Number(url.searchParams.get("wait") ?? "0") || 0, 0), 30_000);
    const now = this.changesSince(since);
    if (now.length || wait === 0) return send(res, 200, { ok: true, seq: this.seq, changes: now });
    // Long poll: answer as soon as something changes, or empty when the wait is over.
    const onChange = (): void => {
      done();
      send(res, 200, { ok: true, seq: this.seq, changes: this.changesSince(since) });
    };
    const timer = setTimeout(() => {
      done();
      send(res, 200, { ok: true, seq: this.seq, changes: [] });
    }, wait);
    const done = (): void => {
      clearTimeout(timer);
      this.off("change", onChange);
      res.off("close", done);
    };
    this.on("change", onChange);
    res.on("close", done);
  }

  private handleStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    // A comment line flushes the headers so the browser's EventSource opens at once.
    res.write(": connected\n\n");
    const last = Number(req.headers["last-event-id"] ?? "0") || 0;
    for (const c of this.changesSince(last)) res.write(`id: ${c.seq}\ndata: ${JSON.stringify(c)}\n\n`);
    this.sse.add(res);
    res.on("close", () => this.sse.delete(res));
  }

  private async handleApi(method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, this.opts.maxBodyBytes);
    if (body === undefined) return send(res, 413, { ok: false, error: "request_too_large" });
    let params: Record<string, unknown>;
    try {
      params = parseParams(body, req.headers["content-type"]);
    } catch {
      this.logCall(method, {}, "invalid_json");
      return send(res, 200, { ok: false, error: "invalid_json" });
    }
    const auth = req.headers.authorization?.replace(/^Bearer\s+/i, "") ?? (typeof params.token === "string" ? params.token : undefined);
    if (!auth) {
      this.logCall(method, params, "not_authed");
      return send(res, 200, { ok: false, error: "not_authed" });
    }
    if (this.opts.token !== undefined && auth !== this.opts.token) {
      this.logCall(method, params, "invalid_auth");
      return send(res, 200, { ok: false, error: "invalid_auth" });
    }
    const fault = this.pickFault(method);
    if (fault?.kind === "ratelimited") {
      this.faultStats.ratelimited++;
      this.logCall(method, params, "ratelimited");
      return send(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(fault.retryAfter ?? 1) });
    }
    if (fault?.kind === "http_error") {
      this.faultStats.httpError++;
      const status = fault.status ?? 500;
      this.logCall(method, params, `http_${status}`);
      return send(res, status, "Internal Server Error");
    }
    if (fault?.kind === "error") {
      this.faultStats.errors++;
      this.logCall(method, params, fault.error);
      return send(res, 200, { ok: false, error: fault.error });
    }
    const result = this.callMethod(method, params);
    this.logCall(method, params, result.ok ? "ok" : String(result.error));
    return send(res, 200, result);
  }

  private callMethod(method: string, p: Record<string, unknown>): Record<string, unknown> {
    const str = (k: string): string | undefined => (typeof p[k] === "string" && p[k] !== "" ? (p[k] as string) : undefined);
    switch (method) {
      case "api.test":
        return { ok: true };
      case "auth.test":
        return {
          ok: true,
          url: `${this.origin}/`,
          team: this.opts.teamName,
          user: "exchange-bot",
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case "chat.postMessage":
      case "chat.postEphemeral": {
        const channel = str("channel");
        if (!channel) return { ok: false, error: "channel_not_found" };
        if (this.notInChannel.has(channel)) return { ok: false, error: "not_in_channel" };
        const blocks = parseBlocks(p.blocks);
        if (blocks === "invalid") return { ok: false, error: "invalid_blocks" };
        const text = str("text") ?? "";
        if (!text && !blocks?.length) return { ok: false, error: "no_text" };
        if (blocks) {
          const problems = checkBlocks(blocks);
          if (problems.length) return { ok: false, error: "invalid_blocks", errors: problems.map((x) => `${x.path}: ${x.message}`) };
        }
        const ephemeralTo = method === "chat.postEphemeral" ? str("user") : undefined;
        if (method === "chat.postEphemeral" && !ephemeralTo) return { ok: false, error: "user_not_in_channel" };
        const threadTs = str("thread_ts");
        const msg: RecordedMessage = {
          channel,
          ts: this.nextTs(),
          text,
          blocks: blocks ?? [],
          user: this.botUserId,
          bot_id: this.botId,
          via: method,
          edits: 0,
          deleted: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(ephemeralTo ? { ephemeral_to: ephemeralTo } : {}),
        };
        this.store(msg);
        if (ephemeralTo) return { ok: true, message_ts: msg.ts };
        return { ok: true, channel, ts: msg.ts, message: { type: "message", user: msg.user, bot_id: msg.bot_id, text: msg.text, blocks: msg.blocks, ts: msg.ts, ...(threadTs ? { thread_ts: threadTs } : {}) } };
      }
      case "chat.update": {
        const channel = str("channel");
        const ts = str("ts");
        if (!channel) return { ok: false, error: "channel_not_found" };
        const msg = ts ? this.byKey.get(`${channel}/${ts}`) : undefined;
        if (!msg || msg.deleted || msg.via === "user") return { ok: false, error: msg?.via === "user" ? "cant_update_message" : "message_not_found" };
        const blocks = parseBlocks(p.blocks);
        if (blocks === "invalid") return { ok: false, error: "invalid_blocks" };
        if (blocks) {
          const problems = checkBlocks(blocks);
          if (problems.length) return { ok: false, error: "invalid_blocks", errors: problems.map((x) => `${x.path}: ${x.message}`) };
          msg.blocks = blocks;
        }
        const text = str("text");
        if (text !== undefined) msg.text = text;
        msg.edits++;
        this.emitChange("updated", msg);
        return { ok: true, channel, ts: msg.ts, text: msg.text, message: { text: msg.text, blocks: msg.blocks } };
      }
      case "chat.delete": {
        const channel = str("channel");
        const ts = str("ts");
        const msg = channel && ts ? this.byKey.get(`${channel}/${ts}`) : undefined;
        if (!msg || msg.deleted) return { ok: false, error: "message_not_found" };
        msg.deleted = true;
        this.emitChange("deleted", msg);
        return { ok: true, channel, ts };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  private async handleResponseUrl(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, this.opts.maxBodyBytes);
    const target = this.responseUrls.get(id);
    if (!target) return send(res, 404, "no_such_response_url");
    if (body === undefined) return send(res, 413, "request_too_large");
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(body) as Record<string, unknown>;
      if (!p || typeof p !== "object") throw new Error("not an object");
    } catch {
      this.logCall("response_url", {}, "invalid_payload");
      return send(res, 400, "invalid_payload");
    }
    if (++target.uses > RESPONSE_URL_USES) {
      this.logCall("response_url", p, "used_url");
      return send(res, 404, "used_url");
    }
    const blocks = parseBlocks(p.blocks);
    if (blocks === "invalid" || (blocks && checkBlocks(blocks).length)) {
      this.logCall("response_url", p, "invalid_blocks");
      return send(res, 400, "invalid_blocks");
    }
    const text = typeof p.text === "string" ? p.text : "";
    const original = target.messageTs ? this.byKey.get(`${target.channel}/${target.messageTs}`) : undefined;
    if (p.delete_original === true || p.delete_original === "true") {
      if (original && !original.deleted) {
        original.deleted = true;
        this.emitChange("deleted", original);
      }
      this.logCall("response_url", p, "ok");
      return send(res, 200, "ok");
    }
    if ((p.replace_original === true || p.replace_original === "true") && original && !original.deleted) {
      original.text = text;
      original.blocks = blocks ?? [];
      original.edits++;
      this.emitChange("updated", original);
      this.logCall("response_url", p, "ok");
      return send(res, 200, "ok");
    }
    if (!text && !blocks?.length) {
      this.logCall("response_url", p, "no_text");
      return send(res, 400, "no_text");
    }
    const inChannel = p.response_type === "in_channel";
    const threadTs = typeof p.thread_ts === "string" ? p.thread_ts : undefined;
    const msg: RecordedMessage = {
      channel: target.channel,
      ts: this.nextTs(),
      text,
      blocks: blocks ?? [],
      user: this.botUserId,
      bot_id: this.botId,
      via: "response_url",
      edits: 0,
      deleted: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(inChannel ? {} : { ephemeral_to: target.user }),
    };
    this.store(msg);
    this.logCall("response_url", p, "ok");
    return send(res, 200, "ok");
  }
}

/** Starts the stand-in on 127.0.0.1 and an ephemeral port unless told otherwise. */
export async function startWebApi(opts: WebApiOptions = {}): Promise<WebApiStandIn> {
  let api: WebApiStandIn | undefined;
  const server = createServer((req, res) => {
    if (!api) return send(res, 503, { ok: false, error: "starting" });
    api.handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { ok: false, error: "internal_error" });
      else res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const hostPart = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  api = new WebApiStandIn(server, `http://${hostPart}:${addr.port}`, opts);
  return api;
}
