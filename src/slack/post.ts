// Posting rendered answers: the only place that turns SlackMessage values into Web API calls.
import type { RespondFn, types, webApi } from "@slack/bolt";
import type { Match } from "../match/types.js";
import type { SlackMessage } from "../render/blocks.js";
import { renderCommandAnswer, renderNotInChannel, renderThreadAnswer, type AnswerContext } from "../render/answer.js";
import { feedbackMessageIndex, recordAnswered, type AnswerOrigin } from "./answered.js";
import type { BotServices } from "./services.js";

export type Client = webApi.WebClient;

/** Slack's error code from a failed Web API call (not_in_channel, channel_not_found, ...). */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  if (data && typeof data.error === "string") return data.error;
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Errors that mean "the bot may not post here": answer the person privately instead. */
const CANNOT_POST = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action", "ekm_access_denied"]);

export function cannotPostHere(err: unknown): string | undefined {
  const code = slackErrorCode(err);
  return code && CANNOT_POST.has(code) ? code : undefined;
}

export function blocksOf(m: SlackMessage): (types.KnownBlock | types.Block)[] {
  return m.blocks as unknown as (types.KnownBlock | types.Block)[];
}

/** Posts one message; links in it are never unfurled (a pasted URL must not pull a preview in). */
export async function post(client: Client, channel: string, m: SlackMessage, threadTs?: string): Promise<string> {
  const r = await client.chat.postMessage({
    channel,
    text: m.text,
    blocks: blocksOf(m),
    unfurl_links: false,
    unfurl_media: false,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  if (!r.ts) throw new Error("chat.postMessage answered without a ts");
  return r.ts;
}

export async function respondAll(respond: RespondFn, msgs: SlackMessage[], extra: { replace_original?: boolean } = {}): Promise<void> {
  for (const [i, m] of msgs.entries()) {
    await respond({ response_type: "ephemeral", text: m.text, blocks: blocksOf(m), ...(i === 0 ? extra : {}) });
  }
}

/**
 * An /exchange answer: the parent in the channel, the steps in its thread. If the bot may not post in the
 * channel, the same answer goes privately to the person through response_url, with how to invite the bot.
 */
export async function postCommandAnswer(
  client: Client,
  svc: BotServices,
  channel: string,
  m: Match,
  respond: RespondFn | undefined,
  note?: string,
  asked?: AnswerContext["asked"],
  origin: AnswerOrigin = { via: "command" },
): Promise<"posted" | "ephemeral"> {
  const ctx: AnswerContext = { byId: (id) => svc.knowledge.byId(id), ...(asked ? { asked } : {}) };
  const { parent, thread } = renderCommandAnswer(m, svc.probe.hosts, note, ctx);
  let parentTs: string;
  try {
    parentTs = await post(client, channel, parent);
  } catch (err) {
    const reason = cannotPostHere(err);
    if (!reason || !respond) throw err;
    await respondAll(respond, renderNotInChannel(m, reason, note, ctx));
    // The bot has answered here, privately: its buttons on that answer work.
    await svc.claims.answeredIn(channel);
    svc.log({ event: "answer", via: "ephemeral", reason, article: m.article.id, channel });
    await recordAnswered(svc, m.article.id, origin);
    return "ephemeral";
  }
  await svc.claims.threadDone(channel, parentTs, m.article.id);
  await svc.claims.answeredIn(channel);
  const posted = [parentTs];
  for (const t of thread) posted.push(await post(client, channel, t, parentTs));
  svc.log({ event: "answer", via: "command", article: m.article.id, channel, ts: parentTs });
  const withButtons = posted[feedbackMessageIndex([parent, ...thread])];
  await recordAnswered(svc, m.article.id, origin, withButtons && `${channel}/${withButtons}`);
  return "posted";
}

/**
 * An answer in a thread (a paste, or an article named by a probe). Returns false when that article is
 * already in the thread. If nothing could be posted the claim is released so a redelivery can try again.
 */
export interface ThreadPostOptions {
  note?: string;
  /** Wait for another delivery posting the same article here (a message's follower), instead of giving up. */
  follow?: boolean;
  /** Another attempt may have posted part of this answer (a retry, or a takeover): read the thread first. */
  reconcile?: boolean;
  /** For the feedback trail; null when this is no answer of its own (a private answer shared in the thread). */
  origin?: AnswerOrigin | null;
}

/** Texts the bot already posted in a thread; empty when the thread cannot be read. */
async function botTextsInThread(client: Client, channel: string, threadTs: string): Promise<Set<string>> {
  try {
    const r = await client.conversations.replies({ channel, ts: threadTs, limit: 200 });
    return new Set((r.messages ?? []).filter((x) => x.bot_id && x.ts !== threadTs).map((x) => x.text ?? ""));
  } catch {
    return new Set();
  }
}

export async function postThreadAnswer(client: Client, svc: BotServices, channel: string, threadTs: string, m: Match, o: ThreadPostOptions = {}): Promise<boolean> {
  const owner = await svc.claims.takeThread(channel, threadTs, m.article.id, o.follow);
  if (!owner) return false;
  let msgs = renderThreadAnswer(m, svc.probe.hosts, o.note, { byId: (id) => svc.knowledge.byId(id) });
  if (o.reconcile) {
    // Parts an earlier attempt posted before it died are not posted again; the rest follow in order.
    const there = await botTextsInThread(client, channel, threadTs);
    let skip = 0;
    while (skip < msgs.length && there.has(msgs[skip]!.text)) skip++;
    msgs = msgs.slice(skip);
  }
  const posted: string[] = [];
  try {
    for (const msg of msgs) posted.push(await post(client, channel, msg, threadTs));
  } catch (err) {
    if (posted.length === 0) await svc.claims.releaseThread(channel, threadTs, m.article.id, owner).catch(() => undefined);
    else await svc.claims.threadDone(channel, threadTs, m.article.id).catch(() => undefined);
    throw err;
  }
  await svc.claims.threadDone(channel, threadTs, m.article.id);
  await svc.claims.answeredIn(channel);
  const origin = o.origin === undefined ? { via: "paste" as const } : o.origin;
  const withButtons = posted[feedbackMessageIndex(msgs)];
  if (origin) await recordAnswered(svc, m.article.id, origin, withButtons && `${channel}/${withButtons}`);
  return true;
}
