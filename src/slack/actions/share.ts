// "Share in thread" under a private answer: the answer is posted for everyone in the thread of the message
// it explains, and the private copy goes away. A thread that has it already gets a private notice instead.
import type { App } from "@slack/bolt";
import { ACTION } from "../../render/actions.js";
import { decodeShareValue } from "../../render/private.js";
import { renderAlreadyAnswered } from "../../render/replies.js";
import { notify } from "../notify.js";
import { postThreadAnswer } from "../post.js";
import type { BotServices } from "../services.js";
import { clicked } from "./payload.js";

export function registerShareAction(app: App, svc: BotServices): void {
  app.action({ type: "block_actions", action_id: new RegExp(`^${ACTION.share}(:|$)`) }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const c = clicked(body, action);
    const v = decodeShareValue(c.value);
    const a = v ? svc.knowledge.byId(v.article) : undefined;
    if (!v || !a || !c.channel) {
      await respond({ response_type: "ephemeral", replace_original: false, text: "That answer can no longer be shared." }).catch(() => undefined);
      return;
    }
    const posted = await postThreadAnswer(client, svc, c.channel, v.threadTs, { article: a, score: 1, evidence: [] }, { note: "Shared from a private answer", origin: null });
    svc.log({ event: posted ? "shared" : "already_answered", article: a.id, user: c.userId, channel: c.channel, thread_ts: v.threadTs });
    if (posted) await respond({ delete_original: true }).catch(() => undefined);
    else await notify(client, respond, { channel: c.channel, userId: c.userId, threadTs: v.threadTs }, renderAlreadyAnswered(a.id));
  });
}
