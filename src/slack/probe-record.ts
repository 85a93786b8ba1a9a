// A probe run from an answer's button, in the feedback trail: counted for the article whose answer offered
// the button (or, for buttons posted before their values named it, the first article the diagnosis names).
import type { ProbeOutcome } from "../services/probe.js";
import type { BotServices } from "./services.js";

export async function recordProbe(svc: BotServices, fromArticle: string | undefined, host: string, outcome: ProbeOutcome | undefined): Promise<void> {
  const diagnosed = outcome?.status === "done" ? outcome.result.diagnosis.articles : [];
  const article = (fromArticle && svc.knowledge.byId(fromArticle)?.id) ?? diagnosed[0];
  if (!article) return;
  const result = !outcome ? "error" : outcome.status === "done" ? (outcome.result.ok ? "ok" : "fault") : "refused";
  await svc.feedbackStore
    .append({ type: "probe", at: new Date().toISOString(), article, host, outcome: result, ...(diagnosed.length ? { diagnosed } : {}) })
    .catch((err: unknown) => svc.log({ event: "error", where: "feedback", error: err instanceof Error ? err.message : String(err) }));
}
