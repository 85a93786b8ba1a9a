// Builders for Slack requests signed the way Slack signs them (v0 HMAC-SHA256 over "v0:timestamp:body").
// Tests, the benchmark and local mode send these to the bot's real receiver.
import { createHmac, randomBytes } from "node:crypto";
import { request as httpRequest, Agent } from "node:http";

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  /** Unix seconds; now by default. Older than 5 minutes and Bolt refuses it. */
  timestamp?: number;
  /** Sets X-Slack-Retry-Num (and X-Slack-Retry-Reason), as Slack does when it redelivers an event. */
  retryNum?: number;
  retryReason?: string;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export function signRequest(secret: string, body: string, contentType: string, opts: SignOptions = {}): SignedRequest {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(secret, timestamp, body),
  };
  if (opts.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(opts.retryNum);
    headers["x-slack-retry-reason"] = opts.retryReason ?? "http_timeout";
  }
  return { body, headers };
}

let idCounter = 0;
/** A Slack-looking id with the given prefix (E for events, T for triggers...), unique in this process. */
export function slackId(prefix: string): string {
  return `${prefix}${(++idCounter).toString(36).toUpperCase().padStart(6, "0")}${randomBytes(3).toString("hex").toUpperCase()}`;
}

let lastMicros = 0;
/** A message ts like Slack's ("1712345678.000100"), strictly increasing in this process. */
export function messageTs(): string {
  lastMicros = Math.max(lastMicros + 1, Date.now() * 1000);
  return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, "0")}`;
}

export interface Workspace {
  teamId: string;
  teamDomain?: string;
  appId?: string;
  /** The bot's user id (events carry it in `authorizations`). */
  botUserId?: string;
}

const DEFAULT_WS: Required<Workspace> = { teamId: "T0LOCAL01", teamDomain: "local", appId: "A0EXCHBOT", botUserId: "U0BOT0001" };

export function ws(w: Workspace | undefined): Required<Workspace> {
  return { ...DEFAULT_WS, ...(w ?? {}) };
}

export interface SlashCommandFields {
  text: string;
  command?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  response_url?: string;
  trigger_id?: string;
}

/** A signed `/exchange` slash command (form-encoded, as Slack posts it). */
export function slashCommandRequest(secret: string, f: SlashCommandFields, w?: Workspace, opts?: SignOptions): SignedRequest {
  const s = ws(w);
  const form = new URLSearchParams({
    token: "verification-token-unused",
    team_id: s.teamId,
    team_domain: s.teamDomain,
    channel_id: f.channel_id ?? "C0GENERAL",
    channel_name: f.channel_name ?? "general",
    user_id: f.user_id ?? "U0ADMIN01",
    user_name: f.user_name ?? "admin",
    command: f.command ?? "/exchange",
    text: f.text,
    api_app_id: s.appId,
    is_enterprise_install: "false",
    response_url: f.response_url ?? "http://127.0.0.1:9/response/none",
    trigger_id: f.trigger_id ?? `${Date.now()}.${slackId("")}`,
  });
  return signRequest(secret, form.toString(), "application/x-www-form-urlencoded", opts);
}

export interface MessageEventFields {
  channel: string;
  user?: string;
  text: string;
  ts?: string;
  thread_ts?: string;
  /** "channel", "group" (private), "im", "mpim". */
  channel_type?: string;
  subtype?: string;
  bot_id?: string;
}

/** The `event` of a message event as Slack sends it. */
export function messageEvent(f: MessageEventFields): Record<string, unknown> {
  const ts = f.ts ?? messageTs();
  return {
    type: "message",
    channel: f.channel,
    ...(f.user !== undefined ? { user: f.user } : f.bot_id ? {} : { user: "U0ADMIN01" }),
    text: f.text,
    ts,
    event_ts: ts,
    channel_type: f.channel_type ?? "channel",
    client_msg_id: f.bot_id ? undefined : slackId("m").toLowerCase(),
    ...(f.thread_ts !== undefined ? { thread_ts: f.thread_ts } : {}),
    ...(f.subtype !== undefined ? { subtype: f.subtype } : {}),
    ...(f.bot_id !== undefined ? { bot_id: f.bot_id } : {}),
  };
}

/** The `event` of an app_mention (the text starts with the bot's mention). */
export function appMentionEvent(f: Omit<MessageEventFields, "subtype" | "channel_type">, botUserId = DEFAULT_WS.botUserId): Record<string, unknown> {
  const ts = f.ts ?? messageTs();
  return {
    type: "app_mention",
    channel: f.channel,
    user: f.user ?? "U0ADMIN01",
    text: `<@${botUserId}> ${f.text}`,
    ts,
    event_ts: ts,
    ...(f.thread_ts !== undefined ? { thread_ts: f.thread_ts } : {}),
  };
}

export interface EventEnvelope {
  event_id?: string;
  event_time?: number;
}

/** A signed Events API `event_callback` (JSON). Reuse `event_id` to model a duplicate delivery. */
export function eventCallbackRequest(
  secret: string,
  event: Record<string, unknown>,
  env: EventEnvelope = {},
  w?: Workspace,
  opts?: SignOptions,
): SignedRequest {
  const s = ws(w);
  const body = JSON.stringify({
    token: "verification-token-unused",
    team_id: s.teamId,
    api_app_id: s.appId,
    event,
    type: "event_callback",
    event_id: env.event_id ?? slackId("Ev"),
    event_time: env.event_time ?? Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: s.teamId, user_id: s.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
  return signRequest(secret, body, "application/json", opts);
}

export interface BlockActionFields {
  action_id: string;
  value: string;
  block_id?: string;
  text?: string;
  user_id?: string;
  channel_id: string;
  /** The message the button sat on, as the bot posted it (ts, thread_ts, blocks). */
  message?: { ts: string; thread_ts?: string; text?: string; blocks?: unknown[] };
  /** True when the button sat on an ephemeral message (no `message` then). */
  ephemeral?: boolean;
  response_url?: string;
}

/** A signed `block_actions` interaction (form field `payload` holding JSON), as a button click sends it. */
export function blockActionRequest(secret: string, f: BlockActionFields, w?: Workspace, opts?: SignOptions): SignedRequest {
  const s = ws(w);
  const userId = f.user_id ?? "U0ADMIN01";
  const clickedTs = f.message?.ts ?? messageTs();
  const payload = {
    type: "block_actions",
    user: { id: userId, username: "admin", name: "admin", team_id: s.teamId },
    api_app_id: s.appId,
    token: "verification-token-unused",
    container: {
      type: "message",
      message_ts: clickedTs,
      channel_id: f.channel_id,
      is_ephemeral: Boolean(f.ephemeral),
      ...(f.message?.thread_ts ? { thread_ts: f.message.thread_ts } : {}),
    },
    trigger_id: `${Date.now()}.${slackId("")}`,
    team: { id: s.teamId, domain: s.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: f.channel_id, name: "general" },
    ...(f.message && !f.ephemeral
      ? {
          message: {
            type: "message",
            user: s.botUserId,
            ts: f.message.ts,
            text: f.message.text ?? "",
            blocks: f.message.blocks ?? [],
            ...(f.message.thread_ts ? { thread_ts: f.message.thread_ts } : {}),
          },
        }
      : {}),
    state: { values: {} },
    response_url: f.response_url ?? "http://127.0.0.1:9/response/none",
    actions: [
      {
        action_id: f.action_id,
        block_id: f.block_id ?? "actions",
        text: { type: "plain_text", text: f.text ?? "button", emoji: true },
        value: f.value,
        type: "button",
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signRequest(secret, body, "application/x-www-form-urlencoded", opts);
}

export interface SendResult {
  status: number;
  body: string;
  /** Milliseconds from the first byte sent to the full response. */
  ms: number;
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs a signed request to the bot (e.g. http://127.0.0.1:PORT/slack/events) over a keep-alive connection. */
export function sendSigned(url: string, req: SignedRequest, timeoutMs = 10_000): Promise<SendResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const r = httpRequest(
      url,
      { method: "POST", agent: keepAlive, headers: { ...req.headers, "content-length": String(Buffer.byteLength(req.body)) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - t0 }));
        res.on("error", reject);
      },
    );
    r.on("timeout", () => r.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    r.on("error", reject);
    r.end(req.body);
  });
}
