// "Did this help? Yes / No": one structured log line per answer, and the buttons turn into a thank-you.
import type { App } from "@slack/bolt";
import { ACTION, actionKind } from "../../render/actions.js";
import type { Block } from "../../render/blocks.js";
import { withFeedbackThanks } from "../../render/replies.js";
import { blocksOf } from "../post.js";
import type { BotServices } from "../services.js";
import { clicked } from "./payload.js";

export function registerFeedbackActions(app: App, svc: BotServices): void {
  app.action({ type: "block_actions", action_id: new RegExp(`^(${ACTION.feedbackYes}|${ACTION.feedbackNo})(:|$)`) }, async ({ ack, body, action, client, respond, logger }) => {
    await ack();
    const c = clicked(body, action);
    const helpful = actionKind(c.actionId) === ACTION.feedbackYes;
    // The value is the article id we wrote; record it only if it still names an article.
    const article = c.value ? svc.knowledge.byId(c.value)?.id : undefined;
    const rec = { event: "feedback", helpful, article: article ?? "unknown", user: c.userId, channel: c.channel, message_ts: c.messageTs };
    svc.log(rec);
    await svc.feedback.append({ at: new Date().toISOString(), ...rec }).catch(() => undefined);
    const blocks = withFeedbackThanks(c.blocks as Block[], helpful, c.userId);
    try {
      if (!c.ephemeral && c.channel && c.messageTs) {
        await client.chat.update({ channel: c.channel, ts: c.messageTs, text: c.text || "Thanks for the feedback", blocks: blocksOf({ text: "", blocks }) });
      } else {
        await respond({ replace_original: true, text: "Thanks for the feedback", blocks: blocksOf({ text: "", blocks }) });
      }
    } catch (err) {
      logger.warn(`could not thank for feedback: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}
