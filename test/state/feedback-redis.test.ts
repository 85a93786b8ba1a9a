// Feedback shared by replicas: two bots' stores on one real redis-server (Debian's, started here on a free
// loopback port with persistence off) count one set of votes, `kb stats` reads the history from Redis, and
// an outage leaves each replica counting on its own until Redis is back.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseHistory, type FeedbackRecord } from "../../src/feedback/records.js";
import { startRedisServer, type RedisServer } from "../../src/local/redis-server.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import type { FeedbackStore } from "../../src/state/feedback.js";
import { FEEDBACK_FILE } from "../../src/state/feedback-file.js";
import { RedisFeedbackStore } from "../../src/state/feedback-redis.js";
import { LineSink } from "../../src/state/memory.js";
import { openState } from "../../src/state/open.js";
import type { SharedState } from "../../src/state/types.js";
import { FIXTURE_KNOWLEDGE_DIR } from "../helpers/knowledge.js";
import { eventually } from "../slack/harness.js";

const quiet = () => new LineSink(() => undefined);
const at = "2026-11-25T10:00:00.000Z";
const KIND = "channel|event|event id 100";
const vote = (user: string, helpful: boolean, answer: string): FeedbackRecord => ({ type: "vote", at, article: "Q100001", user, helpful, answer, matchedOn: KIND });

describe("feedback on Redis, shared by replicas", () => {
  let server: RedisServer;
  let a: SharedState;
  let b: SharedState;
  let raw: Redis;
  const logs: Array<{ event: string; [k: string]: unknown }> = [];
  const replica = (prefix: string, log: (r: { event: string }) => void = () => undefined) =>
    openState({ redisUrl: server.url, prefix, log, audit: quiet(), feedback: quiet(), checkEveryMs: 100 });
  const store = (s: SharedState): FeedbackStore => s.feedbackStore!;

  beforeAll(async () => {
    server = await startRedisServer();
    a = await replica("xb-fb:", (r) => logs.push(r));
    b = await replica("xb-fb:");
    raw = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 200 });
    raw.on("error", () => undefined);
    await raw.connect();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    raw?.disconnect();
    await server?.stop();
  });

  it("two replicas see each other's votes; a changed vote counts once, as last voted", async () => {
    const answer = "C1/1.000100";
    await store(a).append({ type: "answered", at, article: "Q100001", via: "paste", answer, matchedOn: KIND });
    expect(await store(b).matchedOnOf(answer)).toBe(KIND);
    await store(a).append(vote("U1", false, answer));
    await store(b).append(vote("U2", true, answer));
    expect(await store(a).votesOn(answer)).toEqual({ helpful: 1, unhelpful: 1 });
    expect(await store(b).votesOn(answer)).toEqual({ helpful: 1, unhelpful: 1 });
    // U1 changes their mind on the other replica: still one vote each.
    await store(b).append(vote("U1", true, answer));
    await store(b).append(vote("U1", true, answer));
    expect(await store(a).votesOn(answer)).toEqual({ helpful: 2, unhelpful: 0 });
    expect((await store(a).votesByArticle(KIND)).get("Q100001")).toEqual({ helpful: 2, unhelpful: 0 });
    expect(await store(a).votesOn("C1/never")).toEqual({ helpful: 0, unhelpful: 0 });
    // Another bot on the same server (another REDIS_PREFIX) has its own votes.
    const other = await replica("xb-fb-other:");
    try {
      expect(await store(other).votesOn(answer)).toEqual({ helpful: 0, unhelpful: 0 });
    } finally {
      await other.close();
    }
  });

  it("keeps memory bounded: every key under the prefix expires, the stream is trimmed to about its length", async () => {
    const keys = await raw.keys("xb-fb:fb:*");
    expect(keys).toEqual(expect.arrayContaining(["xb-fb:fb:trail", "xb-fb:fb:votes:C1/1.000100", `xb-fb:fb:kind:${KIND}`, "xb-fb:fb:matched:C1/1.000100"]));
    for (const key of keys) expect(await raw.pttl(key)).toBeGreaterThan(0);
    const small = new Redis(server.url, { keyPrefix: "xb-fb-small:", lazyConnect: true });
    await small.connect();
    try {
      const s = new RedisFeedbackStore(small, { maxLen: 10, ttlMs: 60_000 });
      for (let i = 0; i < 5; i++) await s.appendAll(Array.from({ length: 100 }, (_, j) => vote(`U${i}-${j}`, true, "C2/2.000100")));
      // MAXLEN ~ trims whole stream nodes (100 entries each here), never more than it is asked to keep.
      expect(await raw.xlen("xb-fb-small:fb:trail")).toBeLessThan(250);
      expect(await raw.pttl("xb-fb-small:fb:trail")).toBeLessThanOrEqual(60_000);
      expect(await s.votesOn("C2/2.000100")).toEqual({ helpful: 500, unhelpful: 0 });
    } finally {
      small.disconnect();
    }
  });

  it("kb stats reads a recorded history from Redis (REDIS_URL set), the same numbers as from the file, and says so", async () => {
    const history = readFileSync(join(PROJECT_ROOT, "test/fixtures/feedback/history.jsonl"), "utf8");
    const hist = await replica("xb-fb-hist:");
    try {
      for (const rec of parseHistory(history).records) await store(hist).append(rec);
    } finally {
      await hist.close();
    }
    // A stray entry someone else wrote is reported, not fatal.
    await raw.xadd("xb-fb-hist:fb:trail", "*", "rec", "not json");
    // Read in pages, the whole stream comes back in order, each entry once.
    const prefixed = new Redis(server.url, { keyPrefix: "xb-fb-hist:", lazyConnect: true });
    await prefixed.connect();
    try {
      const paged = await new RedisFeedbackStore(prefixed).records(4);
      expect(paged.records).toEqual(parseHistory(history).records);
      expect(paged.problems).toHaveLength(1);
    } finally {
      prefixed.disconnect();
    }
    const run = (args: string[], env: Record<string, string>) =>
      spawnSync(process.execPath, [join(PROJECT_ROOT, "bin/exchange-bot.js"), "kb", "stats", ...args], {
        encoding: "utf8",
        env: { ...process.env, KNOWLEDGE_DIR: FIXTURE_KNOWLEDGE_DIR, DATA_DIR: join(PROJECT_ROOT, "test/fixtures/no-such-dir"), REDIS_PREFIX: "xb-fb-hist:", ...env },
      });
    const fromRedis = run(["--json"], { REDIS_URL: server.url });
    expect(fromRedis.status).toBe(0);
    expect(fromRedis.stderr).toContain(`kb stats: 13 records in Redis at REDIS_URL (${server.url}`);
    expect(fromRedis.stderr).toMatch(/stream xb-fb-hist:fb:trail\n/);
    expect(fromRedis.stderr).toMatch(/warning: fb:trail entry [\d-]+: not JSON: ignored/);
    const data = mkdtempSync(join(tmpdir(), "kb-stats-file-"));
    try {
      writeFileSync(join(data, FEEDBACK_FILE), history);
      const fromFile = run(["--json"], { DATA_DIR: data });
      expect(fromFile.stderr).toContain(`kb stats: 13 records in ${join(data, FEEDBACK_FILE)}`);
      expect(JSON.parse(fromRedis.stdout)).toEqual(JSON.parse(fromFile.stdout));
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
    expect(JSON.parse(fromRedis.stdout)).toContainEqual(expect.objectContaining({ id: "Q100001", answered: 3, helpful: 3, unhelpful: 1, reasons: ["The steps skip the restart"] }));
    const people = run([], { REDIS_URL: server.url });
    expect(people.stdout).toMatch(/^13 records in Redis at REDIS_URL/);
    // Redis named but away: one clear line and a failure, not another store's numbers.
    const away = run(["--json"], { REDIS_URL: "redis://:pw-not-shown@127.0.0.1:1" });
    expect(away.status).toBe(1);
    expect(away.stdout).toBe("");
    expect(away.stderr).toMatch(/^kb stats: could not reach Redis at REDIS_URL \(redis:\/\/:\*\*\*\*@127\.0\.0\.1:1\/?\)/);
    expect(away.stderr).not.toContain("pw-not-shown");
  });

  it("Redis stopped: degraded, still counting (per replica), said once; back: the votes are written for every replica", async () => {
    const answer = "C3/3.000100";
    await store(a).append(vote("U1", true, answer));
    logs.length = 0;
    await server.stop();
    await eventually(() => a.degraded() !== undefined);
    expect(a.degraded()).toMatch(/Redis unavailable.*feedback counts are per replica/);
    // Still answering: votes during the outage count on this replica.
    await store(a).append(vote("U2", false, answer));
    await store(a).append(vote("U2", true, answer));
    expect(await store(a).votesOn(answer)).toEqual({ helpful: 1, unhelpful: 0 });
    expect(await store(a).matchedOnOf("C3/unknown")).toBeUndefined();
    expect(logs.filter((l) => l.event === "state_degraded")).toHaveLength(1);

    await server.start();
    await eventually(() => a.degraded() === undefined && b.degraded() === undefined);
    expect(logs.find((l) => l.event === "state_recovered")).toMatchObject({ feedback_written: 2 });
    // persistence is off: the restarted server lost U1's earlier vote; U2's outage vote is there, once, for B too.
    expect(await store(b).votesOn(answer)).toEqual({ helpful: 1, unhelpful: 0 });
    expect(await raw.hgetall(`xb-fb:fb:votes:${answer}`)).toEqual({ U2: "1" });
  });
});
