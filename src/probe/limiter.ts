// Probes cost the target host a logon: few at once, few per user per minute. (The probe service audits each request.)
// Both limits live in the shared state, so with several replicas they hold for the whole bot: the per-user
// rate is a sliding window, and the slots a concurrency cap whose leases lapse if a replica dies mid-probe.
import { MemoryConcurrencyCap, MemoryRateLimiter } from "../state/memory.js";
import type { ConcurrencyCap, Lease, RateLimiter } from "../state/types.js";
import type { ProbeResult } from "./types.js";

export interface ProbeLimiterOptions {
  /** Probes running at once (across every replica sharing `cap`). */
  maxConcurrent?: number;
  /** Probes waiting for a slot in this replica; more than this and new ones are turned away. */
  maxQueued?: number;
  /** Probes one user may start within `windowMs`. */
  perUser?: number;
  windowMs?: number;
  /** Shared state; in-process when not given. */
  rates?: RateLimiter;
  cap?: ConcurrencyCap;
  /** How often a waiting probe asks for a slot that another replica may have freed. */
  pollMs?: number;
  now?: () => number;
}

export type LimitedOutcome =
  | { status: "done"; result: ProbeResult }
  | { status: "rejected"; reason: "rate-limited" | "busy"; message: string; retryAfterMs: number };

/** A slot is held at most this long without renewal: a replica that dies mid-probe frees it after this. */
const LEASE_MS = 30_000;

export class ProbeLimiter {
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly perUser: number;
  private readonly windowMs: number;
  private readonly rates: RateLimiter;
  private readonly cap: ConcurrencyCap;
  private readonly pollMs: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(opts: ProbeLimiterOptions = {}) {
    this.maxConcurrent = opts.maxConcurrent ?? 3;
    this.maxQueued = opts.maxQueued ?? 10;
    this.perUser = opts.perUser ?? 5;
    this.windowMs = opts.windowMs ?? 60_000;
    this.rates = opts.rates ?? new MemoryRateLimiter(100_000, opts.now);
    this.cap = opts.cap ?? new MemoryConcurrencyCap(opts.now);
    this.pollMs = opts.pollMs ?? 100;
  }

  /** Probes running in this replica. */
  get active(): number {
    return this.running;
  }

  /** Runs `probe` when a slot is free and the user is within their rate; otherwise says why not. */
  async run(user: string, probe: () => Promise<ProbeResult>): Promise<LimitedOutcome> {
    let lease = await this.cap.acquire("probes", this.maxConcurrent, LEASE_MS);
    if (!lease && this.waiting.length >= this.maxQueued) return this.busy();
    const rate = await this.rates.take(`probe:${user}`, this.perUser, this.windowMs);
    if (!rate.ok) {
      await lease?.release();
      const s = Math.ceil(rate.retryAfterMs / 1000);
      return { status: "rejected", reason: "rate-limited", retryAfterMs: rate.retryAfterMs, message: `You have started ${rate.count} probes in the last ${Math.round(this.windowMs / 1000)} s; try again in ${s} s.` };
    }
    while (!lease) {
      if (this.waiting.length >= this.maxQueued) return this.busy();
      await this.wait();
      lease = await this.cap.acquire("probes", this.maxConcurrent, LEASE_MS);
    }
    this.running++;
    const held: Lease = lease;
    const keep = setInterval(() => void held.renew(LEASE_MS).catch(() => undefined), LEASE_MS / 3);
    keep.unref();
    try {
      return { status: "done", result: await probe() };
    } finally {
      clearInterval(keep);
      this.running--;
      await held.release().catch(() => undefined);
      // The next one waiting here asks at once rather than at its next poll.
      this.waiting.shift()?.();
    }
  }

  private busy(): LimitedOutcome {
    return { status: "rejected", reason: "busy", retryAfterMs: 5_000, message: "Too many probes are running; try again in a few seconds." };
  }

  /** Until a local probe finishes or the poll interval passes (a slot freed on another replica). */
  private wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(wake, this.pollMs);
      this.waiting.push(wake);
    });
  }
}
