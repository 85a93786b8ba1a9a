// Probes cost the target host a logon: few at once, few per user per minute. (The probe service audits each request.)
import type { ProbeResult } from "./types.js";

export interface ProbeLimiterOptions {
  /** Probes running at once. */
  maxConcurrent?: number;
  /** Probes waiting for a slot; more than this and new ones are turned away. */
  maxQueued?: number;
  /** Probes one user may start within `windowMs`. */
  perUser?: number;
  windowMs?: number;
  now?: () => number;
}

export type LimitedOutcome =
  | { status: "done"; result: ProbeResult }
  | { status: "rejected"; reason: "rate-limited" | "busy"; message: string; retryAfterMs: number };

export class ProbeLimiter {
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly perUser: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private readonly starts = new Map<string, number[]>();

  constructor(opts: ProbeLimiterOptions = {}) {
    this.maxConcurrent = opts.maxConcurrent ?? 3;
    this.maxQueued = opts.maxQueued ?? 10;
    this.perUser = opts.perUser ?? 5;
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  get active(): number {
    return this.running;
  }

  /** Runs `probe` when a slot is free and the user is within their rate; otherwise says why not. */
  async run(user: string, probe: () => Promise<ProbeResult>): Promise<LimitedOutcome> {
    const t = this.now();
    const recent = (this.starts.get(user) ?? []).filter((s) => t - s < this.windowMs);
    if (recent.length >= this.perUser) {
      const retryAfterMs = this.windowMs - (t - (recent[0] ?? t));
      this.starts.set(user, recent);
      return { status: "rejected", reason: "rate-limited", retryAfterMs, message: `You have started ${recent.length} probes in the last ${Math.round(this.windowMs / 1000)} s; try again in ${Math.ceil(retryAfterMs / 1000)} s.` };
    }
    if (this.running >= this.maxConcurrent && this.queue.length >= this.maxQueued) {
      return { status: "rejected", reason: "busy", retryAfterMs: 5_000, message: "Too many probes are running; try again in a few seconds." };
    }
    recent.push(t);
    this.starts.set(user, recent);
    // A finishing probe hands its slot straight to the next in line, so a newcomer cannot slip in between.
    if (this.running >= this.maxConcurrent) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running++;
    try {
      return { status: "done", result: await probe() };
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
      this.prune(t);
    }
  }

  /** Forgets users with no start inside the window, so the map stays as small as the active user set. */
  private prune(t: number): void {
    for (const [user, list] of this.starts) if (list.every((s) => t - s >= this.windowMs)) this.starts.delete(user);
  }
}
