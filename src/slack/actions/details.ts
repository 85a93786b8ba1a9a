// "Details": the article's long form in a modal for the person who clicked. If Slack will not open it
// (the click's trigger expired, say) the same text comes to them as a private message where they clicked.
import type { App } from "@slack/bolt";
import { ACTION } from "../../render/actions.js";
import { renderDetailsMessage, renderDetailsModal } from "../../render/details.js";
import { notify } from "../notify.js";
import { slackErrorCode } from "../post.js";
import type { BotServices } from "../services.js";
import { clicked } from "./payload.js";

export function registerDetailsAction(app: App, svc: BotServices): void {
  app.action({ type: "block_actions", action_id: new RegExp(`^${ACTION.details}(:|$)`) }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const c = clicked(body, action);
    const a = c.value ? svc.knowledge.byId(c.value) : undefined;
    const where = { channel: c.channel, userId: c.userId, threadTs: c.replyIn, ephemeral: c.ephemeral };
    if (!a) {
      await notify(client, respond, where, { text: "That article is no longer in the knowledge base.", blocks: [] });
      return;
    }
    if (c.triggerId) {
      try {
        await client.views.open({ trigger_id: c.triggerId, view: renderDetailsModal(a) });
        svc.log({ event: "details", via: "modal", article: a.id, user: c.userId, channel: c.channel });
        return;
      } catch (err) {
        svc.log({ event: "details", via: "message", reason: slackErrorCode(err) ?? "views.open failed", article: a.id, user: c.userId, channel: c.channel });
      }
    }
    for (const m of renderDetailsMessage(a)) await notify(client, respond, where, m);
  });
}
