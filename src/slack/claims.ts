// What the handlers claim, on the shared ClaimStore, so that one paste is answered once by the whole bot
// however many replicas Slack's deliveries and retries reach.
//  - a message (channel/ts): two-phase. The replica that takes it renews its "working" claim while it
//    answers and marks it done after posting. A delivery that finds it working waits (after its ack) until
//    it is done, or until the claim lapses because its owner died; then it answers itself.
//  - an article in a thread: taken before posting, done after, released if nothing could be posted.
//  - a trigger_id, or a warning given: taken once; a second request with the same trigger_id is a replay.
//  - a probe of a host in a thread: taken while it runs, released when it ends; its TTL is the probe's deadline
//    plus a margin, so a replica that dies mid-probe frees the host within that time.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { ClaimStore } from "../state/types.js";

export interface ClaimTimings {
  /** How long a "working" claim lasts without renewal: how soon a dead replica's work is taken over. */
  workingMs: number;
  /** How long a delivery that found the message being worked on keeps waiting for it. */
  followMs: number;
  /** How often it looks. */
  pollMs: number;
}

export const DEFAULT_TIMINGS: ClaimTimings = { workingMs: 15_000, followMs: 120_000, pollMs: 500 };

/** Slack retries a delivery for about an hour: a message stays "done" that long. */
const MESSAGE_DONE_MS = 3600_000;
/** An article stays "in this thread" for a week. */
const THREAD_DONE_MS = 7 * 24 * 3600_000;
const FIRST_MS = 3600_000;
/** A probe "just finished" this long: a double-click's second click lands within it. */
export const JUST_DONE_MS = 5_000;

const probeKey = (channel: string, threadTs: string, host: string): string => `probe:${channel}/${threadTs}/${host.toLowerCase()}`;

export class BotClaims {
  private readonly replica = `${hostname()}/${process.pid}/${randomBytes(3).toString("hex")}`;
  private seq = 0;

  constructor(
    readonly store: ClaimStore,
    readonly timings: ClaimTimings = DEFAULT_TIMINGS,
    /** The shared state's health: while it is degraded, claims are per replica (see once()). */
    private readonly health: { degraded(): string | undefined } = { degraded: () => undefined },
  ) {}

  private owner(): string {
    return `${this.replica}/${++this.seq}`;
  }

  /**
   * Runs `work` for message `key` unless another delivery did or does. Resolves "ran" when this delivery
   * did the work, "done" when another did. A failing `work` releases the claim and rethrows. `work` is told
   * when it takes over from another owner whose claim lapsed: that one may have posted part of the answer.
   */
  async once(key: string, work: (takeover: boolean) => Promise<void>): Promise<"ran" | "done"> {
    const k = `msg:${key}`;
    const owner = this.owner();
    const { workingMs, followMs, pollMs } = this.timings;
    const until = Date.now() + followMs;
    let takeover = false;
    for (;;) {
      const state = await this.store.claim(k, owner, workingMs);
      if (state === "done") return "done";
      // This delivery saw another owner working on the message, and now the claim is free only because the
      // shared store is away and this replica's own store never heard of it. That owner is most likely alive
      // and about to post: keep following until the store is back (its claim is written back then) rather
      // than answer a second time. Past followMs it answers anyway: a double is better than a lost answer.
      if (state === "claimed" && takeover && this.health.degraded() !== undefined && Date.now() <= until) {
        await this.store.release(k, owner).catch(() => undefined);
        await new Promise((r) => setTimeout(r, pollMs));
        continue;
      }
      if (state === "working") {
        takeover = true;
        if (Date.now() > until) return "done";
        await new Promise((r) => setTimeout(r, pollMs));
        continue;
      }
      const keep = setInterval(() => void this.store.renew(k, owner, workingMs).catch(() => undefined), Math.max(50, workingMs / 3));
      try {
        await work(takeover);
      } catch (err) {
        await this.store.release(k, owner).catch(() => undefined);
        throw err;
      } finally {
        clearInterval(keep);
      }
      await this.store.done(k, MESSAGE_DONE_MS);
      return "ran";
    }
  }

  /**
   * Takes article `articleId` in a thread: the owner id, or undefined when it is already there. While another
   * is posting it: undefined, or with `follow`, wait until that one is done (undefined) or lapsed (taken).
   */
  async takeThread(channel: string, threadTs: string, articleId: string, follow = false): Promise<string | undefined> {
    const owner = this.owner();
    const until = Date.now() + this.timings.followMs;
    for (;;) {
      const state = await this.store.claim(`thread:${channel}/${threadTs}/${articleId}`, owner, this.timings.workingMs);
      if (state === "claimed") return owner;
      if (state === "done" || !follow || Date.now() > until) return undefined;
      await new Promise((r) => setTimeout(r, this.timings.pollMs));
    }
  }

  async threadDone(channel: string, threadTs: string, articleId: string): Promise<void> {
    await this.store.done(`thread:${channel}/${threadTs}/${articleId}`, THREAD_DONE_MS);
  }

  async releaseThread(channel: string, threadTs: string, articleId: string, owner: string): Promise<void> {
    await this.store.release(`thread:${channel}/${threadTs}/${articleId}`, owner);
  }

  /** Takes the probe of `host` in a thread for `ttlMs`: the owner id, or undefined when one runs there already (on any replica). */
  async takeProbe(channel: string, threadTs: string, host: string, ttlMs: number): Promise<string | undefined> {
    const owner = this.owner();
    return (await this.store.claim(probeKey(channel, threadTs, host), owner, ttlMs)) === "claimed" ? owner : undefined;
  }

  /** Keeps a running probe's claim while its handler is still at work (posting, asking Slack for a user group). */
  async renewProbe(channel: string, threadTs: string, host: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.store.renew(probeKey(channel, threadTs, host), owner, ttlMs);
  }

  async probeRunning(channel: string, threadTs: string, host: string): Promise<boolean> {
    return (await this.store.peek(probeKey(channel, threadTs, host))) === "working";
  }

  async releaseProbe(channel: string, threadTs: string, host: string, owner: string): Promise<void> {
    await this.store.release(probeKey(channel, threadTs, host), owner);
  }

  /** Marks `user`'s probe of `host` in a thread as just finished, for JUST_DONE_MS. */
  async probeDone(channel: string, threadTs: string, host: string, user: string): Promise<void> {
    await this.store.done(`${probeKey(channel, threadTs, host)}/${user}`, JUST_DONE_MS);
  }

  /** Whether `user`'s probe of `host` in that thread finished within the last JUST_DONE_MS. */
  async probeJustDone(channel: string, threadTs: string, host: string, user: string): Promise<boolean> {
    return (await this.store.peek(`${probeKey(channel, threadTs, host)}/${user}`)) === "done";
  }

  /** True the first time `key` (a trigger_id, a warning given) is seen by any replica within an hour. */
  async first(key: string): Promise<boolean> {
    return (await this.store.claim(`once:${key}`, "t", FIRST_MS)) === "claimed";
  }

  /** Remembers that the bot answered in `channel`, so clicks can be checked against it. */
  async answeredIn(channel: string): Promise<void> {
    await this.store.done(`channel:${channel}`, THREAD_DONE_MS);
  }

  async hasAnsweredIn(channel: string): Promise<boolean> {
    return (await this.store.peek(`channel:${channel}`)) === "done";
  }
}
