// Three replicas of the real bot on one Redis (short runs; `npm run test:soak` runs the long ones): over HTTP
// behind a round-robin balancer with one replica SIGKILLed mid-run, over Socket Mode with one connection
// dropped, and with Redis stopped and started again. Every paste answered exactly once, no chatter answered,
// one person's probe limit held across the replicas.
import { describe, expect, it } from "vitest";
import { runReplicas } from "./scenario.js";

const base = { concurrency: 12, probeClicks: 12, settleTimeoutMs: 120_000 } as const;

describe("several replicas, one answer", () => {
  it("HTTP behind a balancer, retries to another replica, 429/500 from Slack, one replica SIGKILLed", { timeout: 300_000 }, async () => {
    const r = await runReplicas({ ...base, transport: "http", events: 400, killAt: 0.5, seed: 12 });
    process.stdout.write(`[replicas] http: ${JSON.stringify(r)}\n`);
    expect(r.problems).toEqual([]);
    expect(r.answeredOnce).toBe(r.pastes);
    expect(r.pastes).toBeGreaterThan(20);
    expect(r.ratelimited).toBeGreaterThan(0);
    expect(r.probesLimited).toBeGreaterThan(0);
  });

  it("Socket Mode, three connections, one dropped mid-stream", { timeout: 300_000 }, async () => {
    const r = await runReplicas({ ...base, transport: "socket", events: 400, killAt: 0.5, seed: 13 });
    process.stdout.write(`[replicas] socket: ${JSON.stringify(r)}\n`);
    expect(r.problems).toEqual([]);
    expect(r.answeredOnce).toBe(r.pastes);
  });

  it("Redis stopped and started during a run: degraded, recovered, nothing lost", { timeout: 300_000 }, async () => {
    const r = await runReplicas({ ...base, transport: "http", events: 400, redisDownAt: 0.4, redisDownMs: 3000, seed: 14 });
    process.stdout.write(`[replicas] redis outage: ${JSON.stringify(r)}\n`);
    expect(r.lost).toBe(0);
    expect(r.chatterAnswered).toBe(0);
    expect(r.degradedSeen).toBe(true);
    expect(r.recoveredSeen).toBe(true);
  });
});
