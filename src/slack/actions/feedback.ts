// "Did this help? Yes / No": each person's vote counts once per answer and can be changed; the buttons stay
// for everyone and the message shows the count. "No" also opens a small modal asking what was wrong
// (optional; its submission is views/feedback-reason.ts). Votes go to the feedback store (DATA_DIR's file, or
// Redis shared by every replica when REDIS_URL is set), which keeps them and counts them, and to the shared
// feedback trail.
import type { App } from "@slack/bolt";
import { ACTION, actionKind } from "../../render/actions.js";
import type { Block } from "../../render/blocks.js";
import { reasonModal, withFeedbackCount } from "../../render/feedback.js";
import { blocksOf } from "../post.js";
import type { BotServices } from "../services.js";
import { clicked } from "./payload.js";

export function registerFeedbackActions(app: App, svc: BotServices): void {
  app.action({ type: "block_actions", action_id: new RegExp(`^(${ACTION.feedbackYes}|${ACTION.feedbackNo})(:|$)`) }, async ({ ack, body, action, client, respond, logger }) => {
    await ack();
    const c = clicked(body, action);
    const helpful = actionKind(c.actionId) === ACTION.feedbackYes;
    // The value is the article id we wrote; record it only if it still names an article.
    const article = c.value ? svc.knowledge.byId(c.value) : undefined;
    const rec = { event: "feedback", helpful, article: article?.id ?? "unknown", user: c.userId, channel: c.channel, message_ts: c.messageTs };
    svc.log(rec);
    // The shared trail (a Redis stream when REDIS_URL is set) gets every vote as it did; the store below keeps the counts.
    await svc.feedback.append({ at: new Date().toISOString(), ...rec }).catch(() => undefined);
    if (!article || !c.userId) return;
    // One vote per person per answer: the answer is the message the buttons sit on (a private answer has no ts).
    const answer = !c.ephemeral && c.channel && c.messageTs ? `${c.channel}/${c.messageTs}` : `private/${c.userId}/${article.id}`;
    const triggerId = (body as { trigger_id?: unknown }).trigger_id;
    // The modal first: a trigger_id is good for three seconds only.
    if (!helpful && typeof triggerId === "string") {
      await client.views
        .open({ trigger_id: triggerId, view: reasonModal({ article: article.id, answer }, article.title) })
        .catch((err: unknown) => logger.warn(`could not open the feedback modal: ${err instanceof Error ? err.message : String(err)}`));
    }
    const matchedOn = await svc.feedbackStore.matchedOnOf(answer);
    await svc.feedbackStore.append({ type: "vote", at: new Date().toISOString(), article: article.id, user: c.userId, helpful, answer, ...(matchedOn ? { matchedOn } : {}) });
    const blocks = withFeedbackCount(c.blocks, await svc.feedbackStore.votesOn(answer));
    try {
      if (!c.ephemeral && c.channel && c.messageTs) {
        await client.chat.update({ channel: c.channel, ts: c.messageTs, text: c.text || "Did this help?", blocks: blocksOf({ text: "", blocks }) });
      } else {
        await respond({ replace_original: true, text: c.text || "Did this help?", blocks: blocksOf({ text: "", blocks }) });
      }
    } catch (err) {
      logger.warn(`could not show the feedback count: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}
