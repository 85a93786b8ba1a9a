// "Run POP3/SMTP/IMAP probe": ack at once, say "probing NAME…" in the thread, run the probe, replace that message
// with the result. Only hosts named in the probe hosts file can be probed, at the limiter's pace.
import type { App } from "@slack/bolt";
import { ACTION, decodeProbeValue } from "../../render/actions.js";
import type { SlackMessage } from "../../render/blocks.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { renderProbeProgress, renderProbeRefused, renderProbeResult } from "../../render/probe.js";
import { blocksOf, post, respondAll } from "../post.js";
import type { BotServices } from "../services.js";
import { clicked } from "./payload.js";

export function registerProbeAction(app: App, svc: BotServices): void {
  app.action({ type: "block_actions", action_id: new RegExp(`^${ACTION.probe}(:|$)`) }, async ({ ack, body, action, client, respond, logger }) => {
    await ack();
    const c = clicked(body, action);
    const refuse = async (msg: SlackMessage): Promise<void> => {
      await respond({ response_type: "ephemeral", text: msg.text, blocks: blocksOf(msg) }).catch(() => undefined);
    };
    const v = decodeProbeValue(c.value);
    const host = v ? svc.probe.namedHost(v.host) : undefined;
    if (!v || !host) {
      svc.log({ event: "probe_refused", reason: "unknown_host", user: c.userId, channel: c.channel });
      await refuse(renderProbeRefused(`${v ? `*${escapeMrkdwn(v.host.slice(0, 100))}*` : "That host"} is not in the probe hosts file, so I won't probe it. Only named hosts can be probed.`));
      return;
    }
    if (!c.channel) return;
    const user = c.userId ?? "unknown";
    let progressTs: string | undefined;
    try {
      const progress = renderProbeProgress(host, c.userId);
      if (!c.ephemeral && c.threadTs) progressTs = await post(client, c.channel, progress, c.threadTs);
      else await respondAll(respond, [progress]);
      const outcome = await svc.probe.probeNamedHost(host.name, user);
      const msgs =
        outcome.status === "done"
          ? renderProbeResult(outcome.result, (id) => svc.knowledge.byId(id), c.userId)
          : [renderProbeRefused(outcome.status === "rejected" ? escapeMrkdwn(outcome.message) : "That host is no longer in the probe hosts file.")];
      if (progressTs && c.threadTs) {
        const [first, ...rest] = msgs;
        if (first) await client.chat.update({ channel: c.channel, ts: progressTs, text: first.text, blocks: blocksOf(first) });
        for (const m of rest) await post(client, c.channel, m, c.threadTs);
      } else {
        await respondAll(respond, msgs, { replace_original: false });
      }
    } catch (err) {
      logger.error(`probe of ${host.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      svc.log({ event: "error", where: "probe", host: host.name, error: err instanceof Error ? err.message : String(err) });
      const sorry = renderProbeRefused(`The probe of *${escapeMrkdwn(host.name)}* could not finish: something went wrong on my side. Please try again.`);
      if (progressTs) await client.chat.update({ channel: c.channel, ts: progressTs, text: sorry.text, blocks: blocksOf(sorry) }).catch(() => undefined);
      else await refuse(sorry);
    }
  });
}
