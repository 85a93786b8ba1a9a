// The probe buttons' "Running…" label: only the label of the running host changes, action ids and values stay,
// a long host name is cut to Slack's 75 characters, and nothing to change means no update.
import { describe, expect, it } from "vitest";
import type { NamedHost } from "../../src/probe/types.js";
import { probeBlocks } from "../../src/render/answer.js";
import { probeButtonHosts, withProbeLabels } from "../../src/render/probe-buttons.js";
import { LIMITS, type Block } from "../../src/render/limits.js";
import { fixtureArticles } from "../helpers/knowledge.js";

const article = fixtureArticles().find((a) => a.id === "Q171435")!;
const LONG = `pop3-${"x".repeat(90)}`;
const hosts: NamedHost[] = ["hub01", "hub02", LONG].map((name, i) => ({ name, host: `10.0.0.${i}`, port: 110, tls: "none", tlsInsecure: false }));
const hostOf = (n: string) => hosts.find((h) => h.name.toLowerCase() === n.toLowerCase());

type Btn = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (blocks: readonly Block[]): Btn[] => blocks.flatMap((b) => (b.type === "actions" ? (b.elements as Btn[]) : []));

describe("probe button labels", () => {
  const blocks = probeBlocks(article, hosts);

  it("marks only the running host, keeping every action_id and value", () => {
    expect(probeButtonHosts(blocks)).toEqual(hosts.map((h) => h.name));
    const out = withProbeLabels(blocks, hostOf, (n) => n === "hub02")!;
    const before = buttonsOf(blocks);
    const after = buttonsOf(out);
    expect(after.map((b) => [b.action_id, b.value])).toEqual(before.map((b) => [b.action_id, b.value]));
    expect(after.map((b) => b.text.text)).toEqual(["Run POP3 probe: hub01", "Running POP3 probe: hub02…", before[2]!.text.text]);
    // The input is not changed in place (it is the message as Slack last showed it).
    expect(buttonsOf(blocks)[1]!.text.text).toBe("Run POP3 probe: hub02");
    // And back again.
    expect(buttonsOf(withProbeLabels(out, hostOf, () => false)!).map((b) => b.text.text)).toEqual(before.map((b) => b.text.text));
  });

  it("cuts a long host's label to Slack's limit; says undefined when nothing changes", () => {
    const out = withProbeLabels(blocks, hostOf, (n) => n === LONG)!;
    const label = buttonsOf(out)[2]!.text.text;
    expect(Array.from(label).length).toBeLessThanOrEqual(LIMITS.buttonText);
    expect(label).toMatch(/^Running POP3 probe: pop3-x+…$/);
    expect(withProbeLabels(blocks, hostOf, () => false)).toBeUndefined();
    expect(withProbeLabels(blocks, () => undefined, () => true)).toBeUndefined();
  });
});
