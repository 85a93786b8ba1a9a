// A request signed with a timestamp ahead of our clock: Bolt only refuses the past side, so the guard in
// front of it refuses more than five minutes either way, and the command is never run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slashCommandRequest } from "../../src/local/signing.js";
import { timestampProblem } from "../../src/slack/request-clock.js";
import { SECRET, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const now = (): number => Math.floor(Date.now() / 1000);

describe("signature timestamps", () => {
  it("refuses a correctly signed request dated one day ahead with 401, and posts nothing", async () => {
    const before = h.api.botMessages().length;
    const r = await h.send(slashCommandRequest(SECRET, { text: "11202", channel_id: "C0FUTURE1" }, h.ws, { timestamp: now() + 86_400 }));
    expect(r.status).toBe(401);
    await new Promise((res) => setTimeout(res, 300));
    expect(h.api.botMessages().length).toBe(before);
  });

  it("refuses six minutes ahead and six minutes old, takes four minutes ahead", async () => {
    const at = async (skew: number): Promise<number> => (await h.send(slashCommandRequest(SECRET, { text: "help", channel_id: "C0FUTURE2" }, h.ws, { timestamp: now() + skew }))).status;
    expect(await at(360)).toBe(401);
    expect(await at(-360)).toBe(401);
    expect(await at(240)).toBe(200);
  });

  it("names the side in the reason, and leaves an absent header to Bolt", () => {
    expect(timestampProblem(String(now() + 301))).toMatch(/future/);
    expect(timestampProblem("12abc")).toMatch(/not a number/);
    expect(timestampProblem(undefined)).toBeUndefined();
  });
});
