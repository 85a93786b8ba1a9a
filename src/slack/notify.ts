// Notices for one person, where they clicked: "not allowed", "already answered", rate limits. An ephemeral
// message through chat.postEphemeral carries the thread it belongs to; Slack shows a response_url reply at
// the foot of the channel instead, so that path is kept only for clicks on ephemeral messages (which have
// no thread to name) and for when the bot may not post in the conversation.
import type { RespondFn } from "@slack/bolt";
import type { SlackMessage } from "../render/blocks.js";
import { blocksOf, cannotPostHere, type Client } from "./post.js";

export interface NoticeTarget {
  channel: string | undefined;
  userId: string | undefined;
  /** The thread the click or message sits in, when it is a reply in one. */
  threadTs: string | undefined;
  /** True when the click was on an ephemeral message. */
  ephemeral?: boolean;
}

export async function notify(client: Client, respond: RespondFn | undefined, t: NoticeTarget, m: SlackMessage): Promise<void> {
  if (t.channel && t.userId && !t.ephemeral) {
    try {
      await client.chat.postEphemeral({ channel: t.channel, user: t.userId, text: m.text, blocks: blocksOf(m), ...(t.threadTs ? { thread_ts: t.threadTs } : {}) });
      return;
    } catch (err) {
      if (!respond || !cannotPostHere(err)) throw err;
    }
  }
  await respond?.({ response_type: "ephemeral", replace_original: false, text: m.text, blocks: blocksOf(m) });
}
