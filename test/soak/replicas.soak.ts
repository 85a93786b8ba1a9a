// The multi-replica runs at full length: 10,000 signed events each (about 1,000 pastes), retries to another
// replica, 10% 429 and 1% 500 from the Web API stand-in, one replica SIGKILLed (HTTP) or one connection
// dropped (Socket Mode) in the middle; and Redis stopped for 5 s during a run.
import { describe, expect, it } from "vitest";
import { runReplicas } from "../replicas/scenario.js";

const base = { concurrency: 16, probeClicks: 15, settleTimeoutMs: 600_000 } as const;

describe("several replicas, one answer (soak)", () => {
  it("HTTP: 10,000 events, three replicas behind a balancer, one SIGKILLed", async () => {
    const r = await runReplicas({ ...base, transport: "http", events: 10_000, killAt: 0.5, seed: 22 });
    process.stdout.write(`[soak] http: ${JSON.stringify(r)}\n`);
    expect(r.problems).toEqual([]);
    expect(r.answeredOnce).toBe(r.pastes);
    expect(r.probesLimited).toBeGreaterThan(0);
  });

  it("Socket Mode: 10,000 events over three connections, one dropped", async () => {
    const r = await runReplicas({ ...base, transport: "socket", events: 10_000, killAt: 0.5, seed: 23 });
    process.stdout.write(`[soak] socket: ${JSON.stringify(r)}\n`);
    expect(r.problems).toEqual([]);
    expect(r.answeredOnce).toBe(r.pastes);
  });

  it("Redis stopped for 5 s in a 10,000-event run: degraded, recovered, nothing lost", async () => {
    const r = await runReplicas({ ...base, transport: "http", events: 10_000, redisDownAt: 0.3, redisDownMs: 5000, seed: 24 });
    process.stdout.write(`[soak] redis outage: ${JSON.stringify(r)}\n`);
    expect(r.lost).toBe(0);
    expect(r.chatterAnswered).toBe(0);
    expect(r.degradedSeen && r.recoveredSeen).toBe(true);
  });
});
