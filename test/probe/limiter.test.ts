// The limiter: few probes at once, few per user per minute, one audit line per request.
import { describe, expect, it } from "vitest";
import { ProbeLimiter, type AuditEntry } from "../../src/probe/limiter.js";
import type { ProbeResult } from "../../src/probe/types.js";

function fakeResult(ok: boolean): ProbeResult {
  return {
    ok,
    host: "127.0.0.1",
    port: 110,
    tls: "none",
    protocol: "pop3",
    steps: [],
    lines: [],
    diagnosis: { summary: ok ? "fine" : "privilege", articles: ok ? [] : ["Q171435"], findings: [] },
    totalMs: 5,
  };
}

describe("ProbeLimiter", () => {
  it("never runs more than maxConcurrent at once, queues the rest, and runs them all", async () => {
    const audit: AuditEntry[] = [];
    const limiter = new ProbeLimiter({ maxConcurrent: 2, maxQueued: 10, perUser: 100, audit: (e) => audit.push(e) });
    let running = 0;
    let peak = 0;
    const job = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return fakeResult(true);
    };
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => limiter.run(`U${i}`, "lab", job)));
    expect(outcomes.every((o) => o.status === "done")).toBe(true);
    expect(peak).toBe(2);
    expect(audit).toHaveLength(8);
    expect(limiter.active).toBe(0);
  });

  it("turns away work beyond the queue as busy", async () => {
    const limiter = new ProbeLimiter({ maxConcurrent: 1, maxQueued: 1, perUser: 100, audit: () => {} });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = async () => {
      await gate;
      return fakeResult(true);
    };
    const a = limiter.run("U1", "lab", slow);
    const b = limiter.run("U2", "lab", slow);
    const c = await limiter.run("U3", "lab", slow);
    expect(c).toMatchObject({ status: "rejected", reason: "busy" });
    release();
    expect((await a).status).toBe("done");
    expect((await b).status).toBe("done");
  });

  it("limits one user per window, not everyone, and frees them when the window passes", async () => {
    let now = 1_000_000;
    const audit: AuditEntry[] = [];
    const limiter = new ProbeLimiter({ perUser: 3, windowMs: 60_000, now: () => now, audit: (e) => audit.push(e) });
    const job = async () => fakeResult(false);
    for (let i = 0; i < 3; i++) expect((await limiter.run("U1", "lab", job)).status).toBe("done");
    const fourth = await limiter.run("U1", "lab", job);
    expect(fourth).toMatchObject({ status: "rejected", reason: "rate-limited", retryAfterMs: 60_000 });
    expect((await limiter.run("U2", "lab", job)).status).toBe("done");
    now += 60_001;
    expect((await limiter.run("U1", "lab", job)).status).toBe("done");
    expect(audit.map((e) => `${e.user}:${e.outcome}`)).toEqual(["U1:fault", "U1:fault", "U1:fault", "U1:rate-limited", "U2:fault", "U1:fault"]);
  });

  it("audits who, which host, when and the outcome, as one JSON line each by default", async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await new ProbeLimiter().run("U42", "exchange55-privilege", async () => fakeResult(false));
    } finally {
      process.stdout.write = write;
    }
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as AuditEntry;
    expect(entry).toMatchObject({ audit: "probe", user: "U42", host: "exchange55-privilege", outcome: "fault", articles: ["Q171435"], ms: 5 });
    expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 5_000);
  });

  it("audits a probe that throws as an error, and frees its slot", async () => {
    const audit: AuditEntry[] = [];
    const limiter = new ProbeLimiter({ maxConcurrent: 1, audit: (e) => audit.push(e) });
    await expect(limiter.run("U1", "lab", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(audit[0]).toMatchObject({ outcome: "error" });
    expect((await limiter.run("U1", "lab", async () => fakeResult(true))).status).toBe("done");
  });
});
