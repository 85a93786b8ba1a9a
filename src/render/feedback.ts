// "Did this help?": the running count under the buttons, and the modal that asks what was wrong.
import type { ModalView } from "@slack/types";
import type { VoteCount } from "../feedback/tally.js";
import { MAX_REASON_CHARS } from "../feedback/records.js";
import { BLOCK } from "./actions.js";
import { context, type Block } from "./blocks.js";
import { escapeMrkdwn } from "./escape.js";

/** The block under the buttons that says how people voted. */
export const FEEDBACK_COUNT_BLOCK = "feedback_count";
/** callback_id of the "what was wrong?" modal; its submission carries the answer in private_metadata. */
export const REASON_CALLBACK = "feedback_reason";
export const REASON_BLOCK = "reason";
export const REASON_INPUT = "text";

export function feedbackCountText(c: VoteCount): string {
  const yes = `${c.helpful} found this helpful`;
  const no = `${c.unhelpful} did not`;
  return `${yes} · ${no} · click again to change your vote`;
}

/**
 * The message with its count line set to `count`: placed right after the Yes/No buttons, replacing the
 * previous count. The buttons stay, so everyone can vote and change their vote.
 */
export function withFeedbackCount(blocks: readonly Block[], count: VoteCount): Block[] {
  const line = context(feedbackCountText(count), FEEDBACK_COUNT_BLOCK);
  const out: Block[] = [];
  let placed = false;
  for (const b of blocks) {
    const id = typeof b.block_id === "string" ? b.block_id : "";
    if (id === FEEDBACK_COUNT_BLOCK) continue;
    out.push(b);
    if (!placed && (id === BLOCK.feedback || id.startsWith(`${BLOCK.feedback}.`))) {
      out.push(line);
      placed = true;
    }
  }
  if (!placed) out.push(line);
  return out;
}

export interface ReasonMeta {
  article: string;
  /** channel/ts of the answer voted on. */
  answer: string;
}

export function encodeReasonMeta(m: ReasonMeta): string {
  return JSON.stringify({ a: m.article, m: m.answer });
}

/** private_metadata comes back from Slack inside a signed payload, but is still read defensively. */
export function decodeReasonMeta(s: unknown): ReasonMeta | undefined {
  if (typeof s !== "string" || s.length > 3000) return undefined;
  try {
    const o = JSON.parse(s) as { a?: unknown; m?: unknown };
    if (typeof o.a === "string" && typeof o.m === "string" && o.a && o.m) return { article: o.a, answer: o.m };
  } catch {
    // not ours
  }
  return undefined;
}

/** views.open's `view`: a short modal with one optional free-text field. */
export function reasonModal(meta: ReasonMeta, articleTitle: string): ModalView {
  return {
    type: "modal",
    callback_id: REASON_CALLBACK,
    private_metadata: encodeReasonMeta(meta),
    title: { type: "plain_text", text: "What was wrong?" },
    submit: { type: "plain_text", text: "Send" },
    close: { type: "plain_text", text: "Skip" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `Noted that *${escapeMrkdwn(articleTitle.slice(0, 200))}* did not help. What was wrong? This is optional; whatever you write goes to the people who keep the knowledge base.` } },
      {
        type: "input",
        block_id: REASON_BLOCK,
        optional: true,
        label: { type: "plain_text", text: "What was wrong" },
        element: { type: "plain_text_input", action_id: REASON_INPUT, multiline: true, max_length: MAX_REASON_CHARS, placeholder: { type: "plain_text", text: "Wrong article, a step that did not work, something missing..." } },
      },
    ],
  };
}
