// Shared state the Slack handlers need when several replicas answer one workspace: who is answering what,
// how many probes a person has started, and the audit and feedback trails. In-process by default,
// Redis when REDIS_URL is set; the handlers only ever see these interfaces.
import type { FeedbackStore } from "./feedback.js";

/** What a claim attempt found. */
export type ClaimState = "claimed" | "working" | "done";

/**
 * Two-phase claims. `claim` takes a key as "working" for a short time; the owner renews it while it works
 * and marks it "done" when the answer is posted. An owner that dies stops renewing, the working claim
 * expires, and a later delivery (a Slack retry reaching another replica) can take the key over.
 */
export interface ClaimStore {
  /** Takes `key` for `owner` as working for `workingMs`, or says who holds it. */
  claim(key: string, owner: string, workingMs: number): Promise<ClaimState>;
  /** Extends `owner`'s working claim; false when the claim is no longer theirs (expired, or done). */
  renew(key: string, owner: string, workingMs: number): Promise<boolean>;
  /** Marks `key` done for `doneMs`: later claims find "done" until then. */
  done(key: string, doneMs: number): Promise<void>;
  /** Gives up `owner`'s working claim (the work failed), so a redelivery can try again. */
  release(key: string, owner: string): Promise<void>;
  /** The state of `key` now, without taking it. */
  peek(key: string): Promise<ClaimState | "free">;
}

export type RateDecision = { ok: true; count: number } | { ok: false; count: number; retryAfterMs: number };

/** A sliding-window rate: at most `limit` takes per `key` within any `windowMs`. */
export interface RateLimiter {
  take(key: string, limit: number, windowMs: number): Promise<RateDecision>;
}

/** One slot of a concurrency cap, held until released or until its lease runs out. */
export interface Lease {
  /** Extends the lease; false when it already ran out and the slot may be someone else's. */
  renew(leaseMs: number): Promise<boolean>;
  release(): Promise<void>;
}

/** At most `max` holders of `name` at once, across every replica that shares the store. */
export interface ConcurrencyCap {
  /** A slot, or null when all `max` are taken. A holder that dies frees its slot after `leaseMs`. */
  acquire(name: string, max: number, leaseMs: number): Promise<Lease | null>;
}

/** A structured record for a trail (audit or feedback): JSON-serialisable, never carrying a secret. */
export type TrailRecord = Record<string, unknown>;

/** An append-only trail: the probe audit, or the "Did this help?" feedback. */
export interface TrailSink {
  append(rec: TrailRecord): Promise<void>;
}

export type AuditSink = TrailSink;
export type FeedbackSink = TrailSink;

/** How the shared state is doing: `degraded` names what is wrong while the bot runs on in-process state. */
export interface StateHealth {
  readonly backend: "memory" | "redis";
  degraded(): string | undefined;
}

/** Everything the bot shares between replicas, plus how to let go of it. */
export interface SharedState extends StateHealth {
  claims: ClaimStore;
  rates: RateLimiter;
  cap: ConcurrencyCap;
  audit: AuditSink;
  feedback: FeedbackSink;
  /**
   * Votes, reasons, probe outcomes and answers, counted for every replica (Redis). Absent for in-process
   * state: one process keeps them in its own file (DATA_DIR/feedback.jsonl).
   */
  feedbackStore?: FeedbackStore;
  close(): Promise<void>;
}
