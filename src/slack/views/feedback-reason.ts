// The "what was wrong?" modal's submission: the free text, if any, joins the vote in the feedback store.
import type { App } from "@slack/bolt";
import { MAX_REASON_CHARS } from "../../feedback/records.js";
import { REASON_BLOCK, REASON_CALLBACK, REASON_INPUT, decodeReasonMeta } from "../../render/feedback.js";
import type { BotServices } from "../services.js";

export function registerFeedbackReason(app: App, svc: BotServices): void {
  app.view({ type: "view_submission", callback_id: REASON_CALLBACK }, async ({ ack, body, view }) => {
    // Closes the modal; nothing the person wrote can make it fail.
    await ack();
    const meta = decodeReasonMeta(view.private_metadata);
    const raw = view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value;
    const text = typeof raw === "string" ? raw.trim().slice(0, MAX_REASON_CHARS) : "";
    const user = body.user?.id;
    const article = meta ? svc.knowledge.byId(meta.article)?.id : undefined;
    if (!meta || !article || !user || !text) return;
    await svc.feedbackStore.append({ type: "reason", at: new Date().toISOString(), article, user, answer: meta.answer, text });
    // The text itself stays in the feedback store; the log says only that there is one.
    svc.log({ event: "feedback_reason", article, user, chars: text.length });
  });
}
