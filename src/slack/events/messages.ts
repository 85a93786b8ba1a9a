// Pasted errors: every message the bot can see (channels, private channels, DMs) and every mention.
// The bot answers only when the matcher says `answer` in channel mode, and only once per message and thread.
import type { AllMiddlewareArgs, App } from "@slack/bolt";
import { findCredentials, KIND_WORDS } from "../../secrets/credentials.js";
import { renderCredentialWarning } from "../../render/replies.js";
import { notify } from "../notify.js";
import { matchWithFeedback } from "../../feedback/rank.js";
import { postThreadAnswer } from "../post.js";
import { afterPendingAcks } from "../after-acks.js";
import type { BotServices } from "../services.js";

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
  retryNum: number | undefined;
  botUserId: string | undefined;
  client: AllMiddlewareArgs["client"];
}

export async function handleMessage(svc: BotServices, d: Delivery): Promise<void> {
  const e = d.event;
  // Edits, deletions, joins, bot posts, thread broadcasts...: only plain messages from people are pastes.
  if (e.subtype !== undefined || e.bot_id || !e.user || e.user === d.botUserId) return;
  if (!e.channel || !e.ts || typeof e.text !== "string") return;
  const text = d.botUserId ? e.text.split(`<@${d.botUserId}>`).join(" ") : e.text;
  if (!text.trim()) return;
  await warnAboutCredentials(svc, d, e, e.user, text);
  // Matching is pure and cheap, so every delivery matches; only an answer costs a claim in the shared store.
  const { result, matchedOn } = await matchWithFeedback(svc.knowledge.matcher, svc.feedbackStore, text, "channel");
  const best = result.matches[0];
  if (result.decision !== "answer" || !best) return;

  const channel = e.channel;
  const threadTs = e.thread_ts ?? e.ts;
  // One claim per message (channel/ts): a retry of the event, the same message as an app_mention, or either
  // reaching another replica finds it. A failure releases it (in once()), so a later delivery tries again.
  let posted = false;
  const outcome = await svc.claims.once(`${channel}/${e.ts}`, async (takeover) => {
    posted = await postThreadAnswer(d.client, svc, channel, threadTs, best, { follow: true, reconcile: takeover || Boolean(d.retryNum), origin: { via: "paste", ...(matchedOn ? { matchedOn } : {}) } });
  });
  if (outcome === "ran") svc.log({ event: posted ? "answer" : "already_answered", via: e.type ?? "message", article: best.article.id, channel, thread_ts: threadTs, ...(d.retryNum ? { retry: d.retryNum } : {}) });
}

/** A clear-text password in the paste: the poster alone is told, where they posted; the secret is never quoted. */
async function warnAboutCredentials(svc: BotServices, d: Delivery, e: IncomingMessage, user: string, text: string): Promise<void> {
  const kinds = findCredentials(text);
  // Once per message, whichever delivery or replica sees it first.
  if (!kinds.length || !(await svc.claims.first(`warned/${e.channel}/${e.ts}`))) return;
  try {
    await notify(d.client, undefined, { channel: e.channel, userId: user, threadTs: e.thread_ts }, renderCredentialWarning(kinds.map((k) => KIND_WORDS[k])));
    svc.log({ event: "credential_warning", kinds, user, channel: e.channel, ts: e.ts });
  } catch (err) {
    // The answer still matters more than the warning; say in the log that it could not be given.
    svc.log({ event: "error", where: "credential_warning", channel: e.channel, error: err instanceof Error ? err.message : String(err) });
  }
}

export function registerMessageEvents(app: App, svc: BotServices): void {
  const listener = async (args: { event: unknown; body: unknown; context: { retryNum?: number; botUserId?: string }; client: AllMiddlewareArgs["client"] }): Promise<void> => {
    // Bolt acked the event before this listener; the matching waits until other waiting acks are out.
    await afterPendingAcks();
    await handleMessage(svc, {
      event: args.event as IncomingMessage,
      retryNum: args.context.retryNum,
      botUserId: args.context.botUserId,
      client: args.client,
    });
  };
  app.event("message", listener);
  app.event("app_mention", listener);
}
