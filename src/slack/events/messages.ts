// Pasted errors: every message the bot can see (channels, private channels, DMs) and every mention.
// The bot answers only when the matcher says `answer` in channel mode, and only once per message and thread.
import type { AllMiddlewareArgs, App } from "@slack/bolt";
import { findCredentials, KIND_WORDS } from "../../secrets/credentials.js";
import { renderCredentialWarning } from "../../render/replies.js";
import { notify } from "../notify.js";
import { postThreadAnswer } from "../post.js";
import type { BotMemory, BotServices } from "../services.js";

/** Fields of a message or app_mention event this handler reads; everything else is ignored. */
interface IncomingMessage {
  type?: string;
  subtype?: string;
  channel?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
}

interface Delivery {
  event: IncomingMessage;
  eventId: string | undefined;
  retryNum: number | undefined;
  botUserId: string | undefined;
  client: AllMiddlewareArgs["client"];
}

export async function handleMessage(svc: BotServices, mem: BotMemory, d: Delivery): Promise<void> {
  const e = d.event;
  // Edits, deletions, joins, bot posts, thread broadcasts...: only plain messages from people are pastes.
  if (e.subtype !== undefined || e.bot_id || !e.user || e.user === d.botUserId) return;
  if (!e.channel || !e.ts || typeof e.text !== "string") return;
  // A redelivery of the same event, or the same message arriving as both `message` and `app_mention`.
  if (d.eventId && !mem.events.claim(d.eventId)) return;
  const key = `${e.channel}/${e.ts}`;
  if (!mem.messages.claim(key)) return;

  const text = d.botUserId ? e.text.split(`<@${d.botUserId}>`).join(" ") : e.text;
  if (!text.trim()) return;
  await warnAboutCredentials(svc, d, e, e.user, text);
  const result = svc.knowledge.matcher.match(text, "channel");
  const best = result.matches[0];
  if (result.decision !== "answer" || !best) return;

  const threadTs = e.thread_ts ?? e.ts;
  try {
    const posted = await postThreadAnswer(d.client, svc, mem, e.channel, threadTs, best);
    svc.log({ event: posted ? "answer" : "already_answered", via: e.type ?? "message", article: best.article.id, channel: e.channel, thread_ts: threadTs, ...(d.retryNum ? { retry: d.retryNum } : {}) });
  } catch (err) {
    // Nothing was posted. Slack will not redeliver because of this (Bolt acked the event before the listener
    // ran), but the same message may still arrive again (as an app_mention, or a retry of a late ack): forget
    // the claims so that delivery is answered instead of ignored.
    mem.messages.release(key);
    if (d.eventId) mem.events.release(d.eventId);
    throw err;
  }
}

/** A clear-text password in the paste: the poster alone is told, where they posted; the secret is never quoted. */
async function warnAboutCredentials(svc: BotServices, d: Delivery, e: IncomingMessage, user: string, text: string): Promise<void> {
  const kinds = findCredentials(text);
  if (!kinds.length) return;
  try {
    await notify(d.client, undefined, { channel: e.channel, userId: user, threadTs: e.thread_ts }, renderCredentialWarning(kinds.map((k) => KIND_WORDS[k])));
    svc.log({ event: "credential_warning", kinds, user, channel: e.channel, ts: e.ts });
  } catch (err) {
    // The answer still matters more than the warning; say in the log that it could not be given.
    svc.log({ event: "error", where: "credential_warning", channel: e.channel, error: err instanceof Error ? err.message : String(err) });
  }
}

export function registerMessageEvents(app: App, svc: BotServices, mem: BotMemory): void {
  const listener = async (args: { event: unknown; body: unknown; context: { retryNum?: number; botUserId?: string }; client: AllMiddlewareArgs["client"] }): Promise<void> => {
    const body = args.body as { event_id?: unknown };
    await handleMessage(svc, mem, {
      event: args.event as IncomingMessage,
      eventId: typeof body.event_id === "string" ? body.event_id : undefined,
      retryNum: args.context.retryNum,
      botUserId: args.context.botUserId,
      client: args.client,
    });
  };
  app.event("message", listener);
  app.event("app_mention", listener);
}
