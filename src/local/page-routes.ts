// The channel page's routes on the bot's own HTTP server. The page never reaches the core: what a person
// types or clicks is turned here into the request Slack would send (signed with this run's secret) and
// POSTed to the bot's real receiver; what the page shows is read back from the Web API stand-in.
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import type { CustomRoute } from "@slack/bolt";
import { isLoopbackHost } from "../net-names.js";
import { bareHost } from "../probe/ports.js";
import { PROJECT_ROOT } from "../paths.js";
import { blockActionRequest, eventCallbackRequest, messageEvent, sendSigned, slashCommandRequest, type SignedRequest, type Workspace } from "./signing.js";
import { HttpError, readJson, sendJson } from "./page-http.js";
import { viewSubmitter } from "./page-views.js";
import type { Change, OpenedView, RecordedMessage } from "./message-store.js";
import type { WebApiStandIn } from "./webapi.js";

export interface Person {
  id: string;
  name: string;
}

/** What the page shows around the messages: names, the probe hosts, the articles to try. */
export interface PageInfo {
  /** Changes every start: a page that reconnects to a restarted bot reloads instead of showing a stale feed. */
  runId: string;
  workspace: string;
  channel: { id: string; name: string };
  user: Person;
  bot: Person;
  hosts: string[];
  /** True when the hosts are this run's lab servers (POP3, SMTP, IMAP) rather than a probe hosts file. */
  labHosts: boolean;
  /** Each probe host with its protocol and the articles whose answers carry a button for it. */
  probeHosts: { name: string; protocol: string; articles: string[] }[];
  articles: { id: string; title: string; try: string }[];
}

export interface PageRoutesOptions {
  api: WebApiStandIn;
  signingSecret: string;
  /** The bot's own POST /slack/events URL; known once it listens. */
  eventsUrl: () => string;
  /** Instead of POSTing to eventsUrl: hand the request to the bot another way (Socket Mode); resolves with the ack's body. */
  deliver?: (signed: SignedRequest) => Promise<string>;
  info: PageInfo;
  /** Folder holding index.html, style.css and the page's scripts. */
  pageDir: string;
  /** Host names (besides loopback ones) the page may be reached by; guards against DNS rebinding. */
  allowedHosts?: string[];
  /** The knowledge folder's state (reloads, lint problems) for the page's banner; absent, the page shows none. */
  knowledge?: () => { version: number; problems: string[]; articles: number };
}

/** The page's files, served from the source tree whether the bot runs from src/ or dist/. */
export const PAGE_DIR = join(PROJECT_ROOT, "src", "local", "page");

/** Slack refuses longer messages (msg_too_long); so does the page. */
export const MAX_MESSAGE_CHARS = 40_000;
const SSE_KEEPALIVE_MS = 20_000;

const STATIC_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Slack escapes these three in message text; the bot is written against that form. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim().toLowerCase());
  return m?.[1];
}

export function localPageRoutes(o: PageRoutesOptions): CustomRoute[] {
  const { api, info } = o;
  const channel = info.channel.id;
  const user = info.user.id;
  const ws: Workspace = { teamId: api.teamId, botUserId: api.botUserId, teamDomain: "local" };
  const allowed = new Set((o.allowedHosts ?? []).map((h) => h.toLowerCase()));

  /** Only what this person could see in this channel: ephemeral messages for someone else are not theirs. */
  const visible = (m: RecordedMessage): boolean => m.channel === channel && (m.ephemeral_to === undefined || m.ephemeral_to === user);

  /**
   * A page on another site could make the browser send requests here; a rebound DNS name could even read
   * the answers. Only loopback host names are served, and a POST must be JSON from this page's own origin.
   */
  function guard(req: IncomingMessage): void {
    const host = hostnameOf(req.headers.host);
    if (!host || !(isLoopbackHost(bareHost(host)) || allowed.has(host))) throw new HttpError(403, "This page answers on localhost only.");
    if (req.method === "POST") {
      if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) throw new HttpError(415, "Send JSON.");
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}`) throw new HttpError(403, "Requests from other sites are refused.");
    }
  }

  type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
  const route = (path: string, method: "GET" | "POST", handler: Handler): CustomRoute => ({
    path,
    method: [method],
    handler: (req, res) => {
      void (async () => {
        guard(req);
        await handler(req, res);
      })().catch((err: unknown) => {
        if (res.headersSent) return void res.end();
        if (err instanceof HttpError) return sendJson(res, err.status, { ok: false, error: err.message });
        sendJson(res, 500, { ok: false, error: `Local mode failed: ${err instanceof Error ? err.message : String(err)}` });
      });
    },
  });

  async function serveFile(res: ServerResponse, name: string): Promise<void> {
    // A fixed shape of name, so no path can walk out of the page folder.
    const m = /^[a-z][\w-]{0,40}(\.html|\.css|\.js|\.svg)$/.exec(name);
    const type = m ? STATIC_TYPES[m[1]!] : undefined;
    if (!m || !type || name.endsWith(".d.ts")) throw new HttpError(404, "No such file.");
    let body: Buffer;
    try {
      body = await readFile(join(o.pageDir, name));
    } catch {
      throw new HttpError(404, "No such file.");
    }
    res.writeHead(200, {
      "content-type": type,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      // The page loads only its own files and talks only to this server.
      "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    });
    res.end(body);
  }

  async function forward(kind: string, signed: SignedRequest): Promise<string> {
    if (o.deliver) return o.deliver(signed);
    const r = await sendSigned(o.eventsUrl(), signed, 15_000);
    if (r.status !== 200) throw new HttpError(502, `The bot answered the ${kind} with HTTP ${r.status}.`);
    return r.body;
  }

  async function slashCommand(text: string): Promise<Record<string, unknown>> {
    const m = /^\s*(\/\S+)\s*([\s\S]*)$/.exec(text);
    const command = m?.[1] ?? "";
    if (command !== "/exchange") throw new HttpError(400, `${command.slice(0, 40)} is not a command in this workspace. Try /exchange help.`);
    const responseUrl = api.newResponseUrl({ channel, user });
    const body = await forward(
      "slash command",
      slashCommandRequest(
        o.signingSecret,
        // Slack escapes &, < and > in command text as it does in messages.
        { command, text: slackEscape((m?.[2] ?? "").trim()), user_id: user, user_name: info.user.name, channel_id: channel, channel_name: info.channel.name, response_url: responseUrl },
        ws,
      ),
    );
    // Slack shows a body sent with the ack (usage, for one) to the person who typed the command.
    if (body.trim()) {
      let reply: unknown;
      try {
        reply = JSON.parse(body);
      } catch {
        reply = { text: body };
      }
      const r = await fetch(responseUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(reply) });
      if (!r.ok) throw new HttpError(502, `The bot's reply to the command was refused: ${(await r.text()).slice(0, 200)}`);
    }
    return { ok: true, kind: "command" };
  }

  async function message(text: string, threadTs: string | undefined): Promise<Record<string, unknown>> {
    if (threadTs !== undefined) {
      const parent = api.message(channel, threadTs);
      if (!parent || !visible(parent) || parent.thread_ts !== undefined) throw new HttpError(404, "That thread is not in this channel.");
    }
    const escaped = slackEscape(text);
    const posted = api.postUserMessage({ channel, user, text: escaped, ...(threadTs ? { thread_ts: threadTs } : {}) });
    const event = messageEvent({ channel, user, text: escaped, ts: posted.ts, channel_type: "channel", ...(threadTs ? { thread_ts: threadTs } : {}) });
    await forward("message event", eventCallbackRequest(o.signingSecret, event, {}, ws));
    return { ok: true, kind: "message", ts: posted.ts };
  }

  const submit = viewSubmitter({ views: () => api.views(), signingSecret: o.signingSecret, user, ws, forward });

  return [
    route("/", "GET", (_req, res) => serveFile(res, "index.html")),
    route("/page/:file", "GET", (req, res) => serveFile(res, String((req as IncomingMessage & { params?: Record<string, string> }).params?.file ?? ""))),
    route("/local/info", "GET", (_req, res) => sendJson(res, 200, { ok: true, ...info })),
    route("/local/knowledge", "GET", (_req, res) => sendJson(res, 200, { ok: true, ...(o.knowledge?.() ?? { version: 0, problems: [], articles: info.articles.length }) })),
    route("/local/messages", "GET", (_req, res) => sendJson(res, 200, { ok: true, seq: api.lastSeq, messages: api.messages({ channel }).filter(visible) })),

    route("/local/stream", "GET", (req, res) => {
      // Changes after `since` (the snapshot's seq) or, when the browser reconnects, after Last-Event-ID.
      const url = new URL(req.url ?? "/", "http://localhost");
      const since = Number(req.headers["last-event-id"] ?? url.searchParams.get("since") ?? "0") || 0;
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
      const write = (c: Change): void => {
        if (visible(c.message)) res.write(`id: ${c.seq}\ndata: ${JSON.stringify(c)}\n\n`);
      };
      res.write("retry: 1000\n: connected\n\n");
      for (const c of api.changesSince(since)) write(c);
      api.on("change", write);
      // Modals the bot opens (Details, "What was wrong?"): this page has one person, so every view is theirs.
      const writeView = (v: OpenedView): void => void res.write(`event: view\ndata: ${JSON.stringify(v)}\n\n`);
      api.on("view", writeView);
      const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), SSE_KEEPALIVE_MS);
      res.on("close", () => {
        clearInterval(keepAlive);
        api.off("change", write);
        api.off("view", writeView);
      });
    }),

    route("/local/send", "POST", async (req, res) => {
      const body = await readJson(req);
      const text = typeof body.text === "string" ? body.text : "";
      const threadTs = typeof body.thread_ts === "string" && body.thread_ts ? body.thread_ts : undefined;
      if (!text.trim()) throw new HttpError(400, "Type something first.");
      if (text.length > MAX_MESSAGE_CHARS) throw new HttpError(413, `Slack does not take messages over ${MAX_MESSAGE_CHARS.toLocaleString("en")} characters; this one has ${text.length.toLocaleString("en")}.`);
      // As in Slack, a slash command typed in a thread still goes to the channel's command handler.
      sendJson(res, 200, /^\s*\/\S/.test(text) ? await slashCommand(text) : await message(text, threadTs));
    }),

    route("/local/click", "POST", async (req, res) => {
      const body = await readJson(req);
      const ts = typeof body.ts === "string" ? body.ts : "";
      const blockIndex = typeof body.block === "number" ? body.block : -1;
      const elementRef = body.element === "accessory" ? "accessory" : typeof body.element === "number" ? body.element : -1;
      const msg = api.message(channel, ts);
      if (!msg || msg.deleted || !visible(msg)) throw new HttpError(404, "That message is gone.");
      // The button is read from the message the bot posted, never from the page: its value cannot be forged here.
      const block = (msg.blocks as Record<string, unknown>[])[blockIndex];
      const el = (elementRef === "accessory" ? block?.accessory : Array.isArray(block?.elements) ? (block.elements as unknown[])[elementRef as number] : undefined) as
        | { type?: unknown; action_id?: unknown; value?: unknown; text?: { text?: unknown } }
        | undefined;
      if (!block || !el || el.type !== "button" || typeof el.action_id !== "string" || el.action_id !== body.action_id) {
        throw new HttpError(409, "That button changed before the click arrived. Try again.");
      }
      const ephemeral = msg.ephemeral_to !== undefined;
      const responseUrl = api.newResponseUrl({ channel, user, messageTs: msg.ts });
      const signed = blockActionRequest(
        o.signingSecret,
        {
          action_id: el.action_id,
          value: typeof el.value === "string" ? el.value : "",
          // Slack gives every block an id; a block posted without one gets a stable one here.
          block_id: typeof block.block_id === "string" ? block.block_id : `local-${blockIndex}`,
          text: typeof el.text?.text === "string" ? el.text.text : "",
          user_id: user,
          channel_id: channel,
          message: { ts: msg.ts, text: msg.text, blocks: msg.blocks, ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}) },
          ephemeral,
          response_url: responseUrl,
        },
        ws,
      );
      await forward("button click", signed);
      sendJson(res, 200, { ok: true });
    }),

    // "Send" on a modal: the signed view_submission Slack would send (page-views.ts).
    route("/local/submit", "POST", async (req, res) => sendJson(res, 200, await submit(await readJson(req)))),
  ];
}
