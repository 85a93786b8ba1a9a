// Probes in place, end to end through the real receiver: one probe per host and thread, progress at most once a
// second, the diagnosis said once with its next step, notices placed privately in their thread, a private pointer
// from a channel answer to its thread, and the hosts file's `allow` lists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slashCommandRequest } from "../../src/local/signing.js";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import type { RecordedMessage } from "../../src/local/webapi.js";
import { decodeProbeValue } from "../../src/render/actions.js";
import { ProbeLimiter } from "../../src/probe/limiter.js";
import type { NamedHost } from "../../src/probe/types.js";
import { buttons, clickButton, eventually, SECRET, sleep, startHarness, visibleText, type Harness } from "./harness.js";

const ANA = "U0ANA0001";
const BEN = "U0BEN0002";
const OPS_CHANNEL = "C0OPS0001";

let h: Harness;
let slow: RunningPeer;
let healthy: RunningPeer;
let chan = 0;
const newChannel = (): string => `CPIP${String(++chan).padStart(5, "0")}`;

const host = (name: string, p: RunningPeer, extra: Partial<NamedHost> = {}): NamedHost => ({ name, host: p.host, port: p.port, tls: "none", tlsInsecure: false, protocol: "pop3", ...extra });

beforeAll(async () => {
  // The drip peer sends its greeting a byte every 25 ms: a probe that takes a few seconds, long enough to watch.
  slow = await startPop3Peer("drip", { dripIntervalMs: 25 });
  healthy = await startPop3Peer("healthy", { password: "the-right-one" });
  h = await startHarness({
    hosts: [
      host("slow", slow),
      host("dead", { ...healthy, port: 1 } as RunningPeer),
      host("wrongpw", healthy, { user: "probe", passwordEnv: "WRONG_PW" }),
      host("ops-only", healthy, { allow: { channels: [OPS_CHANNEL] } }),
      host("ana-only", healthy, { allow: { users: [ANA] } }),
      host("group-only", healthy, { allow: { usergroups: ["S0ADMINS1"] } }),
    ],
    env: { WRONG_PW: "not-the-right-one" },
    limiter: new ProbeLimiter({ perUser: 4, windowMs: 60_000 }),
    probeTimeouts: { timeoutMs: 15_000, stepTimeoutMs: 10_000 },
  });
  h.api.setUsergroup("S0ADMINS1", [BEN]);
});
afterAll(async () => {
  await h?.close();
  await Promise.all([slow?.stop(), healthy?.stop()]);
});

/** /exchange 11202 in a fresh channel: the parent answer in the channel, with a probe button per host. */
async function answerIn(channel: string, user = ANA): Promise<RecordedMessage> {
  await h.send(slashCommandRequest(SECRET, { text: "11202", channel_id: channel, user_id: user, response_url: h.api.newResponseUrl({ channel, user }) }, h.ws));
  return h.api.waitFor(() => h.api.botMessages({ channel }).find((m) => !m.thread_ts && m.via === "chat.postMessage"));
}

function probeClick(m: RecordedMessage, name: string, user = ANA) {
  const b = buttons(m).find((x) => x.action_id.startsWith("probe") && decodeProbeValue(x.value)?.host === name);
  if (!b) throw new Error(`no probe button for ${name}`);
  return clickButton(h, m, b, user);
}

const privateTo = (channel: string, user: string) => h.api.messages({ channel }).filter((m) => m.ephemeral_to === user);
const resultOf = (channel: string, threadTs: string) => h.api.waitFor(() => h.api.botMessages({ channel, thread_ts: threadTs }).find((m) => m.edits > 0 && /Transcript/.test(visibleText(m.blocks))), 15_000);

describe("one probe per host and thread, with progress", () => {
  it("a second click while it runs is told privately in that thread; progress shows the step and time, at most once a second", async () => {
    const c = newChannel();
    const parent = await answerIn(c);
    expect((await probeClick(parent, "slow")).status).toBe(200);
    const probing = await h.api.waitFor(() => h.api.botMessages({ channel: c, thread_ts: parent.ts }).find((m) => /Probing/.test(m.text)));
    // The answer's button for that host now says the probe runs, keeping its action_id and value; the others do not change.
    const before = buttons(parent);
    const running = await h.api.waitFor(() => {
      const now = h.api.messages({ channel: c }).find((m) => m.ts === parent.ts)!;
      return buttons(now).some((b) => b.text === "Running POP3 probe: slow…") ? now : undefined;
    });
    expect(buttons(running).map((b) => [b.action_id, b.value])).toEqual(before.map((b) => [b.action_id, b.value]));
    expect(buttons(running).filter((b) => b.text !== before.find((x) => x.action_id === b.action_id)!.text).map((b) => b.text)).toEqual(["Running POP3 probe: slow…"]);
    // A click on the running button (as Slack now shows it) is told privately, in that thread.
    expect((await probeClick(running, "slow", BEN)).status).toBe(200);
    const notice = await h.api.waitFor(() => privateTo(c, BEN).find((m) => /already running/.test(m.text)));
    expect(notice.via).toBe("chat.postEphemeral");
    expect(notice.thread_ts).toBe(parent.ts);

    // A vote on the answer while the probe runs: its count must survive the label going back.
    const yes = buttons(running).find((b) => b.action_id.startsWith("feedback_yes"))!;
    expect((await clickButton(h, running, yes, BEN)).status).toBe(200);
    await h.api.waitFor(() => (/1 found this helpful/.test(visibleText(h.api.messages({ channel: c }).find((m) => m.ts === parent.ts)!.blocks)) ? true : undefined));

    const result = await resultOf(c, parent.ts);
    // When it ends the label is back and the vote count kept; one update to say it runs, one to say it ended (and the vote's).
    const labelled = await h.api.waitFor(() => {
      const now = h.api.messages({ channel: c }).find((m) => m.ts === parent.ts)!;
      return buttons(now).some((b) => b.text === "Run POP3 probe: slow") ? now : undefined;
    });
    expect(buttons(labelled)).toEqual(before);
    expect(visibleText(labelled.blocks)).toMatch(/1 found this helpful/);
    expect(h.api.calls("chat.update").filter((x) => x.params.ts === parent.ts)).toHaveLength(3);
    expect(result.ts).toBe(probing.ts);
    // Exactly one probe ran: one "Probing…" message, one connection to the host.
    expect(h.api.botMessages({ channel: c, thread_ts: parent.ts }).filter((m) => m.ts === probing.ts)).toHaveLength(1);
    expect(slow.acceptedConnections()).toBe(1);
    const updates = h.api.calls("chat.update").filter((x) => x.params.ts === probing.ts);
    const progress = updates.filter((x) => /Probing/.test(String(x.params.text)));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(progress[0]!.params.blocks)).toMatch(/step \*\w+\* · \d/);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(900);
    // The click came from the answer in the channel: a private pointer to its thread, at channel level.
    const pointer = privateTo(c, ANA).find((m) => /result will be in this answer's thread/.test(m.text));
    expect(pointer?.thread_ts).toBeUndefined();
  }, 60_000);
});

describe("the diagnosis is said once, with the next step", () => {
  it("a refused connection is stated once, and the next step says what to check", async () => {
    const c = newChannel();
    const parent = await answerIn(c);
    await probeClick(parent, "dead");
    const text = visibleText((await resultOf(c, parent.ts)).blocks);
    expect(text.match(/connection refused/g)).toHaveLength(1);
    // A probe that fails restores its button too.
    await eventually(() => h.api.calls("chat.update").filter((x) => x.params.ts === parent.ts).length === 2);
    expect(buttons(h.api.messages({ channel: c }).find((m) => m.ts === parent.ts)!)).toEqual(buttons(parent));
    expect(text).toMatch(/\*Next step\*: check that the POP3 service runs on 127\.0\.0\.1 and listens on port 1/);
  });

  it("a POP3 'bad password' says to check the probe account's own password first", async () => {
    const c = newChannel();
    const parent = await answerIn(c);
    await probeClick(parent, "wrongpw");
    const text = visibleText((await resultOf(c, parent.ts)).blocks);
    expect(text).toMatch(/\*Next step\*: first make sure the probe account's own password is right/);
    expect(text).not.toContain("not-the-right-one");
  });
});

describe("allow: who may probe what", () => {
  it("a click from another channel is refused privately in its thread, audited, and nothing is probed", async () => {
    const c = newChannel();
    const parent = await answerIn(c);
    const before = healthy.acceptedConnections();
    await probeClick(parent, "ops-only");
    const refusal = await h.api.waitFor(() => privateTo(c, ANA).find((m) => /may not probe/.test(m.text)));
    expect(refusal.thread_ts).toBe(parent.ts);
    expect(h.audits.find((a) => a.host === "ops-only")).toMatchObject({ outcome: "not_allowed", user: ANA, channel: c });
    await sleep(200);
    expect(healthy.acceptedConnections()).toBe(before);
    // Refused before it started: the button never said "Running…".
    expect(h.api.calls("chat.update").filter((x) => x.params.ts === parent.ts)).toEqual([]);
    expect(h.api.botMessages({ channel: c, thread_ts: parent.ts }).filter((m) => /Probing|Transcript/.test(visibleText(m.blocks)))).toEqual([]);
  });

  it("the allowed channel, the allowed user and a member of the allowed user group get their probe", async () => {
    const ops = await answerIn(OPS_CHANNEL);
    await probeClick(ops, "ops-only", BEN);
    await resultOf(OPS_CHANNEL, ops.ts);

    const c = newChannel();
    const parent = await answerIn(c);
    await probeClick(parent, "ana-only", ANA);
    await probeClick(parent, "group-only", BEN);
    await eventually(() => h.audits.filter((a) => (a.host === "ana-only" || a.host === "group-only") && a.outcome === "ok").length === 2, 15_000);
    expect(h.api.calls("usergroups.users.list").some((x) => x.params.usergroup === "S0ADMINS1")).toBe(true);
    // Ben's probe has ended (its button said "Running…" and says "Run" again), so Ana's click is judged on `allow`.
    await eventually(
      () =>
        h.api.calls("chat.update").some((x) => x.params.ts === parent.ts && JSON.stringify(x.params.blocks).includes("Running POP3 probe: group-only")) &&
        buttons(h.api.messages({ channel: c }).find((m) => m.ts === parent.ts)!).some((b) => b.text === "Run POP3 probe: group-only"),
    );
    // Ana is not in the group: refused.
    await probeClick(parent, "group-only", ANA);
    await h.api.waitFor(() => privateTo(c, ANA).find((m) => /may not probe \*group-only\*/.test(visibleText(m.blocks))));
  }, 60_000);
});
