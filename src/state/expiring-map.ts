// A Map whose entries expire, bounded in size: the in-process store's only container, so memory stays
// bounded in time (TTL) and in count (oldest evicted first) whatever the traffic.

export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; exp: number }>();
  constructor(
    private readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.exp <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Milliseconds until `key` expires, or 0 when it is not there. */
  ttl(key: string): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.exp - this.now()) : 0;
  }

  set(key: string, value: V, ttlMs: number): void {
    // Re-inserting moves the key to the back, so iteration order stays "oldest write first".
    this.entries.delete(key);
    this.entries.set(key, { value, exp: this.now() + ttlMs });
    this.prune();
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Live entries with their remaining time, oldest write first. */
  *live(): IterableIterator<[string, V, number]> {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.exp > now) yield [k, e.value, e.exp - now];
  }

  private prune(): void {
    const now = this.now();
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.max && e.exp > now) break;
      this.entries.delete(k);
    }
  }
}
