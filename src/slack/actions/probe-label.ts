// While a probe runs, the answer's button for that host reads "Running POP3 probe: hub02…" for everyone in the
// conversation; when it ends (a result, a fault, or a crash) it reads "Run …" again. A click refused before the
// probe starts (by `allow` or the rate limit) never changes it.
// Labels are worked out from the shared probe claims, not from what this process did, so whichever replica
// starts or ends a probe writes what is true for every probe button on that message. One chat.update when the
// probe starts, one when it ends (Slack allows about one update a second per message).
import type { Block } from "../../render/blocks.js";
import { probeButtonHosts, withProbeLabels } from "../../render/probe-buttons.js";
import { blocksOf, type Client } from "../post.js";
import type { BotServices } from "../services.js";
import type { Clicked } from "./payload.js";

export interface RunningLabel {
  /** The probe has started: the button says so (once; later calls do nothing). */
  started(): void;
  /** The probe has ended and its claim is released: the labels go back to what the claims say. */
  ended(): Promise<void>;
}

const NOTHING: RunningLabel = { started: () => undefined, ended: async () => undefined };

export function runningLabel(client: Client, svc: BotServices, c: Clicked, threadTs: string): RunningLabel {
  const { channel, messageTs } = c;
  // An ephemeral message cannot be updated through chat.update, and a message without blocks has no buttons.
  if (c.ephemeral || !channel || !messageTs || !c.blocks.length) return NOTHING;
  let last: readonly Block[] = c.blocks;
  let begun = false;
  let sent: Promise<void> = Promise.resolve();

  const relabel = async (base: readonly Block[]): Promise<void> => {
    const hosts = probeButtonHosts(base);
    const running = new Set<string>();
    await Promise.all(hosts.map(async (h) => ((await svc.claims.probeRunning(channel, threadTs, h).catch(() => false)) ? running.add(h.toLowerCase()) : undefined)));
    const blocks = withProbeLabels(base, (n) => svc.probe.namedHost(n), (n) => running.has(n.toLowerCase()));
    if (!blocks) return;
    await client.chat.update({ channel, ts: messageTs, text: c.text || "Exchange answer", blocks: blocksOf({ text: "", blocks }) });
    last = blocks;
  };
  const failed = (err: unknown): void => svc.log({ event: "error", where: "probe_label", channel, ts: messageTs, error: err instanceof Error ? err.message : String(err) });

  /** The message as it is now (a vote may have changed it since the click), or what this probe last wrote. */
  const current = async (): Promise<readonly Block[]> => {
    try {
      const r = await client.conversations.replies({ channel, ts: threadTs, oldest: messageTs, inclusive: true, limit: 2 });
      const m = (r.messages ?? []).find((x) => x.ts === messageTs) as { blocks?: unknown } | undefined;
      if (m && Array.isArray(m.blocks) && m.blocks.length) return m.blocks as Block[];
    } catch {
      // unreadable: the last blocks this probe knows
    }
    return last;
  };

  return {
    started() {
      if (begun) return;
      begun = true;
      sent = relabel(last).catch(failed);
    },
    async ended() {
      if (!begun) return;
      await sent;
      await relabel(await current()).catch(failed);
    },
  };
}
