// The "Explain this Exchange error" message shortcut (callback_id explain_error): the message's text is looked
// up as /exchange would, and the answer goes to the person alone, where the message is, with a button that
// shares it in the message's thread. A vague message gets a pick list, private too, and so is the answer
// picked from it.
import type { App, RespondFn } from "@slack/bolt";
import { suggestIdentifiers } from "../../match/suggest.js";
import type { Match } from "../../match/types.js";
import { ACTION } from "../../render/actions.js";
import { decodeShareValue, renderPrivateAnswer, type ShareValue } from "../../render/private.js";
import { renderNoMatch, renderPickList } from "../../render/replies.js";
import { matchWithFeedback } from "../../feedback/rank.js";
import { recordAnswered } from "../answered.js";
import { notify, type NoticeTarget } from "../notify.js";
import type { Client } from "../post.js";
import type { BotServices } from "../services.js";
import { clicked } from "../actions/payload.js";

export const EXPLAIN_CALLBACK_ID = "explain_error";

interface MessageShortcut {
  user?: { id?: string };
  channel?: { id?: string };
  message?: { ts?: string; thread_ts?: string; text?: string };
}

/** The answer for the person alone, placed where the explained message is, with "Share in thread". */
async function answerPrivately(client: Client, respond: RespondFn | undefined, svc: BotServices, where: NoticeTarget, m: Match, threadTs: string): Promise<void> {
  for (const msg of renderPrivateAnswer(m, threadTs, { byId: (id) => svc.knowledge.byId(id) })) await notify(client, respond, where, msg);
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
    const thread: Omit<ShareValue, "article"> = { threadTs: s.message?.thread_ts ?? ts, ...(s.message?.thread_ts ? { inThread: true } : {}) };
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
      await answerPrivately(client, respond, svc, where, best, thread.threadTs);
      await recordAnswered(svc, best.article.id, { via: "shortcut", ...(matchedOn ? { matchedOn } : {}) });
    } else if (result.decision === "ambiguous" && result.matches.length) {
      await notify(client, respond, where, renderPickList(text, result.matches, thread));
    } else {
      await notify(client, respond, where, renderNoMatch(text, result.matches, svc.command, suggestIdentifiers(text, svc.knowledge.articles), (id) => svc.knowledge.byId(id)));
    }
    svc.log({ event: "explain", decision: result.decision, article: best?.article.id, user: userId, channel });
  });

  // A choice from the shortcut's pick list: answered privately where the explained message is, and the pick
  // list, which has done its job, goes away.
  app.action({ type: "block_actions", action_id: new RegExp(`^${ACTION.pickPrivate}(:|$)`) }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const c = clicked(body, action);
    const v = decodeShareValue(c.value);
    const a = v ? svc.knowledge.byId(v.article) : undefined;
    if (!v || !a || !c.channel || !c.userId) {
      await respond({ response_type: "ephemeral", replace_original: false, text: "That article is no longer in the knowledge base." }).catch(() => undefined);
      return;
    }
    const where = { channel: c.channel, userId: c.userId, threadTs: v.inThread ? v.threadTs : undefined };
    await answerPrivately(client, respond, svc, where, { article: a, score: 1, evidence: [] }, v.threadTs);
    await recordAnswered(svc, a.id, { via: "shortcut" });
    svc.log({ event: "pick", via: "shortcut", article: a.id, user: c.userId, channel: c.channel });
    await respond({ delete_original: true }).catch(() => undefined);
  });
}
