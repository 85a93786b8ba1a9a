// The in-process rate limiter and concurrency cap (one replica): apart from memory.ts so that the probe
// limiter, which the terminal probe loads, does not pull in the trails and their logger.
import { ExpiringMap } from "./expiring-map.js";
import type { ConcurrencyCap, Lease, RateDecision, RateLimiter } from "./types.js";

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

let holderSeq = 0;

export class MemoryConcurrencyCap implements ConcurrencyCap {
  /** Holders per cap name: holder id → lease expiry. */
  private readonly holders = new Map<string, Map<string, number>>();
  constructor(private readonly now: () => number = Date.now) {}

  async acquire(name: string, max: number, leaseMs: number): Promise<Lease | null> {
    const t = this.now();
    const held = this.holders.get(name) ?? new Map<string, number>();
    for (const [id, exp] of held) if (exp <= t) held.delete(id);
    if (held.size >= max) return null;
    // Unique within this process, which is all a holder id must be; a counter spares loading node:crypto.
    const id = String(++holderSeq);
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
