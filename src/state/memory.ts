// The in-process store: the default (one replica, nothing to install) and the fallback while Redis is away.
import { logger } from "../log.js";
import { ExpiringMap } from "./expiring-map.js";
import { MemoryConcurrencyCap, MemoryRateLimiter } from "./memory-limits.js";
import type { ClaimState, ClaimStore, SharedState, TrailRecord, TrailSink } from "./types.js";

/** A claim's value: "d" when done, otherwise the working owner. */
type Held = { done: true } | { done: false; owner: string };

export { MemoryConcurrencyCap, MemoryRateLimiter };

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


/** A trail kept as one JSON line each on stdout, through the logger (what a log collector picks up), plus the last few in memory. */
export class LineSink implements TrailSink {
  readonly recent: TrailRecord[] = [];
  constructor(
    private readonly write: (line: string, rec: TrailRecord) => void = (_, rec) => logger("state").info(rec),
    private readonly keep = 1000,
  ) {}

  async append(rec: TrailRecord): Promise<void> {
    this.write(`${JSON.stringify(rec)}\n`, rec);
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
