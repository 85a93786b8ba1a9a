// "Answered" records for the feedback trail: which article, how it was asked for, and the message that
// carries its Yes/No buttons (votes on that message are votes on this answer).
import type { AnsweredVia } from "../feedback/records.js";
import { BLOCK } from "../render/actions.js";
import type { SlackMessage } from "../render/blocks.js";
import type { BotServices } from "./services.js";

/** How an answer came about, passed down to the code that posts it. */
export interface AnswerOrigin {
  via: AnsweredVia;
  /** What the matcher matched on (see feedback/rank.ts); absent when the article was chosen, not matched. */
  matchedOn?: string;
}

/** The index of the message that holds the feedback buttons, or -1. */
export function feedbackMessageIndex(msgs: readonly SlackMessage[]): number {
  return msgs.findIndex((m) => m.blocks.some((b) => typeof b.block_id === "string" && (b.block_id === BLOCK.feedback || b.block_id.startsWith(`${BLOCK.feedback}.`))));
}

/** Appends the record; a store that fails is logged, never allowed to fail the answer already posted. */
export async function recordAnswered(svc: BotServices, article: string, origin: AnswerOrigin, answer?: string): Promise<void> {
  try {
    await svc.feedbackStore.append({
      type: "answered",
      at: new Date().toISOString(),
      article,
      via: origin.via,
      ...(answer ? { answer } : {}),
      ...(origin.matchedOn ? { matchedOn: origin.matchedOn } : {}),
    });
  } catch (err) {
    svc.log({ event: "error", where: "feedback", error: err instanceof Error ? err.message : String(err) });
  }
}
