import { describe, expect, it } from "vitest";
import { ExpiringMap } from "../../src/state/expiring-map.js";
import { LineSink, memoryState } from "../../src/state/memory.js";
import { openState } from "../../src/state/open.js";
import { storeContract } from "./contract.js";

describe("in-process state", () => {
  const state = memoryState({ audit: new LineSink(() => undefined), feedback: new LineSink(() => undefined) });
  storeContract("memory", () => state);

  it("is what openState gives without REDIS_URL, and is never degraded", async () => {
    const s = await openState({ redisUrl: "", log: () => undefined });
    expect(s.backend).toBe("memory");
    expect(s.degraded()).toBeUndefined();
    await s.close();
  });

  it("holds at most `max` entries, oldest evicted first, and forgets expired ones", () => {
    let t = 0;
    const m = new ExpiringMap<number>(3, () => t);
    for (let i = 0; i < 5; i++) m.set(`k${i}`, i, 100);
    expect(m.size).toBe(3);
    expect(m.get("k0")).toBeUndefined();
    expect(m.get("k4")).toBe(4);
    t = 100;
    expect(m.get("k4")).toBeUndefined();
  });

  it("writes each trail record as one JSON line", async () => {
    const lines: string[] = [];
    const sink = new LineSink((l) => lines.push(l));
    await sink.append({ audit: "probe", user: "U1" });
    expect(lines).toEqual(['{"audit":"probe","user":"U1"}\n']);
  });
});
