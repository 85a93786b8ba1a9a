// /exchange: ack at once (Slack allows 3 s), then match and answer.
import type { App } from "@slack/bolt";
import { renderHelp, renderNoMatch, renderPickList } from "../../render/replies.js";
import { renderTriageHelp } from "../../render/triage-help.js";
import { renderList } from "../../render/browse.js";
import { families } from "../../knowledge/browse.js";
import { matchWithFeedback } from "../../feedback/rank.js";
import { suggestIdentifiers } from "../../match/suggest.js";
import { blocksOf, postCommandAnswer } from "../post.js";
import { afterPendingAcks } from "../after-acks.js";
import type { BotServices } from "../services.js";

export function registerExchangeCommand(app: App, svc: BotServices): void {
  app.command(svc.command, async ({ command, ack, respond, client, logger }) => {
    const text = command.text ?? "";
    if (!text.trim() || /^\s*(help|-h|--help|\?)\s*$/i.test(text)) {
      // Usage is ready at once, so it rides on the ack itself: ephemeral, no extra round trip.
      const help = renderHelp({ command: svc.command, articles: svc.knowledge.articles.length, hosts: svc.probe.hosts, families: families(svc.knowledge.articles) });
      await ack({ response_type: "ephemeral", text: help.text, blocks: blocksOf(help) });
      return;
    }
    const list = /^\s*list(?:\s+(\S{1,60}))?\s*$/i.exec(text);
    if (list) {
      const page = renderList(families(svc.knowledge.articles), list[1] ?? "", svc.command);
      await ack({ response_type: "ephemeral", text: page.text, blocks: blocksOf(page) });
      return;
    }
    if (/^\s*triage\s*$/i.test(text)) {
      const how = renderTriageHelp(svc.command);
      await ack({ response_type: "ephemeral", text: how.text, blocks: blocksOf(how) });
      return;
    }
    await ack();
    await afterPendingAcks();
    try {
      const { result, matchedOn } = await matchWithFeedback(svc.knowledge.matcher, svc.feedbackStore, text, "command");
      const best = result.matches[0];
      if (result.decision === "answer" && best) {
        await postCommandAnswer(client, svc, command.channel_id, best, respond, undefined, { userId: command.user_id, command: svc.command, text }, { via: "command", ...(matchedOn ? { matchedOn } : {}) });
      } else if (result.decision === "ambiguous" && result.matches.length) {
        const pick = renderPickList(text, result.matches);
        await respond({ response_type: "ephemeral", text: pick.text, blocks: blocksOf(pick) });
        svc.log({ event: "ambiguous", user: command.user_id, channel: command.channel_id, candidates: result.matches.map((m) => m.article.id) });
      } else {
        const typo = suggestIdentifiers(text, svc.knowledge.articles);
        const none = renderNoMatch(text, result.matches, svc.command, typo, (id) => svc.knowledge.byId(id));
        await respond({ response_type: "ephemeral", text: none.text, blocks: blocksOf(none) });
        svc.log({ event: "no_match", user: command.user_id, channel: command.channel_id, ...(typo.length ? { didYouMean: typo.map((s) => s.id) } : {}) });
      }
    } catch (err) {
      logger.error(`/exchange failed: ${err instanceof Error ? err.message : String(err)}`);
      svc.log({ event: "error", where: "command", channel: command.channel_id, error: err instanceof Error ? err.message : String(err) });
      await respond({ response_type: "ephemeral", text: "Sorry, something went wrong while answering. Please try again in a moment." }).catch(() => undefined);
    }
  });
}
