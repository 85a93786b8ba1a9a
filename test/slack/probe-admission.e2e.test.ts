// Admission before anything public, end to end through the real receiver: a click refused by a host's `allow`
// list or by the per-person rate limit is told privately and makes no public Web API call at all (nothing
// posted and deleted, no channel-level note); a double-click gets one result; the private pointer from a channel
// answer to its thread is said once per person and thread.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slashCommandRequest } from "../../src/local/signing.js";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import type { RecordedMessage } from "../../src/local/webapi.js";
import { decodeProbeValue } from "../../src/render/actions.js";
import { ProbeLimiter } from "../../src/probe/limiter.js";
import type { NamedHost } from "../../src/probe/types.js";
import { buttons, clickButton, eventually, SECRET, sleep, startHarness, visibleText, type Harness } from "./harness.js";

const ANA = "U0ANA0001";
const CAT = "U0CAT0003";
const DAN = "U0DAN0004";
const PUBLIC = new Set(["chat.postMessage", "chat.update", "chat.delete"]);

let h: Harness;
let peer: RunningPeer;
let chan = 0;
const newChannel = (): string => `CADM${String(++chan).padStart(5, "0")}`;
const host = (name: string, extra: Partial<NamedHost> = {}): NamedHost => ({ name, host: peer.host, port: peer.port, tls: "none", tlsInsecure: false, protocol: "pop3", ...extra });

beforeAll(async () => {
  peer = await startPop3Peer("healthy", { password: "pw" });
  h = await startHarness({
    hosts: [host("healthy"), host("twin"), host("ops-only", { allow: { channels: ["C0OPS0001"] } })],
    limiter: new ProbeLimiter({ perUser: 2, windowMs: 60_000 }),
  });
});
afterAll(async () => {
  await h?.close();
  await peer?.stop();
});

async function answerIn(channel: string): Promise<RecordedMessage> {
  await h.send(slashCommandRequest(SECRET, { text: "11202", channel_id: channel, user_id: ANA, response_url: h.api.newResponseUrl({ channel, user: ANA }) }, h.ws));
  const parent = await h.api.waitFor(() => h.api.botMessages({ channel }).find((m) => !m.thread_ts && m.via === "chat.postMessage"));
  // The resolution in its thread comes just after: wait for it, so that it is not counted as a click's doing.
  await h.api.waitFor(() => h.api.botMessages({ channel, thread_ts: parent.ts }).find((m) => /resolution/.test(m.text)));
  return parent;
}

function probeClick(m: RecordedMessage, name: string, user: string) {
  const b = buttons(m).find((x) => x.action_id.startsWith("probe") && decodeProbeValue(x.value)?.host === name);
  if (!b) throw new Error(`no probe button for ${name}`);
  return clickButton(h, m, b, user);
}

/** Public Web API calls about `channel` made since call number `since`. */
const publicCalls = (channel: string, since: number) => h.api.calls().filter((x) => x.seq > since && PUBLIC.has(x.method) && x.params.channel === channel);
const lastSeq = (): number => h.api.calls().at(-1)?.seq ?? 0;
const privateTo = (channel: string, user: string) => h.api.messages({ channel }).filter((m) => m.ephemeral_to === user);
const results = (channel: string, threadTs: string) => h.api.botMessages({ channel, thread_ts: threadTs }).filter((m) => /Transcript/.test(visibleText(m.blocks)));

describe("a refused click says nothing in public", () => {
  it("refused by `allow`: a private notice in the thread, and not one public call", async () => {
    const c = newChannel();
    const parent = await answerIn(c);
    const since = lastSeq();
    expect((await probeClick(parent, "ops-only", ANA)).status).toBe(200);
    const refusal = await h.api.waitFor(() => privateTo(c, ANA).find((m) => /may not probe/.test(m.text)));
    expect(refusal.via).toBe("chat.postEphemeral");
    await sleep(300);
    expect(publicCalls(c, since)).toEqual([]);
    expect(privateTo(c, ANA).filter((m) => /result will be in this answer's thread/.test(m.text))).toEqual([]);
  });

  it("refused by the rate limit, click after click: private notices, and not one public call", async () => {
    // Cat's two probes a minute, in another channel, both run.
    const first = newChannel();
    const earlier = await answerIn(first);
    await probeClick(earlier, "healthy", CAT);
    await probeClick(earlier, "twin", CAT);
    await eventually(() => results(first, earlier.ts).length === 2, 15_000);
    const c = newChannel();
    const parent = await answerIn(c);
    const since = lastSeq();
    for (let i = 0; i < 3; i++) expect((await probeClick(parent, i % 2 ? "healthy" : "twin", CAT)).status).toBe(200);
    await eventually(() => privateTo(c, CAT).filter((m) => /probes in the last 60 s/.test(visibleText(m.blocks))).length === 3);
    await sleep(300);
    expect(publicCalls(c, since)).toEqual([]);
    expect(h.audits.filter((a) => a.user === CAT && a.outcome === "rate-limited")).toHaveLength(3);
  });
});

describe("one click, one result", () => {
  it("a second click on a fast host just after its result landed gets a private pointer, not a second probe", async () => {
    const c = newChannel();
    const parent = await answerIn(c);
    const before = peer.acceptedConnections();
    await probeClick(parent, "healthy", DAN);
    await eventually(() => results(c, parent.ts).length === 1, 15_000);
    await probeClick(parent, "healthy", DAN);
    await h.api.waitFor(() => privateTo(c, DAN).find((m) => /just finished/.test(m.text)));
    await sleep(300);
    expect(results(c, parent.ts)).toHaveLength(1);
    expect(peer.acceptedConnections() - before).toBe(1);
  });

  it("the pointer from a channel answer to its thread is said once per person and thread", async () => {
    const c = newChannel();
    const parent = await answerIn(c);
    await probeClick(parent, "healthy", ANA);
    await eventually(() => results(c, parent.ts).length === 1, 15_000);
    await probeClick(parent, "twin", ANA);
    await eventually(() => results(c, parent.ts).length === 2, 15_000);
    const pointers = privateTo(c, ANA).filter((m) => /result will be in this answer's thread/.test(m.text));
    expect(pointers).toHaveLength(1);
    expect(pointers[0]!.thread_ts).toBeUndefined();
  });
});
