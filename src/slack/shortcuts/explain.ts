// The "Explain this Exchange error" message shortcut (callback_id explain_error): the message's text is looked
// up as /exchange would, and the answer goes to the person alone, where the message is, with a button that
// shares it in the message's thread.
import type { App } from "@slack/bolt";
import { renderPrivateAnswer } from "../../render/private.js";
import { renderNoMatch, renderPickList } from "../../render/replies.js";
import { matchWithFeedback } from "../../feedback/rank.js";
import { recordAnswered } from "../answered.js";
import { notify } from "../notify.js";
import type { BotServices } from "../services.js";

export const EXPLAIN_CALLBACK_ID = "explain_error";

interface MessageShortcut {
  user?: { id?: string };
  channel?: { id?: string };
  message?: { ts?: string; thread_ts?: string; text?: string };
}

export function registerExplainShortcut(app: App, svc: BotServices): void {
  app.shortcut({ type: "message_action", callback_id: EXPLAIN_CALLBACK_ID }, async ({ ack, shortcut, client, respond, context }) => {
    await ack();
    const s = shortcut as unknown as MessageShortcut;
    const channel = s.channel?.id;
    const userId = s.user?.id;
    const ts = s.message?.ts;
    if (!channel || !userId || !ts) return;
    const where = { channel, userId, threadTs: s.message?.thread_ts };
    const bot = typeof context.botUserId === "string" ? context.botUserId : undefined;
    const raw = s.message?.text ?? "";
    const text = bot ? raw.split(`<@${bot}>`).join(" ") : raw;
    if (!text.trim()) {
      await notify(client, respond, where, { text: "That message has no text I can read. Paste the error itself, or try /exchange with its event ID.", blocks: [] });
      return;
    }
    const { result, matchedOn } = await matchWithFeedback(svc.knowledge.matcher, svc.feedbackStore, text, "command");
    const best = result.matches[0];
    if (result.decision === "answer" && best) {
      const msgs = renderPrivateAnswer(best, s.message?.thread_ts ?? ts, { byId: (id) => svc.knowledge.byId(id) });
      for (const m of msgs) await notify(client, respond, where, m);
      await recordAnswered(svc, best.article.id, { via: "shortcut", ...(matchedOn ? { matchedOn } : {}) });
    } else if (result.decision === "ambiguous" && result.matches.length) {
      await notify(client, respond, where, renderPickList(text, result.matches));
    } else {
      await notify(client, respond, where, renderNoMatch(text, result.matches, svc.command));
    }
    svc.log({ event: "explain", decision: result.decision, article: best?.article.id, user: userId, channel });
  });
}
