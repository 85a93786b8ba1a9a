// The limiter: few probes at once, few per user per minute. (Audit lines: test/services/probe.test.ts.)
import { describe, expect, it } from "vitest";
import { ProbeLimiter } from "../../src/probe/limiter.js";
import { fakeResult } from "../helpers/probe-result.js";

describe("ProbeLimiter", () => {
  it("never runs more than maxConcurrent at once, queues the rest, and runs them all", async () => {
    const limiter = new ProbeLimiter({ maxConcurrent: 2, maxQueued: 10, perUser: 100 });
    let running = 0;
    let peak = 0;
    const job = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return fakeResult(true);
    };
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => limiter.run(`U${i}`, job)));
    expect(outcomes.every((o) => o.status === "done")).toBe(true);
    expect(peak).toBe(2);
    expect(limiter.active).toBe(0);
  });

  it("turns away work beyond the queue as busy", async () => {
    const limiter = new ProbeLimiter({ maxConcurrent: 1, maxQueued: 1, perUser: 100 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = async () => {
      await gate;
      return fakeResult(true);
    };
    const a = limiter.run("U1", slow);
    const b = limiter.run("U2", slow);
    const c = await limiter.run("U3", slow);
    expect(c).toMatchObject({ status: "rejected", reason: "busy" });
    release();
    expect((await a).status).toBe("done");
    expect((await b).status).toBe("done");
  });

  it("limits one user per window, not everyone, and frees them when the window passes", async () => {
    let now = 1_000_000;
    const limiter = new ProbeLimiter({ perUser: 3, windowMs: 60_000, now: () => now });
    const job = async () => fakeResult(false);
    for (let i = 0; i < 3; i++) expect((await limiter.run("U1", job)).status).toBe("done");
    const fourth = await limiter.run("U1", job);
    expect(fourth).toMatchObject({ status: "rejected", reason: "rate-limited", retryAfterMs: 60_000 });
    expect((await limiter.run("U2", job)).status).toBe("done");
    now += 60_001;
    expect((await limiter.run("U1", job)).status).toBe("done");
  });

  it("frees the slot of a probe that throws", async () => {
    const limiter = new ProbeLimiter({ maxConcurrent: 1 });
    await expect(limiter.run("U1", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(limiter.active).toBe(0);
    expect((await limiter.run("U1", async () => fakeResult(true))).status).toBe("done");
  });
});
