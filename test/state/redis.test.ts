// The Redis store against a real redis-server (Debian's), started here on a free loopback port with
// persistence off, and stopped and started again to act out an outage.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "../../src/local/redis-server.js";
import { LineSink } from "../../src/state/memory.js";
import { openState, RedisUnavailableError } from "../../src/state/open.js";
import type { SharedState } from "../../src/state/types.js";
import { storeContract } from "./contract.js";

const quiet = () => new LineSink(() => undefined);

async function until(cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("Redis state", () => {
  let server: RedisServer;
  let state: SharedState;
  let raw: Redis;
  const logs: Array<{ event: string; [k: string]: unknown }> = [];

  beforeAll(async () => {
    server = await startRedisServer();
    state = await openState({ redisUrl: server.url, prefix: "xb-test:", log: (r) => logs.push(r), audit: quiet(), feedback: quiet(), checkEveryMs: 100 });
    raw = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
    raw.on("error", () => undefined);
    await raw.connect();
  });
  afterAll(async () => {
    await state?.close();
    raw?.disconnect();
    await server?.stop();
  });

  storeContract("redis", () => state);

  it("is the Redis backend, healthy", () => {
    expect(state.backend).toBe("redis");
    expect(state.degraded()).toBeUndefined();
  });

  it("prefixes every key with REDIS_PREFIX and gives every key an expiry; trails are streams", async () => {
    await state.claims.claim("pfx", "a", 5000);
    await state.rates.take("pfx", 5, 60_000);
    await state.cap.acquire("pfx", 3, 60_000);
    await state.audit.append({ audit: "probe", user: "U1", host: "lab" });
    await state.feedback.append({ event: "feedback", helpful: true });
    const keys = await raw.keys("*");
    expect(keys.length).toBeGreaterThan(4);
    for (const key of keys) {
      expect(key.startsWith("xb-test:")).toBe(true);
      expect(await raw.pttl(key)).toBeGreaterThan(0);
    }
    const audit = await raw.xrange("xb-test:audit", "-", "+");
    expect(audit.map(([, f]) => JSON.parse(f[1] ?? "{}"))).toContainEqual({ audit: "probe", user: "U1", host: "lab" });
    expect(await raw.type("xb-test:feedback")).toBe("stream");
  });

  it("two prefixes on one server do not see each other's claims", async () => {
    const other = await openState({ redisUrl: server.url, prefix: "xb-other:", log: () => undefined, audit: quiet(), feedback: quiet() });
    try {
      await state.claims.claim("shared-key", "a", 5000);
      expect(await other.claims.claim("shared-key", "b", 5000)).toBe("claimed");
    } finally {
      await other.close();
    }
  });

  it("Redis lost at run time: in-process claims, one log line, degraded; recovers by itself and writes back", async () => {
    await state.claims.claim("before", "a", 60_000);
    logs.length = 0;
    await server.stop();
    await until(() => state.degraded() !== undefined);
    expect(state.degraded()).toMatch(/Redis unavailable/);
    // Still answering: claims and limits work in-process; trails keep their stdout line and wait for Redis.
    expect(await state.claims.claim("during", "a", 60_000)).toBe("claimed");
    expect(await state.claims.claim("during", "b", 60_000)).toBe("working");
    await state.claims.done("during", 60_000);
    await state.claims.done("before", 60_000);
    expect((await state.rates.take("during", 1, 60_000)).ok).toBe(true);
    expect((await state.rates.take("during", 1, 60_000)).ok).toBe(false);
    await state.audit.append({ audit: "probe", user: "U2", host: "lab", outcome: "ok" });
    for (let i = 0; i < 20; i++) await state.claims.peek(`x${i}`);
    expect(logs.filter((l) => l.event === "state_degraded")).toHaveLength(1);

    await server.start();
    await until(() => state.degraded() === undefined);
    expect(logs.filter((l) => l.event === "state_recovered")).toHaveLength(1);
    // What was decided during the outage is in Redis now: a retry reaching any replica finds it done.
    expect(await raw.get("xb-test:claim:during")).toBe("d");
    expect(await raw.get("xb-test:claim:before")).toBe("d");
    expect(await raw.pttl("xb-test:claim:during")).toBeGreaterThan(0);
    expect(await state.claims.claim("during", "c", 5000)).toBe("done");
    const audit = await raw.xrange("xb-test:audit", "-", "+");
    expect(audit.map(([, f]) => JSON.parse(f[1] ?? "{}"))).toContainEqual({ audit: "probe", user: "U2", host: "lab", outcome: "ok" });
  });

  it("Redis restarted empty: the working claims this replica's owners still hold are written back, so no other replica takes their work over", async () => {
    const other = await openState({ redisUrl: server.url, prefix: "xb-test:", log: () => undefined, audit: quiet(), feedback: quiet(), checkEveryMs: 100 });
    try {
      // One claim taken on Redis before the outage, one in-process during it; both owners are still working.
      expect(await state.claims.claim("held-before", "owner-a", 60_000)).toBe("claimed");
      await server.stop();
      await until(() => state.degraded() !== undefined && other.degraded() !== undefined);
      expect(await state.claims.claim("held-during", "owner-b", 60_000)).toBe("claimed");
      await state.claims.renew("held-before", "owner-a", 60_000);
      await server.start();
      await until(() => state.degraded() === undefined && other.degraded() === undefined);
      expect(await raw.get("xb-test:claim:held-before")).toBe("w:owner-a");
      expect(await raw.get("xb-test:claim:held-during")).toBe("w:owner-b");
      expect(await other.claims.claim("held-before", "owner-c", 60_000)).toBe("working");
      expect(await other.claims.claim("held-during", "owner-c", 60_000)).toBe("working");
      // A finished claim is not held any more: nothing of it is written back as working.
      await state.claims.done("held-during", 60_000);
      expect(await other.claims.claim("held-during", "owner-c", 60_000)).toBe("done");
    } finally {
      await other.close();
    }
  });

  it("Redis unreachable at start: one clear error naming REDIS_URL, password hidden", async () => {
    const err = await openState({ redisUrl: "redis://:s3cret@127.0.0.1:1", log: () => undefined, connectTimeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toMatch(/^could not reach Redis at REDIS_URL \(redis:\/\/:\*\*\*\*@127\.0\.0\.1:1\/?\): .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain("s3cret");
    const bad = await openState({ redisUrl: "http://127.0.0.1:1", log: () => undefined }).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/REDIS_URL must be a redis:\/\//);
  });
});
