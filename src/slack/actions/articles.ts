// Choosing an article: from a pick list or no-match suggestions (posts the answer in the channel), or from
// a probe diagnosis (posts it in the probe's thread, unless that thread already has it).
import type { App } from "@slack/bolt";
import type { Article } from "../../knowledge/schema.js";
import type { Match } from "../../match/types.js";
import { ACTION } from "../../render/actions.js";
import { renderAlreadyAnswered } from "../../render/replies.js";
import { notify } from "../notify.js";
import { postCommandAnswer, postThreadAnswer } from "../post.js";
import type { BotServices } from "../services.js";
import { clicked } from "./payload.js";

function chosen(a: Article): Match {
  return { article: a, score: 1, evidence: [] };
}

export function registerArticleActions(app: App, svc: BotServices): void {
  app.action({ type: "block_actions", action_id: new RegExp(`^${ACTION.pick}(:|$)`) }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const c = clicked(body, action);
    const a = c.value ? svc.knowledge.byId(c.value) : undefined;
    if (!a || !c.channel) {
      await respond({ response_type: "ephemeral", replace_original: false, text: "That article is no longer in the knowledge base." });
      return;
    }
    const where = await postCommandAnswer(client, svc, c.channel, chosen(a), respond, "Chosen from the list");
    svc.log({ event: "pick", article: a.id, user: c.userId, channel: c.channel });
    // The pick list was only for the person who asked; once answered in the channel it has done its job.
    if (where === "posted") await respond({ delete_original: true }).catch(() => undefined);
  });

  app.action({ type: "block_actions", action_id: new RegExp(`^${ACTION.show}(:|$)`) }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const c = clicked(body, action);
    const a = c.value ? svc.knowledge.byId(c.value) : undefined;
    if (!a || !c.channel || !c.threadTs) return;
    const posted = await postThreadAnswer(client, svc, c.channel, c.threadTs, chosen(a), { note: "Named by the probe's diagnosis", origin: { via: "diagnosis" } });
    if (!posted) await notify(client, respond, { channel: c.channel, userId: c.userId, threadTs: c.threadTs, ephemeral: c.ephemeral }, renderAlreadyAnswered(a.id));
  });
}
