// The in-process store: the default (one replica, nothing to install) and the fallback while Redis is away.
import { randomUUID } from "node:crypto";
import { ExpiringMap } from "./expiring-map.js";
import type { ClaimState, ClaimStore, ConcurrencyCap, Lease, RateDecision, RateLimiter, SharedState, TrailRecord, TrailSink } from "./types.js";

/** A claim's value: "d" when done, otherwise the working owner. */
type Held = { done: true } | { done: false; owner: string };

export class MemoryClaimStore implements ClaimStore {
  readonly map: ExpiringMap<Held>;
  constructor(max = 400_000, now: () => number = Date.now) {
    this.map = new ExpiringMap<Held>(max, now);
  }

  async claim(key: string, owner: string, workingMs: number): Promise<ClaimState> {
    return this.claimNow(key, owner, workingMs);
  }

  /** The same as claim, without a promise: the check and the mark are one step in this process. */
  claimNow(key: string, owner: string, workingMs: number): ClaimState {
    const held = this.map.get(key);
    if (held) return held.done ? "done" : "working";
    this.map.set(key, { done: false, owner }, workingMs);
    return "claimed";
  }

  async renew(key: string, owner: string, workingMs: number): Promise<boolean> {
    const held = this.map.get(key);
    if (!held || held.done || held.owner !== owner) return false;
    this.map.set(key, held, workingMs);
    return true;
  }

  async done(key: string, doneMs: number): Promise<void> {
    this.map.set(key, { done: true }, doneMs);
  }

  async release(key: string, owner: string): Promise<void> {
    const held = this.map.get(key);
    if (held && !held.done && held.owner === owner) this.map.delete(key);
  }

  async peek(key: string): Promise<ClaimState | "free"> {
    const held = this.map.get(key);
    return !held ? "free" : held.done ? "done" : "working";
  }
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly starts: ExpiringMap<number[]>;
  constructor(
    max = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    this.starts = new ExpiringMap<number[]>(max, now);
  }

  async take(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    const t = this.now();
    const recent = (this.starts.get(key) ?? []).filter((s) => t - s < windowMs);
    if (recent.length >= limit) {
      this.starts.set(key, recent, windowMs);
      return { ok: false, count: recent.length, retryAfterMs: Math.max(1, windowMs - (t - (recent[0] ?? t))) };
    }
    recent.push(t);
    this.starts.set(key, recent, windowMs);
    return { ok: true, count: recent.length };
  }
}

export class MemoryConcurrencyCap implements ConcurrencyCap {
  /** Holders per cap name: holder id → lease expiry. */
  private readonly holders = new Map<string, Map<string, number>>();
  constructor(private readonly now: () => number = Date.now) {}

  async acquire(name: string, max: number, leaseMs: number): Promise<Lease | null> {
    const t = this.now();
    const held = this.holders.get(name) ?? new Map<string, number>();
    for (const [id, exp] of held) if (exp <= t) held.delete(id);
    if (held.size >= max) return null;
    const id = randomUUID();
    held.set(id, t + leaseMs);
    this.holders.set(name, held);
    return {
      renew: async (ms) => {
        const exp = held.get(id);
        if (exp === undefined || exp <= this.now()) return false;
        held.set(id, this.now() + ms);
        return true;
      },
      release: async () => {
        held.delete(id);
        if (!held.size) this.holders.delete(name);
      },
    };
  }
}

/** A trail kept as one JSON line each on stdout (what a log collector picks up), plus the last few in memory. */
export class LineSink implements TrailSink {
  readonly recent: TrailRecord[] = [];
  constructor(
    private readonly write: (line: string) => void = (l) => void process.stdout.write(l),
    private readonly keep = 1000,
  ) {}

  async append(rec: TrailRecord): Promise<void> {
    this.write(`${JSON.stringify(rec)}\n`);
    this.recent.push(rec);
    if (this.recent.length > this.keep) this.recent.shift();
  }
}

/**
 * The feedback trail without Redis: kept in memory only. Each vote's `feedback` log line is written by the
 * handler (svc.log); a trail that printed it too made every vote show up twice in the log.
 */
export const quietFeedbackTrail = (): LineSink => new LineSink(() => undefined);

export function memoryState(opts: { audit?: TrailSink; feedback?: TrailSink } = {}): SharedState {
  return {
    backend: "memory",
    degraded: () => undefined,
    claims: new MemoryClaimStore(),
    rates: new MemoryRateLimiter(),
    cap: new MemoryConcurrencyCap(),
    audit: opts.audit ?? new LineSink(),
    feedback: opts.feedback ?? quietFeedbackTrail(),
    close: async () => undefined,
  };
}
