// Posting rendered answers: the only place that turns SlackMessage values into Web API calls.
import type { RespondFn, types, webApi } from "@slack/bolt";
import type { Match } from "../match/types.js";
import type { SlackMessage } from "../render/blocks.js";
import { renderCommandAnswer, renderNotInChannel, renderThreadAnswer, type AnswerContext } from "../render/answer.js";
import type { BotMemory, BotServices } from "./services.js";

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
  mem: BotMemory,
  channel: string,
  m: Match,
  respond: RespondFn | undefined,
  note?: string,
  asked?: AnswerContext["asked"],
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
    svc.log({ event: "answer", via: "ephemeral", reason, article: m.article.id, channel });
    return "ephemeral";
  }
  mem.threads.claim(channel, parentTs, m.article.id);
  for (const t of thread) await post(client, channel, t, parentTs);
  svc.log({ event: "answer", via: "command", article: m.article.id, channel, ts: parentTs });
  return "posted";
}

/**
 * An answer in a thread (a paste, or an article named by a probe). Returns false when that article is
 * already in the thread. If nothing could be posted the claim is released so a redelivery can try again.
 */
export async function postThreadAnswer(client: Client, svc: BotServices, mem: BotMemory, channel: string, threadTs: string, m: Match, note?: string): Promise<boolean> {
  if (!mem.threads.claim(channel, threadTs, m.article.id)) return false;
  const msgs = renderThreadAnswer(m, svc.probe.hosts, note, { byId: (id) => svc.knowledge.byId(id) });
  let posted = 0;
  try {
    for (const msg of msgs) {
      await post(client, channel, msg, threadTs);
      posted++;
    }
  } catch (err) {
    if (posted === 0) mem.threads.release(channel, threadTs, m.article.id);
    throw err;
  }
  return true;
}
