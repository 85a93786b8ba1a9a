// The behaviour every store must have, in-process or Redis: run by memory.test.ts and redis.test.ts alike.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import type { SharedState } from "../../src/state/types.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function storeContract(name: string, get: () => SharedState): void {
  const k = () => `t-${randomUUID()}`;

  it(`${name}: a claim is taken once; others see it working, then done`, async () => {
    const s = get();
    const key = k();
    expect(await s.claims.peek(key)).toBe("free");
    expect(await s.claims.claim(key, "a", 5000)).toBe("claimed");
    expect(await s.claims.claim(key, "b", 5000)).toBe("working");
    expect(await s.claims.peek(key)).toBe("working");
    await s.claims.done(key, 5000);
    expect(await s.claims.claim(key, "b", 5000)).toBe("done");
    expect(await s.claims.renew(key, "a", 5000)).toBe(false);
  });

  it(`${name}: many racing claimants, one winner`, async () => {
    const s = get();
    const key = k();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => s.claims.claim(key, `o${i}`, 5000)));
    expect(results.filter((r) => r === "claimed")).toHaveLength(1);
  });

  it(`${name}: a working claim nobody renews expires and can be taken over; a renewed one cannot`, async () => {
    const s = get();
    const dead = k();
    const alive = k();
    await s.claims.claim(dead, "a", 150);
    await s.claims.claim(alive, "a", 150);
    for (let i = 0; i < 4; i++) {
      await sleep(60);
      expect(await s.claims.renew(alive, "a", 150)).toBe(true);
    }
    expect(await s.claims.claim(dead, "b", 5000)).toBe("claimed");
    expect(await s.claims.claim(alive, "b", 5000)).toBe("working");
    expect(await s.claims.renew(dead, "a", 5000)).toBe(false);
  });

  it(`${name}: release frees only the owner's claim; done expires after its time`, async () => {
    const s = get();
    const key = k();
    await s.claims.claim(key, "a", 5000);
    await s.claims.release(key, "b");
    expect(await s.claims.peek(key)).toBe("working");
    await s.claims.release(key, "a");
    expect(await s.claims.claim(key, "b", 5000)).toBe("claimed");
    await s.claims.done(key, 100);
    await sleep(250);
    expect(await s.claims.peek(key)).toBe("free");
  });

  it(`${name}: sliding window lets \`limit\` through per window and says when to retry`, async () => {
    const s = get();
    const key = k();
    for (let i = 1; i <= 3; i++) expect(await s.rates.take(key, 3, 400)).toEqual({ ok: true, count: i });
    const no = await s.rates.take(key, 3, 400);
    expect(no.ok).toBe(false);
    if (!no.ok) {
      expect(no.retryAfterMs).toBeGreaterThan(0);
      expect(no.retryAfterMs).toBeLessThanOrEqual(400);
    }
    expect((await s.rates.take(k(), 3, 400)).ok).toBe(true);
    await sleep(500);
    expect((await s.rates.take(key, 3, 400)).ok).toBe(true);
  });

  it(`${name}: the concurrency cap hands out max slots; release and lease expiry free them`, async () => {
    const s = get();
    const name = k();
    const a = await s.cap.acquire(name, 2, 5000);
    const b = await s.cap.acquire(name, 2, 200);
    expect(a && b).toBeTruthy();
    expect(await s.cap.acquire(name, 2, 5000)).toBeNull();
    await a?.release();
    const c = await s.cap.acquire(name, 2, 5000);
    expect(c).not.toBeNull();
    expect(await s.cap.acquire(name, 2, 5000)).toBeNull();
    await sleep(300);
    expect(await b?.renew(5000)).toBe(false);
    expect(await s.cap.acquire(name, 2, 5000)).not.toBeNull();
    expect(await c?.renew(5000)).toBe(true);
  });
}
