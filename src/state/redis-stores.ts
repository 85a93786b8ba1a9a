// The shared stores on Redis. Every key carries the client's keyPrefix (REDIS_PREFIX) and an expiry; each
// check-and-change is one Lua script, so replicas racing on the same key see one winner. Times inside the
// scripts come from Redis's own clock (TIME), so replicas whose clocks disagree still share one window.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { ClaimState, ClaimStore, ConcurrencyCap, Lease, RateDecision, RateLimiter, TrailRecord, TrailSink } from "./types.js";

const NOW_MS = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";

const SCRIPTS = {
  // Value "w:<owner>" while working, "d" once done.
  xbClaim: `local ok = redis.call('SET', KEYS[1], 'w:' .. ARGV[1], 'NX', 'PX', ARGV[2])
if ok then return 'claimed' end
local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], 'w:' .. ARGV[1], 'PX', ARGV[2]) return 'claimed' end
if v == 'd' then return 'done' end
return 'working'`,
  xbRenew: `if redis.call('GET', KEYS[1]) == 'w:' .. ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  xbRelease: `if redis.call('GET', KEYS[1]) == 'w:' .. ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  // A sorted set of start times per key: drop those outside the window, count, add if under the limit.
  xbRate: `${NOW_MS}
local limit = tonumber(ARGV[1]) local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  redis.call('PEXPIRE', KEYS[1], window)
  return {0, n, tonumber(first[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, n + 1, 0}`,
  // A sorted set of holders scored by lease expiry: expired holders are dropped before counting.
  xbAcquire: `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`,
  xbRenewLease: `${NOW_MS}
local exp = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not exp or tonumber(exp) <= now then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 1`,
} as const;

type Script = keyof typeof SCRIPTS;
type Scripted = Record<Script, (key: string, ...args: (string | number)[]) => Promise<unknown>>;

/** Registers the scripts once per client (ioredis sends EVALSHA, and the script itself only when Redis lacks it). */
function scripted(redis: Redis): Scripted {
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  }
  return redis as unknown as Scripted;
}

export class RedisClaimStore implements ClaimStore {
  private readonly r: Scripted;
  constructor(private readonly redis: Redis) {
    this.r = scripted(redis);
  }
  async claim(key: string, owner: string, workingMs: number): Promise<ClaimState> {
    return (await this.r.xbClaim(`claim:${key}`, owner, Math.ceil(workingMs))) as ClaimState;
  }
  async renew(key: string, owner: string, workingMs: number): Promise<boolean> {
    return (await this.r.xbRenew(`claim:${key}`, owner, Math.ceil(workingMs))) === 1;
  }
  async done(key: string, doneMs: number): Promise<void> {
    await this.redis.set(`claim:${key}`, "d", "PX", Math.ceil(doneMs));
  }
  async release(key: string, owner: string): Promise<void> {
    await this.r.xbRelease(`claim:${key}`, owner);
  }
  async peek(key: string): Promise<ClaimState | "free"> {
    const v = await this.redis.get(`claim:${key}`);
    return v === null ? "free" : v === "d" ? "done" : "working";
  }
  /**
   * Writes back working claims this replica's owners still hold (after Redis restarted empty, or claims taken
   * in-process while it was away), unless some other replica has meanwhile taken or finished the key.
   */
  async restoreWorking(entries: Iterable<[string, string, number]>): Promise<number> {
    const p = this.redis.pipeline();
    let n = 0;
    for (const [key, owner, ttl] of entries) {
      p.set(`claim:${key}`, `w:${owner}`, "PX", Math.max(1, Math.ceil(ttl)), "NX");
      n++;
    }
    if (n) await p.exec();
    return n;
  }
  /** Writes claims that were marked done elsewhere (in-process while Redis was away), keeping their expiry. */
  async restoreDone(entries: Iterable<[string, number]>): Promise<number> {
    const p = this.redis.pipeline();
    let n = 0;
    for (const [key, ttl] of entries) {
      p.set(`claim:${key}`, "d", "PX", Math.max(1, Math.ceil(ttl)));
      n++;
    }
    if (n) await p.exec();
    return n;
  }
}

export class RedisRateLimiter implements RateLimiter {
  private readonly r: Scripted;
  constructor(redis: Redis) {
    this.r = scripted(redis);
  }
  async take(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    const [ok, count, retry] = (await this.r.xbRate(`rate:${key}`, limit, Math.ceil(windowMs), randomUUID())) as [number, number, number];
    return ok === 1 ? { ok: true, count } : { ok: false, count, retryAfterMs: Math.max(1, retry) };
  }
}

export class RedisConcurrencyCap implements ConcurrencyCap {
  private readonly r: Scripted;
  constructor(private readonly redis: Redis) {
    this.r = scripted(redis);
  }
  async acquire(name: string, max: number, leaseMs: number): Promise<Lease | null> {
    const key = `cap:${name}`;
    const id = randomUUID();
    if ((await this.r.xbAcquire(key, max, Math.ceil(leaseMs), id)) !== 1) return null;
    return {
      renew: async (ms) => (await this.r.xbRenewLease(key, Math.ceil(ms), id)) === 1,
      release: async () => void (await this.redis.zrem(key, id)),
    };
  }
}

export interface StreamOptions {
  /** Entries kept (approximately: Redis trims whole nodes). */
  maxLen?: number;
  /** The stream expires this long after its last entry. */
  ttlMs?: number;
}

/** A trail as a Redis Stream (XADD), one field `rec` holding the record's JSON. */
export class RedisStreamSink implements TrailSink {
  private readonly maxLen: number;
  private readonly ttlMs: number;
  constructor(
    private readonly redis: Redis,
    readonly stream: string,
    opts: StreamOptions = {},
  ) {
    this.maxLen = opts.maxLen ?? 100_000;
    this.ttlMs = opts.ttlMs ?? 30 * 24 * 3600_000;
  }
  async append(rec: TrailRecord): Promise<void> {
    await this.appendAll([rec]);
  }
  async appendAll(recs: readonly TrailRecord[]): Promise<void> {
    if (!recs.length) return;
    const p = this.redis.pipeline();
    for (const rec of recs) p.xadd(this.stream, "MAXLEN", "~", this.maxLen, "*", "rec", JSON.stringify(rec));
    p.pexpire(this.stream, this.ttlMs);
    const results = (await p.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }
}
