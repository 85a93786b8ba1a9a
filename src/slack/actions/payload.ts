// The parts of a block_actions payload the handlers read, pulled out defensively.
import type { Block } from "../../render/limits.js";

export interface Clicked {
  userId: string | undefined;
  channel: string | undefined;
  /** The message the button sat on (absent for ephemeral messages). */
  messageTs: string | undefined;
  /** The thread that message lives in: its thread_ts, or its own ts when it is a parent. */
  threadTs: string | undefined;
  /** The clicked message's own thread_ts: set only when it is a reply in a thread (where a notice belongs). */
  replyIn: string | undefined;
  /** For opening a modal (views.open), valid for 3 seconds after the click. */
  triggerId: string | undefined;
  ephemeral: boolean;
  /** As Slack sends them back: the blocks this bot wrote, read defensively where they are taken apart. */
  blocks: Block[];
  text: string;
  value: string | undefined;
  actionId: string;
}

interface RawBody {
  trigger_id?: string;
  user?: { id?: string };
  channel?: { id?: string };
  container?: { channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts?: string; thread_ts?: string; blocks?: unknown; text?: string };
}

export function clicked(body: unknown, action: unknown): Clicked {
  const b = (body ?? {}) as RawBody;
  const a = (action ?? {}) as { value?: unknown; action_id?: unknown };
  const messageTs = b.message?.ts ?? b.container?.message_ts;
  const ephemeral = Boolean(b.container?.is_ephemeral) || !b.message;
  return {
    userId: b.user?.id,
    channel: b.channel?.id ?? b.container?.channel_id,
    messageTs,
    threadTs: b.message?.thread_ts ?? b.container?.thread_ts ?? messageTs,
    replyIn: b.message?.thread_ts ?? b.container?.thread_ts,
    triggerId: typeof b.trigger_id === "string" ? b.trigger_id : undefined,
    ephemeral,
    blocks: Array.isArray(b.message?.blocks) ? (b.message.blocks as Block[]) : [],
    text: typeof b.message?.text === "string" ? b.message.text : "",
    value: typeof a.value === "string" ? a.value : undefined,
    actionId: typeof a.action_id === "string" ? a.action_id : "",
  };
}
