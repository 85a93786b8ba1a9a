// Two replicas of the real bot on one Redis (a real redis-server on loopback) and one Slack stand-in: a probe
// running on one replica is running for the other too. A click on the same host's button that reaches the
// other replica is told privately that it runs, and nothing is probed twice; once it ends, either may run it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import { startRedisServer, type RedisServer } from "../../src/local/redis-server.js";
import { slashCommandRequest } from "../../src/local/signing.js";
import { decodeProbeValue } from "../../src/render/actions.js";
import { LineSink } from "../../src/state/memory.js";
import { openState } from "../../src/state/open.js";
import type { SharedState } from "../../src/state/types.js";
import type { NamedHost } from "../../src/probe/types.js";
import { buttons, clickButton, eventually, SECRET, startHarness, type Harness } from "./harness.js";

const ANA = "U0ANA0001";
const BEN = "U0BEN0002";
const C = "CREDIS0001";

let redis: RedisServer;
let slow: RunningPeer;
const states: SharedState[] = [];
let a: Harness;
let b: Harness;

beforeAll(async () => {
  redis = await startRedisServer();
  // A greeting a byte every 25 ms, then silence until the step timeout: a probe of several seconds, time
  // enough to click on the other replica.
  slow = await startPop3Peer("drip", { dripIntervalMs: 25 });
  const hosts: NamedHost[] = [{ name: "slow", host: slow.host, port: slow.port, tls: "none", tlsInsecure: false, protocol: "pop3" }];
  const quiet = (): LineSink => new LineSink(() => undefined);
  for (let i = 0; i < 2; i++) states.push(await openState({ redisUrl: redis.url, prefix: "xb-probe-claim:", log: () => undefined, audit: quiet(), feedback: quiet() }));
  const probeTimeouts = { timeoutMs: 15_000, stepTimeoutMs: 3000 };
  a = await startHarness({ hosts, state: states[0]!, probeTimeouts });
  b = await startHarness({ hosts, state: states[1]!, probeTimeouts, api: a.api });
}, 60_000);
afterAll(async () => {
  await b?.close();
  await a?.close();
  for (const s of states) await s.close();
  await slow?.stop();
  await redis?.stop();
});

const parentNow = (ts: string) => a.api.messages({ channel: C }).find((m) => m.ts === ts)!;
const slowButton = (m: ReturnType<typeof parentNow>) => buttons(m).find((x) => x.action_id.startsWith("probe") && decodeProbeValue(x.value)?.host === "slow")!;

describe("one probe per host and thread across replicas (shared claim on Redis)", () => {
  it("a click reaching the other replica while it runs is told privately; after it ends the other replica may run it", async () => {
    expect(states.every((s) => s.backend === "redis")).toBe(true);
    await a.send(slashCommandRequest(SECRET, { text: "11202", channel_id: C, user_id: ANA, response_url: a.api.newResponseUrl({ channel: C, user: ANA }) }, a.ws));
    const parent = await a.api.waitFor(() => a.api.botMessages({ channel: C }).find((m) => !m.thread_ts && m.via === "chat.postMessage"));
    // Buttons act only where the bot has answered: that is recorded (in Redis) just after the answer is posted.
    await eventually(() => a.logs.find((l) => l.event === "answer"));

    expect((await clickButton(a, parent, slowButton(parent), ANA)).status).toBe(200);
    const running = await a.api.waitFor(() => (slowButton(parentNow(parent.ts)).text === "Running POP3 probe: slow…" ? parentNow(parent.ts) : undefined));
    // The same button, clicked on the other replica.
    expect((await clickButton(b, running, slowButton(running), BEN)).status).toBe(200);
    const notice = await a.api.waitFor(() => a.api.messages({ channel: C }).find((m) => m.ephemeral_to === BEN && /already running/.test(m.text)));
    expect(notice.thread_ts).toBe(parent.ts);
    expect(b.logs.find((l) => l.event === "probe_refused")).toMatchObject({ reason: "running", host: "slow", user: BEN });
    expect(b.audits).toEqual([]);

    // It ends on replica A: the label is back and the claim is free, so replica B runs the next one.
    await a.api.waitFor(() => (slowButton(parentNow(parent.ts)).text === "Run POP3 probe: slow" ? true : undefined), 30_000);
    await eventually(() => a.audits.length === 1);
    expect(slow.acceptedConnections()).toBe(1);
    expect((await clickButton(b, parentNow(parent.ts), slowButton(parentNow(parent.ts)), BEN)).status).toBe(200);
    await eventually(() => b.audits.length === 1, 30_000);
    expect(slow.acceptedConnections()).toBe(2);
  }, 60_000);
});
