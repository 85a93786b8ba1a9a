// Probes cost the target host a logon: few at once, few per user per minute. (The probe service audits each request.)
// Both limits live in the shared state, so with several replicas they hold for the whole bot: the per-user
// rate is a sliding window, and the slots a concurrency cap whose leases lapse if a replica dies mid-probe.
import { MemoryConcurrencyCap, MemoryRateLimiter } from "../state/memory-limits.js";
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

/** A probe the limiter let through, not yet run: run it (once) or cancel it, giving its slot back. */
export type Admission =
  | { status: "admitted"; run(probe: () => Promise<ProbeResult>): Promise<ProbeResult>; cancel(): Promise<void> }
  | Extract<LimitedOutcome, { status: "rejected" }>;

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
  /** Admitted probes of this replica still without a slot. */
  private queued = 0;
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
    const admitted = await this.admit(user);
    return admitted.status === "admitted" ? { status: "done", result: await admitted.run(probe) } : admitted;
  }

  /**
   * Decides, before anything runs, whether `user` may probe now: within their rate, and a slot free or a place
   * in this replica's queue. An admitted probe holds its rate token and its place; it must be run or cancelled.
   * Deciding first lets a caller say "Probing…" in public only for a probe that will really run.
   */
  async admit(user: string): Promise<Admission> {
    let lease = await this.cap.acquire("probes", this.maxConcurrent, LEASE_MS);
    if (!lease && this.queued >= this.maxQueued) return this.busy();
    // A probe without a slot takes its place in the queue at once (before the rate check's round trip), and an
    // admitted one keeps it until it gets a slot, so it is never turned away later.
    if (!lease) this.queued++;
    const giveBack = async (): Promise<void> => {
      if (!lease) this.queued--;
      await lease?.release().catch(() => undefined);
    };
    const rate = await this.rates.take(`probe:${user}`, this.perUser, this.windowMs).catch(async (err: unknown) => {
      await giveBack();
      throw err;
    });
    if (!rate.ok) {
      await giveBack();
      const s = Math.ceil(rate.retryAfterMs / 1000);
      return { status: "rejected", reason: "rate-limited", retryAfterMs: rate.retryAfterMs, message: `You have started ${rate.count} probes in the last ${Math.round(this.windowMs / 1000)} s; try again in ${s} s.` };
    }
    let settled = false;
    const once = (): void => {
      if (settled) throw new Error("a probe admission is used once");
      settled = true;
    };
    return {
      status: "admitted",
      run: async (probe) => {
        once();
        let held = lease;
        try {
          while (!held) {
            await this.wait();
            held = await this.cap.acquire("probes", this.maxConcurrent, LEASE_MS);
          }
        } finally {
          if (!lease) this.queued--;
        }
        return this.holding(held, probe);
      },
      cancel: async () => {
        once();
        await giveBack();
      },
    };
  }

  private async holding(held: Lease, probe: () => Promise<ProbeResult>): Promise<ProbeResult> {
    this.running++;
    const keep = setInterval(() => void held.renew(LEASE_MS).catch(() => undefined), LEASE_MS / 3);
    keep.unref();
    try {
      return await probe();
    } finally {
      clearInterval(keep);
      this.running--;
      await held.release().catch(() => undefined);
      // The next one waiting here asks at once rather than at its next poll.
      this.waiting.shift()?.();
    }
  }

  private busy(): Extract<LimitedOutcome, { status: "rejected" }> {
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
