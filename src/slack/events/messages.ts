// Pasted errors: every message the bot can see (channels, private channels, DMs) and every mention.
// The bot answers only when the matcher says `answer` in channel mode, and only once per message and thread.
import type { AllMiddlewareArgs, App } from "@slack/bolt";
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
