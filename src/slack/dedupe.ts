// Bounded memory of what was already handled: Slack redelivers events (X-Slack-Retry-Num, repeated
// event_id) and sends a mention twice (message + app_mention); each must produce at most one reply.

/** A set whose entries expire after ttlMs and which never holds more than `max` entries (oldest go first). */
export class ExpiringSet {
  private readonly entries = new Map<string, number>();
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    const exp = this.entries.get(key);
    if (exp === undefined) return false;
    if (exp <= this.now()) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }

  /** Adds the key and returns true, or returns false if it is already there: the check and the mark are one step. */
  claim(key: string): boolean {
    if (this.has(key)) return false;
    this.entries.set(key, this.now() + this.ttlMs);
    this.prune();
    return true;
  }

  /** Forgets a key, so a later delivery can try again (after the work failed). */
  release(key: string): void {
    this.entries.delete(key);
  }

  private prune(): void {
    // Map iterates in insertion order, so the front holds the oldest entries.
    const now = this.now();
    for (const [k, exp] of this.entries) {
      if (this.entries.size <= this.max && exp > now) break;
      this.entries.delete(k);
    }
  }
}

/** Which articles were already posted in which thread. */
export class ThreadMemory {
  private readonly set: ExpiringSet;
  constructor(ttlMs = 7 * 24 * 3600_000, max = 100_000) {
    this.set = new ExpiringSet(ttlMs, max);
  }
  private key(channel: string, threadTs: string, articleId: string): string {
    return `${channel}/${threadTs}/${articleId}`;
  }
  claim(channel: string, threadTs: string, articleId: string): boolean {
    return this.set.claim(this.key(channel, threadTs, articleId));
  }
  release(channel: string, threadTs: string, articleId: string): void {
    this.set.release(this.key(channel, threadTs, articleId));
  }
}
