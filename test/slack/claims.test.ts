// The message claim's follow rule while the shared store is away: a delivery that saw another owner working
// keeps following instead of answering a second time, and still answers once the follow time is over.
import { describe, expect, it } from "vitest";
import { BotClaims } from "../../src/slack/claims.js";
import { MemoryClaimStore } from "../../src/state/memory.js";

const timings = { workingMs: 60_000, followMs: 600, pollMs: 20 };

describe("BotClaims.once while the shared store is degraded", () => {
  it("a follower whose claim turns free only because the store is away does not take over while it may follow", async () => {
    const store = new MemoryClaimStore();
    let down: string | undefined;
    const claims = new BotClaims(store, timings, { degraded: () => down });
    await store.claim("msg:C1/1.0", "someone-else", 60_000);
    let ran = 0;
    const follower = claims.once("C1/1.0", async () => void ran++);
    await new Promise((r) => setTimeout(r, 60));
    // The store forgets the other owner (what a replica on in-process claims sees), and says it is degraded.
    down = "Redis unavailable";
    store.map.delete("msg:C1/1.0");
    await new Promise((r) => setTimeout(r, 200));
    expect(ran).toBe(0);
    // The store is back and the owner's claim with it, finished: the follower is done without answering.
    down = undefined;
    await store.done("msg:C1/1.0", 60_000);
    expect(await follower).toBe("done");
    expect(ran).toBe(0);
  });

  it("past the follow time it answers: a double is better than a lost answer", async () => {
    const store = new MemoryClaimStore();
    const claims = new BotClaims(store, timings, { degraded: () => "Redis unavailable" });
    await store.claim("msg:C1/2.0", "someone-else", 100);
    let ran = 0;
    // The other owner's claim lapses (it died) while the store is away: after followMs this delivery answers.
    expect(await claims.once("C1/2.0", async () => void ran++)).toBe("ran");
    expect(ran).toBe(1);
  });

  it("with a healthy store, a lapsed claim is taken over at once (the owner died)", async () => {
    const store = new MemoryClaimStore();
    const claims = new BotClaims(store, { ...timings, followMs: 60_000 });
    await store.claim("msg:C1/3.0", "someone-else", 100);
    const t0 = Date.now();
    let takeover: boolean | undefined;
    expect(await claims.once("C1/3.0", async (t) => void (takeover = t))).toBe("ran");
    expect(takeover).toBe(true);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
