// The Web API methods the stand-in answers, one entry a method: each takes the call's parameters and
// answers what Slack would. More methods (a Socket Mode stand-in's apps.connections.open, say) are added
// by passing them to startWebApi({ methods }).
import { blocksParam } from "./block-check.js";
import type { MessageStore, RecordedMessage } from "./message-store.js";
import { VIEW_AND_GROUP_METHODS } from "./webapi-views.js";

export type Params = Record<string, unknown>;

/** Who the stand-in says the bot is, and where it runs. */
export interface WorkspaceIdentity {
  origin: string;
  botUserId: string;
  botId: string;
  teamId: string;
  teamName: string;
}

export interface MethodContext {
  store: MessageStore;
  identity: WorkspaceIdentity;
  /** Channels the bot was never invited to: chat.postMessage there answers not_in_channel. */
  notInChannel: ReadonlySet<string>;
  /** User group id (S…) to its members' user ids, for usergroups.users.list. */
  usergroups: ReadonlyMap<string, readonly string[]>;
}

/** Answers one call; `ok: false` with Slack's error string when Slack would refuse it. */
export type WebApiMethod = (params: Params, ctx: MethodContext) => Record<string, unknown>;

export function str(p: Params, k: string): string | undefined {
  return typeof p[k] === "string" && p[k] !== "" ? (p[k] as string) : undefined;
}

function post(method: "chat.postMessage" | "chat.postEphemeral"): WebApiMethod {
  return (p, { store, identity, notInChannel }) => {
    const channel = str(p, "channel");
    if (!channel) return { ok: false, error: "channel_not_found" };
    if (notInChannel.has(channel)) return { ok: false, error: "not_in_channel" };
    const checked = blocksParam(p.blocks);
    if (!checked.ok) return checked;
    const blocks = checked.blocks;
    const text = str(p, "text") ?? "";
    if (!text && !blocks?.length) return { ok: false, error: "no_text" };
    const ephemeralTo = method === "chat.postEphemeral" ? str(p, "user") : undefined;
    if (method === "chat.postEphemeral" && !ephemeralTo) return { ok: false, error: "user_not_in_channel" };
    const threadTs = str(p, "thread_ts");
    const msg: RecordedMessage = {
      channel,
      ts: store.nextTs(),
      text,
      blocks: blocks ?? [],
      user: identity.botUserId,
      bot_id: identity.botId,
      via: method,
      edits: 0,
      deleted: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(ephemeralTo ? { ephemeral_to: ephemeralTo } : {}),
    };
    store.add(msg);
    if (ephemeralTo) return { ok: true, message_ts: msg.ts };
    return {
      ok: true,
      channel,
      ts: msg.ts,
      message: { type: "message", user: msg.user, bot_id: msg.bot_id, text: msg.text, blocks: msg.blocks, ts: msg.ts, ...(threadTs ? { thread_ts: threadTs } : {}) },
    };
  };
}

export const WEB_API_METHODS: Readonly<Record<string, WebApiMethod>> = {
  "api.test": () => ({ ok: true }),

  "auth.test": (_p, { identity }) => ({
    ok: true,
    url: `${identity.origin}/`,
    team: identity.teamName,
    user: "exchange-bot",
    team_id: identity.teamId,
    user_id: identity.botUserId,
    bot_id: identity.botId,
    is_enterprise_install: false,
  }),

  "chat.postMessage": post("chat.postMessage"),
  "chat.postEphemeral": post("chat.postEphemeral"),

  // What a replica that takes over a dead one's work reads to see what was already posted in a thread, and
  // what a probe ending reads to relabel its button on the message as it is now.
  "conversations.replies": (p, { store }) => {
    const channel = str(p, "channel");
    const ts = str(p, "ts");
    if (!channel || !ts) return { ok: false, error: "thread_not_found" };
    const messages = store
      .messages({ channel, thread_ts: ts })
      .filter((m) => !m.ephemeral_to)
      .map((m) => ({ type: "message", ts: m.ts, text: m.text, blocks: m.blocks, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}), ...(m.user ? { user: m.user } : {}), ...(m.bot_id ? { bot_id: m.bot_id } : {}) }));
    return { ok: true, messages, has_more: false };
  },
  "chat.update": (p, { store }) => {
    const channel = str(p, "channel");
    const ts = str(p, "ts");
    if (!channel) return { ok: false, error: "channel_not_found" };
    const msg = ts ? store.message(channel, ts) : undefined;
    if (!msg || msg.deleted || msg.via === "user") return { ok: false, error: msg?.via === "user" ? "cant_update_message" : "message_not_found" };
    const checked = blocksParam(p.blocks);
    if (!checked.ok) return checked;
    if (checked.blocks) msg.blocks = checked.blocks;
    const text = str(p, "text");
    if (text !== undefined) msg.text = text;
    msg.edits++;
    store.changed("updated", msg);
    return { ok: true, channel, ts: msg.ts, text: msg.text, message: { text: msg.text, blocks: msg.blocks } };
  },

  "chat.delete": (p, { store }) => {
    const channel = str(p, "channel");
    const ts = str(p, "ts");
    const msg = channel && ts ? store.message(channel, ts) : undefined;
    if (!msg || msg.deleted) return { ok: false, error: "message_not_found" };
    msg.deleted = true;
    store.changed("deleted", msg);
    return { ok: true, channel, ts };
  },

  ...VIEW_AND_GROUP_METHODS,
};
