// "Run POP3/SMTP/IMAP probe": ack at once, ask the probe service for admission (nothing public is said for a
// probe that will not run), then say "probing NAME…" in the thread (with the step it is on and the
// time so far, at most once a second), run the probe, replace that message with the result. Only hosts named
// in the probe hosts file can be probed, by whom their `allow` lists, at the limiter's pace, one at a time per
// host and thread (across replicas: a shared claim), and while it runs its button says so (probe-label.ts).
// Refusals go privately to the person who clicked, in the thread they belong to; so does a second click of the
// same person on the same host just after its result landed (a double-click).
import type { App } from "@slack/bolt";
import { ACTION, decodeProbeValue } from "../../render/actions.js";
import type { SlackMessage } from "../../render/blocks.js";
import { escapeMrkdwn, quoteUserText } from "../../render/escape.js";
import { renderProbeProgress, renderProbeRefused, renderProbeResult } from "../../render/probe.js";
import type { NamedHost } from "../../probe/types.js";
import { notify } from "../notify.js";
import { blocksOf, post, respondAll, type Client } from "../post.js";
import type { BotServices } from "../services.js";
import { recordProbe } from "../probe-record.js";
import { clicked } from "./payload.js";
import { runningLabel } from "./probe-label.js";

/** Slack asks apps to update a message at most about once a second. */
export const PROGRESS_EVERY_MS = 1000;

/** Progress updates of one "Probing…" message, at most one a PROGRESS_EVERY_MS, the latest step winning. */
function progressUpdater(client: Client, channel: string, ts: string, host: NamedHost, userId: string | undefined): { step(name: string): void; stop(): Promise<void> } {
  const t0 = performance.now();
  let last = 0;
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const send = (): void => {
    timer = undefined;
    if (stopped || pending === undefined) return;
    const m = renderProbeProgress(host, userId, { step: pending, elapsedMs: performance.now() - t0 });
    pending = undefined;
    last = performance.now();
    inFlight = inFlight.then(() => client.chat.update({ channel, ts, text: m.text, blocks: blocksOf(m) })).catch(() => undefined);
  };
  return {
    step(name) {
      pending = name;
      if (timer || stopped) return;
      timer = setTimeout(send, Math.max(0, last + PROGRESS_EVERY_MS - performance.now()));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // The result must land after the last progress update, never under it.
      await inFlight;
    },
  };
}

/** A probe's claim outlives its deadline by this much: time to ask Slack for user groups and post the result. */
const CLAIM_MARGIN_MS = 15_000;

export function registerProbeAction(app: App, svc: BotServices): void {
  app.action({ type: "block_actions", action_id: new RegExp(`^${ACTION.probe}(:|$)`) }, async ({ ack, body, action, client, respond, logger }) => {
    await ack();
    const c = clicked(body, action);
    // A notice belongs to the thread the probe runs in, shown only to the person who clicked.
    const where = { channel: c.channel, userId: c.userId, threadTs: c.threadTs, ephemeral: c.ephemeral };
    const refuse = (msg: SlackMessage): Promise<void> => notify(client, respond, where, msg).catch(() => undefined);
    const v = decodeProbeValue(c.value);
    const host = v ? svc.probe.namedHost(v.host) : undefined;
    if (!v || !host) {
      svc.log({ event: "probe_refused", reason: "unknown_host", user: c.userId, channel: c.channel });
      await refuse(renderProbeRefused(`${v ? quoteUserText(v.host, 100) : "That host"} is not in the probe hosts file, so I won't probe it. Only named hosts can be probed.`));
      return;
    }
    if (!c.channel) return;
    const user = c.userId ?? "unknown";
    const channel = c.channel;
    // One probe of a host per thread, whichever replica the click reaches: a claim on the shared state, held
    // while the probe runs (renewed, so a slow Slack cannot let it lapse) and lapsing soon after the probe's
    // deadline if this replica dies.
    const thread = c.threadTs ?? c.messageTs ?? "";
    const ttl = svc.probe.deadlineMs + CLAIM_MARGIN_MS;
    if (await svc.claims.probeJustDone(channel, thread, host.name, user).catch(() => false)) {
      svc.log({ event: "probe_refused", reason: "just_done", host: host.name, user: c.userId, channel });
      await refuse(renderProbeRefused(`Your probe of *${escapeMrkdwn(host.name)}* has just finished: its result is in this thread.`));
      return;
    }
    const owner = await svc.claims.takeProbe(channel, thread, host.name, ttl);
    if (!owner) {
      svc.log({ event: "probe_refused", reason: "running", host: host.name, user: c.userId, channel });
      await refuse(renderProbeRefused(`A probe of *${escapeMrkdwn(host.name)}* is already running in this thread; its result will replace the "Probing…" message.`));
      return;
    }
    const keep = setInterval(() => void svc.claims.renewProbe(channel, thread, host.name, owner, ttl).catch(() => undefined), ttl / 3);
    const label = runningLabel(client, svc, c, thread);
    let progressTs: string | undefined;
    let updater: ReturnType<typeof progressUpdater> | undefined;
    let finished = false;
    try {
      // Admission before anything public: a click refused by `allow` or the limiter is told privately and
      // leaves no trace in the channel or the thread.
      const admission = await svc.probe.admitNamedHost(host.name, user, {
        channel: c.channel,
        membersOf: async (g) => (await client.usergroups.users.list({ usergroup: g })).users ?? [],
      });
      if (admission.status !== "admitted") {
        await recordProbe(svc, v.article, host.name, admission);
        if (admission.status === "not_allowed") {
          svc.log({ event: "probe_refused", reason: "not_allowed", host: host.name, user: c.userId, channel: c.channel });
          await refuse(renderProbeRefused(`You may not probe *${escapeMrkdwn(host.name)}* from here: its entry in the probe hosts file allows only certain channels, people or user groups. Ask whoever keeps that file.`));
        } else {
          await refuse(renderProbeRefused(admission.status === "rejected" ? escapeMrkdwn(admission.message) : "That host is no longer in the probe hosts file."));
        }
        return;
      }
      let outcome;
      try {
        const progress = renderProbeProgress(host, c.userId);
        const channelLevel = !c.ephemeral && c.replyIn === undefined;
        if (!c.ephemeral && c.threadTs) progressTs = await post(client, c.channel, progress, c.threadTs);
        else await respondAll(respond, [progress]);
        if (progressTs) updater = progressUpdater(client, c.channel, progressTs, host, c.userId);
        // Clicked on an answer in the channel: the result goes to its thread, which the clicker may not have
        // open. Said privately, and once per person and thread, not at every probe.
        if (progressTs && channelLevel && (await svc.claims.first(`probe-pointer:${c.channel}/${thread}/${user}`).catch(() => true))) {
          await notify(client, respond, { channel: c.channel, userId: c.userId, threadTs: undefined }, {
            text: `Probing ${host.name}: the result will be in this answer's thread.`,
            blocks: [{ type: "context", elements: [{ type: "mrkdwn", text: `:mag: Probing *${escapeMrkdwn(host.name)}*: the result will be in this answer's thread.` }] }],
          }).catch(() => undefined);
        }
        // The button says "Running…" once the probe really starts (its first step).
        const onStep = (s: string): void => {
          label.started();
          updater?.step(s);
        };
        outcome = await admission.run({ onStep });
      } catch (err) {
        await admission.cancel().catch(() => undefined);
        throw err;
      }
      finished = true;
      await updater?.stop();
      await recordProbe(svc, v.article, host.name, outcome);
      const msgs = renderProbeResult(outcome.result, (id) => svc.knowledge.byId(id), c.userId);
      if (progressTs && c.threadTs) {
        const [first, ...rest] = msgs;
        if (first) await client.chat.update({ channel: c.channel, ts: progressTs, text: first.text, blocks: blocksOf(first) });
        for (const m of rest) await post(client, c.channel, m, c.threadTs);
      } else {
        await respondAll(respond, msgs, { replace_original: false });
      }
    } catch (err) {
      await updater?.stop();
      logger.error(`probe of ${host.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      svc.log({ event: "error", where: "probe", host: host.name, error: err instanceof Error ? err.message : String(err) });
      await recordProbe(svc, v.article, host.name, undefined);
      const sorry = renderProbeRefused(`The probe of *${escapeMrkdwn(host.name)}* could not finish: something went wrong on my side. Please try again.`);
      if (progressTs) await client.chat.update({ channel: c.channel, ts: progressTs, text: sorry.text, blocks: blocksOf(sorry) }).catch(() => undefined);
      else await refuse(sorry);
    } finally {
      clearInterval(keep);
      // A second click of the same person on the same host (a double-click) just after the result landed is
      // the same request: it gets a private pointer to that result, not a second probe.
      if (finished) await svc.claims.probeDone(channel, thread, host.name, user).catch(() => undefined);
      await svc.claims.releaseProbe(channel, thread, host.name, owner).catch(() => undefined);
      await label.ended();
    }
  });
}
