// Shared state on Redis that degrades instead of failing: when Redis goes away at run time the bot keeps
// answering on in-process state (claims, limits, trails, feedback counts), says so once in the log and in
// /healthz, and goes back to Redis by itself when Redis answers again, writing back what it decided meanwhile.
// Redis runs without persistence, so a restarted server has forgotten every claim: on recovery this replica
// also writes back the "working" claims its owners still hold, or another replica would take over work that
// is about to be posted.
import type { Redis } from "ioredis";
import { ExpiringMap } from "./expiring-map.js";
import { DegradingFeedbackStore } from "./feedback-degrading.js";
import { RedisFeedbackStore, type RedisFeedbackOptions } from "./feedback-redis.js";
import { MemoryClaimStore, MemoryConcurrencyCap, MemoryRateLimiter } from "./memory.js";
import { RedisClaimStore, RedisConcurrencyCap, RedisRateLimiter, RedisStreamSink } from "./redis-stores.js";
import type { ClaimState, ClaimStore, ConcurrencyCap, Lease, RateDecision, RateLimiter, SharedState, TrailRecord, TrailSink } from "./types.js";

export interface DegradingOptions {
  /** Receives state_degraded / state_recovered lines. */
  log: (rec: { event: string; [k: string]: unknown }) => void;
  /** Local copies of the trails (stdout lines); always written, Redis or not. */
  audit: TrailSink;
  feedback: TrailSink;
  /** How often to ask Redis whether it is back while degraded. */
  checkEveryMs?: number;
  /** Trail records kept while degraded, to be written to Redis on recovery. */
  maxPending?: number;
  /** How much feedback Redis keeps (stream length, expiry). */
  feedbackStore?: RedisFeedbackOptions;
  now?: () => number;
}

export class DegradingState implements SharedState {
  readonly backend = "redis" as const;
  readonly claims: ClaimStore;
  readonly rates: RateLimiter;
  readonly cap: ConcurrencyCap;
  readonly audit: TrailSink;
  readonly feedback: TrailSink;
  readonly feedbackStore: DegradingFeedbackStore;
  private down: string | undefined;
  private downSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly mem = { claims: new MemoryClaimStore(), rates: new MemoryRateLimiter(), cap: new MemoryConcurrencyCap() };
  private readonly red: { claims: RedisClaimStore; rates: RedisRateLimiter; cap: RedisConcurrencyCap };
  private readonly pending: Array<{ sink: RedisStreamSink; rec: TrailRecord }> = [];
  /** Working claims this replica's owners hold, on whichever store granted them: key → owner. */
  private readonly held: ExpiringMap<string>;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly opts: DegradingOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.held = new ExpiringMap<string>(100_000, this.now);
    this.red = { claims: new RedisClaimStore(redis), rates: new RedisRateLimiter(redis), cap: new RedisConcurrencyCap(redis) };
    const via = <T>(op: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => this.via(op, fallback);
    const { mem, red } = this;
    const held = this.held;
    this.claims = {
      claim: async (k, o, ms): Promise<ClaimState> => {
        const s = await via(() => red.claims.claim(k, o, ms), () => mem.claims.claim(k, o, ms));
        if (s === "claimed") held.set(k, o, ms);
        return s;
      },
      renew: async (k, o, ms) => {
        const ok = await via(() => red.claims.renew(k, o, ms), () => mem.claims.renew(k, o, ms));
        // While degraded the in-process store has never heard of a claim granted by Redis: the owner still holds it.
        if (held.get(k) === o) {
          if (ok || this.down) held.set(k, o, ms);
          else held.delete(k);
        }
        return ok;
      },
      done: (k, ms) => {
        held.delete(k);
        return via(() => red.claims.done(k, ms), () => mem.claims.done(k, ms));
      },
      release: (k, o) => {
        if (held.get(k) === o) held.delete(k);
        return via(() => red.claims.release(k, o), () => mem.claims.release(k, o));
      },
      peek: (k) => via(() => red.claims.peek(k), () => mem.claims.peek(k)),
    };
    this.rates = { take: (k, l, w): Promise<RateDecision> => via(() => red.rates.take(k, l, w), () => mem.rates.take(k, l, w)) };
    this.cap = {
      acquire: (name, max, ms): Promise<Lease | null> =>
        via(
          async () => {
            const lease = await red.cap.acquire(name, max, ms);
            // A lease taken on Redis outlives an outage only as long as its lease time; never fail its holder.
            return lease && { renew: (t: number) => lease.renew(t).catch(() => true), release: () => lease.release().catch(() => undefined) };
          },
          () => mem.cap.acquire(name, max, ms),
        ),
    };
    this.audit = this.trail(opts.audit, new RedisStreamSink(redis, "audit"));
    this.feedback = this.trail(opts.feedback, new RedisStreamSink(redis, "feedback"));
    this.feedbackStore = new DegradingFeedbackStore(new RedisFeedbackStore(redis, opts.feedbackStore), { via }, opts.maxPending);
    // Notice a lost connection at once (so /healthz follows it), not only when the next command fails.
    redis.on("close", () => this.lose("the connection to Redis closed"));
    redis.on("ready", () => void this.check());
    redis.on("error", () => undefined);
  }

  degraded(): string | undefined {
    return this.down;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.redis.disconnect();
  }

  private trail(local: TrailSink, remote: RedisStreamSink): TrailSink {
    return {
      append: async (rec) => {
        await local.append(rec);
        if (this.down) return this.keep(remote, rec);
        await remote.append(rec).catch((err: unknown) => {
          this.lose(reason(err));
          this.keep(remote, rec);
        });
      },
    };
  }

  private keep(sink: RedisStreamSink, rec: TrailRecord): void {
    this.pending.push({ sink, rec });
    if (this.pending.length > (this.opts.maxPending ?? 10_000)) this.pending.shift();
  }

  private async via<T>(op: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (this.down) return fallback();
    try {
      return await op();
    } catch (err) {
      this.lose(reason(err));
      return fallback();
    }
  }

  private lose(why: string): void {
    if (this.down || this.closed) return;
    this.down = `Redis unavailable (${why}); claims, limits and feedback counts are per replica until it is back`;
    this.downSince = this.now();
    this.opts.log({ event: "state_degraded", reason: why });
    this.timer = setInterval(() => void this.check(), this.opts.checkEveryMs ?? 1000);
    this.timer.unref();
  }

  /** While degraded: if Redis answers, write back what was decided meanwhile, then use Redis again. */
  private checking = false;
  private async check(): Promise<void> {
    if (!this.down || this.checking || this.closed || this.redis.status !== "ready") return;
    this.checking = true;
    try {
      await this.redis.ping();
      const done = [...this.mem.claims.map.live()].filter(([, v]) => v.done).map(([k, , ttl]): [string, number] => [k, ttl]);
      const working = [...this.held.live()].map(([k, owner, ttl]): [string, string, number] => [k, owner, ttl]);
      const restored = (await this.red.claims.restoreWorking(working)) + (await this.red.claims.restoreDone(done));
      const bySink = new Map<RedisStreamSink, TrailRecord[]>();
      for (const { sink, rec } of this.pending) bySink.set(sink, [...(bySink.get(sink) ?? []), rec]);
      for (const [sink, recs] of bySink) await sink.appendAll(recs);
      this.pending.length = 0;
      const feedback = await this.feedbackStore.writeBack();
      for (const [k] of done) this.mem.claims.map.delete(k);
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      this.down = undefined;
      this.opts.log({ event: "state_recovered", after_ms: this.now() - this.downSince, claims_restored: restored, feedback_written: feedback });
    } catch {
      // Still away: the next tick asks again.
    } finally {
      this.checking = false;
    }
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200);
}
