// A local stand-in for Slack's Web API: the bot's real WebClient talks to it over HTTP (SLACK_API_URL); it
// answers like Slack does (the methods in webapi-methods.ts, response_urls in response-urls.ts) and keeps
// the conversation (message-store.ts), which tests, the benchmark, the reliability suite and local mode
// read back. It fails calls only when given a fault source (faults.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { FaultSource } from "./faults.js";
import { listen, readBody, send } from "./http.js";
import { cap, MessageStore } from "./message-store.js";
import { ResponseUrls, type ResponseUrlTarget } from "./response-urls.js";
import { WEB_API_METHODS, type MethodContext, type Params, type WebApiMethod, type WorkspaceIdentity } from "./webapi-methods.js";

export type { Change, ChangeType, RecordedMessage, Via } from "./message-store.js";

export interface RecordedCall {
  seq: number;
  method: string;
  params: Record<string, unknown>;
  /** "ok", a Slack error string (not_in_channel), "ratelimited" (HTTP 429) or "http_<status>". */
  outcome: string;
  at: number;
}

export interface WebApiOptions {
  port?: number;
  host?: string;
  /** Bot token the stand-in accepts; any other gets invalid_auth. Unset: any Bearer token is accepted. */
  token?: string;
  /** App-level token accepted for apps.connections.open (Socket Mode); unset, `token` rules there too. */
  appToken?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  teamName?: string;
  /** Largest request body accepted, bytes. */
  maxBodyBytes?: number;
  /** Asked before every Web API call whether to fail it (a FaultInjector); unset, nothing fails. */
  faults?: FaultSource;
  /** Methods beyond (or replacing) the built-in ones, keyed by method name. */
  methods?: Record<string, WebApiMethod>;
  /** User groups (S… id to member user ids) that usergroups.users.list answers with. */
  usergroups?: Record<string, string[]>;
}

/** Parses a Web API request body the way Slack does: form fields whose complex values are JSON strings, or JSON. */
function parseParams(body: string, contentType: string | undefined): Params {
  if (contentType?.includes("application/json")) {
    const v: unknown = body ? JSON.parse(body) : {};
    return v && typeof v === "object" ? (v as Params) : {};
  }
  const out: Params = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

export class WebApiStandIn extends MessageStore {
  readonly origin: string;
  /** Base URL for the bot's WebClient (clientOptions.slackApiUrl / SLACK_API_URL). */
  readonly url: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;

  private readonly server: Server;
  private readonly appToken: string | undefined;
  private readonly token: string | undefined;
  private readonly maxBodyBytes: number;
  private readonly faults: FaultSource | undefined;
  private readonly methods: Readonly<Record<string, WebApiMethod>>;
  private readonly context: MethodContext;
  private readonly callLog: RecordedCall[] = [];
  private readonly responseUrls = new ResponseUrls();
  private readonly notInChannel = new Set<string>();
  private readonly usergroups = new Map<string, string[]>();
  private callSeq = 0;

  /** Use startWebApi(). */
  constructor(server: Server, origin: string, opts: WebApiOptions) {
    super();
    this.server = server;
    this.origin = origin;
    this.url = `${origin}/api/`;
    this.botUserId = opts.botUserId ?? "U0BOT0001";
    this.botId = opts.botId ?? "B0BOT0001";
    this.teamId = opts.teamId ?? "T0LOCAL01";
    this.token = opts.token;
    this.appToken = opts.appToken;
    this.maxBodyBytes = opts.maxBodyBytes ?? 2 * 1024 * 1024;
    this.faults = opts.faults;
    this.methods = { ...WEB_API_METHODS, ...opts.methods };
    const identity: WorkspaceIdentity = { origin, botUserId: this.botUserId, botId: this.botId, teamId: this.teamId, teamName: opts.teamName ?? "Local workspace" };
    for (const [id, users] of Object.entries(opts.usergroups ?? {})) this.usergroups.set(id, [...users]);
    this.context = { store: this, identity, notInChannel: this.notInChannel, usergroups: this.usergroups };
  }

  /** Sets a user group's members (usergroups.users.list answers with them). */
  setUsergroup(id: string, users: string[]): void {
    this.usergroups.set(id, [...users]);
  }

  calls(method?: string): RecordedCall[] {
    return method ? this.callLog.filter((c) => c.method === method) : [...this.callLog];
  }

  /** Make chat.postMessage into this channel answer not_in_channel (the bot was never invited), or undo it. */
  setNotInChannel(channel: string, notIn = true): void {
    if (notIn) this.notInChannel.add(channel);
    else this.notInChannel.delete(channel);
  }

  /** A response_url for a slash command or an interaction; messageTs ties it to the message a button sat on. */
  newResponseUrl(target: ResponseUrlTarget): string {
    return `${this.origin}/response/${this.responseUrls.create(target)}`;
  }

  /** Forget every message, call, response URL and queued fault (between tests). */
  reset(): void {
    this.clearMessages();
    this.callLog.length = 0;
    this.responseUrls.clear();
    this.notInChannel.clear();
    this.faults?.reset();
  }

  /** Keep memory flat in long runs: drop the call log and change history, keep messages. */
  trimHistory(): void {
    this.callLog.length = 0;
    this.clearChanges();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Handles one HTTP request; exported for the server only. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", this.origin).pathname;
    if (req.method === "POST" && path.startsWith("/api/")) return this.handleApi(path.slice(5), req, res);
    if (req.method === "POST" && path.startsWith("/response/")) return this.handleResponseUrl(path.slice(10), req, res);
    return send(res, 404, { ok: false, error: "not_found" });
  }

  private logCall(method: string, params: Params, outcome: string): void {
    const safe = { ...params };
    delete safe.token;
    this.callLog.push({ seq: ++this.callSeq, method, params: safe, outcome, at: Date.now() });
    cap(this.callLog);
  }

  private async handleApi(method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, this.maxBodyBytes);
    if (body === undefined) return send(res, 413, { ok: false, error: "request_too_large" });
    let params: Params;
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
    const appCall = method === "apps.connections.open" && this.appToken !== undefined;
    if (appCall ? auth !== this.appToken : this.token !== undefined && auth !== this.token) {
      this.logCall(method, params, "invalid_auth");
      return send(res, 200, { ok: false, error: "invalid_auth" });
    }
    const fault = this.faults?.pick(method);
    if (fault?.kind === "ratelimited") {
      this.logCall(method, params, "ratelimited");
      return send(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(fault.retryAfter ?? 1) });
    }
    if (fault?.kind === "http_error") {
      const status = fault.status ?? 500;
      this.logCall(method, params, `http_${status}`);
      return send(res, status, "Internal Server Error");
    }
    if (fault?.kind === "error") {
      this.logCall(method, params, fault.error);
      return send(res, 200, { ok: false, error: fault.error });
    }
    const run = this.methods[method];
    const result = run ? run(params, this.context) : { ok: false, error: "unknown_method" };
    this.logCall(method, params, result.ok ? "ok" : String(result.error));
    return send(res, 200, result);
  }

  private async handleResponseUrl(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, this.maxBodyBytes);
    const answer = this.responseUrls.answer(id, body, this, this.context.identity);
    if (!answer) return send(res, 404, "no_such_response_url");
    this.logCall("response_url", answer.params, answer.outcome);
    return send(res, answer.status, answer.body);
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
  const origin = await listen(server, opts.port ?? 0, opts.host ?? "127.0.0.1");
  api = new WebApiStandIn(server, origin, opts);
  return api;
}
