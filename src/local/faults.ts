// Fault injection for the Web API stand-in, handed in as an option (startWebApi({ faults })): the stand-in
// itself always answers like a healthy Slack; tests and the load scenario decide what fails, and how often.

/** One way to fail a call. */
export type Fault =
  | { kind: "ratelimited"; retryAfter?: number }
  | { kind: "http_error"; status?: number }
  | { kind: "error"; error: string };

export interface FaultRates {
  /** Share of calls (0..1) answered with HTTP 429 and Retry-After. */
  ratelimited?: number;
  /** Seconds in the Retry-After header; 1 by default (Slack sends whole seconds). */
  retryAfter?: number;
  /** Share of calls (0..1) answered with HTTP 500. */
  httpError?: number;
  /** Methods the rates apply to; chat.* by default so start-up (auth.test) is left alone. */
  methods?: string[];
  /** Seed for a repeatable sequence of faults. */
  seed?: number;
}

export interface FaultStats {
  ratelimited: number;
  httpError: number;
  errors: number;
}

/** What the stand-in asks before answering a Web API call: fail it this way, or undefined to answer. */
export interface FaultSource {
  pick(method: string): Fault | undefined;
  reset(): void;
}

const DEFAULT_CHAT_METHODS = ["chat.postMessage", "chat.update", "chat.postEphemeral", "chat.delete"];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Queued faults (failNext) first, then seeded random rates; counts every fault it hands out. */
export class FaultInjector implements FaultSource {
  readonly stats: FaultStats = { ratelimited: 0, httpError: 0, errors: 0 };
  private readonly queued: { method: string; fault: Fault; left: number }[] = [];
  private rates: Required<Omit<FaultRates, "seed">> | undefined;
  private random: () => number = Math.random;

  /** The next `times` calls of `method` ("*" for any) fail this way. */
  failNext(method: string, fault: Fault, times = 1): void {
    this.queued.push({ method, fault, left: times });
  }

  /** Fail a share of calls at random (seeded), e.g. { ratelimited: 0.1, httpError: 0.01 }. Pass undefined to stop. */
  setRates(rates: FaultRates | undefined): void {
    if (!rates) {
      this.rates = undefined;
      return;
    }
    this.rates = {
      ratelimited: rates.ratelimited ?? 0,
      retryAfter: rates.retryAfter ?? 1,
      httpError: rates.httpError ?? 0,
      methods: rates.methods ?? DEFAULT_CHAT_METHODS,
    };
    this.random = rates.seed === undefined ? Math.random : mulberry32(rates.seed);
  }

  pick(method: string): Fault | undefined {
    const fault = this.choose(method);
    if (fault?.kind === "ratelimited") this.stats.ratelimited++;
    else if (fault?.kind === "http_error") this.stats.httpError++;
    else if (fault?.kind === "error") this.stats.errors++;
    return fault;
  }

  reset(): void {
    this.queued.length = 0;
    this.rates = undefined;
    this.stats.ratelimited = this.stats.httpError = this.stats.errors = 0;
  }

  private choose(method: string): Fault | undefined {
    const i = this.queued.findIndex((f) => f.method === method || f.method === "*");
    if (i >= 0) {
      const q = this.queued[i]!;
      if (--q.left <= 0) this.queued.splice(i, 1);
      return q.fault;
    }
    const r = this.rates;
    if (!r || !r.methods.includes(method)) return undefined;
    const x = this.random();
    if (x < r.ratelimited) return { kind: "ratelimited", retryAfter: r.retryAfter };
    if (x < r.ratelimited + r.httpError) return { kind: "http_error", status: 500 };
    return undefined;
  }
}
