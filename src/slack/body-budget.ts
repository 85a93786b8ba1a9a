// Who may hold memory with a body that is still arriving. One global budget alone let 1,100 unsigned
// connections from one address, each declaring 64 KB and sending half, take all of it, so Slack's own signed
// requests got 503 while they hung. Now three bounds apply, all reserved at the declared size before a byte
// is read:
//  - the general pool (budget less reserve) takes any body, but one remote address (an IPv6 /64) may hold only
//    so many bytes and bodies of it;
//  - the reserve (the budget's last part) takes only small bodies whose headers look like Slack's (a v0
//    signature and a fresh timestamp; Bolt verifies the signature once the body is whole), and one address may
//    hold only a share of it, so a few addresses forging the headers cannot take it all;
//  - everything else is refused: 429 when the address is over its own cap, 503 when the pools are full.
// Behind a reverse proxy every request has the proxy's address; bound bodies per client there.

export interface BudgetLimits {
  /** Bytes all unfinished bodies may hold together, reserve included. */
  budgetBytes: number;
  /** The budget's last part, only for Slack-shaped small bodies. */
  reserveBytes: number;
  /** Bytes of the general pool one address may hold. */
  perAddressBytes: number;
  /** Unfinished bodies one address may have in the general pool. */
  perAddressBodies: number;
  /** Bytes of the reserve one address may hold. */
  reserveShareBytes: number;
  /** Largest body the reserve takes (Slack's requests are a few KB). */
  smallBody: number;
}

export const DEFAULT_LIMITS: BudgetLimits = {
  budgetBytes: 64 * 1024 * 1024,
  reserveBytes: 8 * 1024 * 1024,
  perAddressBytes: 8 * 1024 * 1024,
  perAddressBodies: 256,
  reserveShareBytes: 2 * 1024 * 1024,
  smallBody: 64 * 1024,
};

export type Admission = { ok: true; pool: "general" | "reserve"; release(): void } | { ok: false; status: 429 | 503; why: string };

interface Holder {
  bytes: number;
  bodies: number;
  reserveBytes: number;
}

const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/** Whether a request's headers look like Slack's: a v0 signature and a timestamp (checked fresh before this). */
export function slackShaped(headers: { [k: string]: string | string[] | undefined }): boolean {
  const sig = headers["x-slack-signature"];
  return typeof sig === "string" && SIGNATURE.test(sig) && typeof headers["x-slack-request-timestamp"] === "string";
}

/** The key one remote address is counted under: IPv4 as is (also when mapped into IPv6), IPv6 by its /64. */
export function addressKey(remote: string | undefined): string {
  if (!remote) return "?";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
  if (mapped) return mapped[1]!;
  if (!remote.includes(":")) return remote;
  // One holder of a /64 can use 2^64 addresses; count them as one.
  const [head = "", tail] = remote.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export class BodyBudget {
  private general = 0;
  private reserve = 0;
  private readonly holders = new Map<string, Holder>();

  constructor(private readonly limits: BudgetLimits = DEFAULT_LIMITS) {}

  /** Bytes held by unfinished bodies, both pools. */
  get reserved(): number {
    return this.general + this.reserve;
  }

  /** Addresses holding anything (each is forgotten once its last body is done). */
  get addresses(): number {
    return this.holders.size;
  }

  /** Reserves `n` bytes for a body from `remote`, or says why not. `slack`: its headers look like Slack's. */
  admit(remote: string | undefined, n: number, slack: boolean): Admission {
    const L = this.limits;
    const key = addressKey(remote);
    const h = this.holders.get(key) ?? { bytes: 0, bodies: 0, reserveBytes: 0 };
    const poolFull = this.general + n > L.budgetBytes - L.reserveBytes;
    const overCap = h.bytes + n > L.perAddressBytes || h.bodies >= L.perAddressBodies;
    let pool: "general" | "reserve";
    if (!poolFull && !overCap) pool = "general";
    else if (slack && n <= L.smallBody && this.reserve + n <= L.reserveBytes && h.reserveBytes + n <= L.reserveShareBytes) pool = "reserve";
    else if (overCap && !poolFull) return { ok: false, status: 429, why: "too many unfinished request bodies from this address; try again" };
    else return { ok: false, status: 503, why: "too many request bodies in flight; try again" };
    if (pool === "general") {
      this.general += n;
      h.bytes += n;
      h.bodies++;
    } else {
      this.reserve += n;
      h.reserveBytes += n;
    }
    this.holders.set(key, h);
    let done = false;
    const release = (): void => {
      if (done) return;
      done = true;
      if (pool === "general") {
        this.general -= n;
        h.bytes -= n;
        h.bodies--;
      } else {
        this.reserve -= n;
        h.reserveBytes -= n;
      }
      if (h.bodies === 0 && h.reserveBytes === 0 && h.bytes === 0) this.holders.delete(key);
    };
    return { ok: true, pool, release };
  }
}
