// The "Run POP3 probe: hub02" buttons, and the label they carry while that host's probe runs in their thread:
// "Running POP3 probe: hub02…". Only the label changes; action_id and value stay, so a click on a running
// probe's button still reaches the handler, which says privately that it is running.
import type { NamedHost, Protocol } from "../probe/types.js";
import { ACTION, actionKind, decodeProbeValue } from "./actions.js";
import { buttonLabel, type Block } from "./blocks.js";

export function probeButtonText(protocol: Protocol, hostName: string, running = false): string {
  const p = protocol.toUpperCase();
  return buttonLabel(running ? `Running ${p} probe: ${hostName}…` : `Run ${p} probe: ${hostName}`);
}

interface ButtonElement {
  type?: unknown;
  action_id?: unknown;
  value?: unknown;
  text?: { type?: unknown; text?: unknown; emoji?: unknown };
}

/** Every probe button in `blocks` (in actions blocks, or a section's accessory), with the host it probes. */
function probeButtons(blocks: readonly Block[]): { el: ButtonElement; host: string }[] {
  const out: { el: ButtonElement; host: string }[] = [];
  for (const b of blocks) {
    const els: ButtonElement[] = b.type === "actions" ? b.elements : b.type === "section" && b.accessory ? [b.accessory] : [];
    for (const el of els) {
      if (el?.type !== "button" || typeof el.action_id !== "string" || actionKind(el.action_id) !== ACTION.probe) continue;
      const v = decodeProbeValue(typeof el.value === "string" ? el.value : undefined);
      if (v) out.push({ el, host: v.host });
    }
  }
  return out;
}

/** The names of the hosts `blocks` has probe buttons for. */
export function probeButtonHosts(blocks: readonly Block[]): string[] {
  return [...new Set(probeButtons(blocks).map((b) => b.host))];
}

/**
 * A copy of `blocks` in which each probe button says whether its host's probe is running, or undefined when
 * every label says so already (nothing to update). Buttons for hosts `hostOf` does not know are left alone.
 */
export function withProbeLabels(blocks: readonly Block[], hostOf: (name: string) => NamedHost | undefined, running: (host: string) => boolean): Block[] | undefined {
  const copy = structuredClone(blocks) as Block[];
  let changed = false;
  for (const { el, host } of probeButtons(copy)) {
    const h = hostOf(host);
    if (!h) continue;
    const text = probeButtonText(h.protocol ?? "pop3", h.name, running(h.name));
    if (el.text?.text === text) continue;
    el.text = { type: "plain_text", text, emoji: true };
    changed = true;
  }
  return changed ? copy : undefined;
}
