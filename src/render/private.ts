// An answer only the asker sees (the "Explain this Exchange error" shortcut), with a button that shares it
// in the thread of the message it explains.
import { stepsOf } from "../knowledge/steps.js";
import type { Match } from "../match/types.js";
import { ACTION, BLOCK, actionId } from "./actions.js";
import { detailsBlocks, fallback, headBlocks, renderSteps, type AnswerContext } from "./answer.js";
import { actions, button, context, packMessages, type SlackMessage } from "./blocks.js";

export interface ShareValue {
  article: string;
  /** The thread to share into: the explained message's thread, or the message itself when it is a parent. */
  threadTs: string;
  /** The explained message is a reply in that thread (private notices go there, not to the channel). */
  inThread?: boolean;
}

export function encodeShareValue(v: ShareValue): string {
  return JSON.stringify({ a: v.article, t: v.threadTs, ...(v.inThread ? { r: 1 } : {}) });
}

export function decodeShareValue(s: string | undefined): ShareValue | undefined {
  if (!s || s.length > 200) return undefined;
  try {
    const o = JSON.parse(s) as { a?: unknown; t?: unknown; r?: unknown };
    if (typeof o.a === "string" && typeof o.t === "string" && /^\d{1,12}\.\d{1,8}$/.test(o.t)) return { article: o.a, threadTs: o.t, ...(o.r === 1 ? { inThread: true } : {}) };
  } catch {
    // not ours
  }
  return undefined;
}

export function renderPrivateAnswer(m: Match, threadTs: string, ctx: AnswerContext = {}): SlackMessage[] {
  return packMessages(
    [
      context("Only you can see this answer. *Share in thread* posts it under the message for everyone."),
      ...headBlocks(m, undefined, ctx),
      ...renderSteps(stepsOf(m.article)),
      ...detailsBlocks(m.article),
      ...actions([button("Share in thread", actionId(ACTION.share, 0), encodeShareValue({ article: m.article.id, threadTs }), "primary")], BLOCK.share),
    ],
    fallback(m.article),
  );
}
