// Issue 24 item 1, replayed: 1,500 connections from one address, each declaring a 64 KB body and sending half,
// used to fill the whole body budget, so Slack's signed requests got 503 while they hung. Now one address
// holds at most its cap, small Slack-shaped bodies have a reserve, and signed requests are answered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appMentionEvent, eventCallbackRequest, slashCommandRequest } from "../../src/local/signing.js";
import { DEFAULT_LIMITS } from "../../src/slack/body-budget.js";
import { SECRET, startHarness, type Harness } from "../slack/harness.js";
import { FORGED_SIGNATURE, halfSend, halfSendMany, until, type Held } from "./flood.js";

const KB64 = 64 * 1024;
const status = (a: string): string => a.slice(9, 12);
const settle = async (held: Held[]): Promise<string[]> => Promise.all(held.map((x) => Promise.race([x.answer, new Promise<string>((r) => setTimeout(() => r("still open"), 300))])));

describe("1,500 half-sent 64 KB bodies from one address", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it("hold only the address's cap; a signed /exchange and a signed event from the same address get 200 and are answered", async () => {
    const flood = await halfSendMany(h.port, 1500, KB64, 32 * 1024);
    const g = h.bot.requestGuard!;
    // Every one has been seen: held (reserved at 64 KB) or refused.
    await until(() => g.reserved / KB64 + g.refused >= 1500);
    const answers = await settle(flood);
    const heldCount = DEFAULT_LIMITS.perAddressBytes / KB64;
    expect(answers.filter((a) => a === "still open")).toHaveLength(heldCount);
    expect(answers.filter((a) => status(a) === "429")).toHaveLength(1500 - heldCount);
    expect(g.reserved).toBe(DEFAULT_LIMITS.perAddressBytes);

    const cmd = await h.send(slashCommandRequest(SECRET, { text: "11202", channel_id: "C0FLOOD01" }, h.ws));
    expect(cmd.status).toBe(200);
    await h.api.waitFor(() => h.api.botMessages({ channel: "C0FLOOD01" }).find((m) => m.text.includes("Q171435")));
    const ev = await h.send(eventCallbackRequest(SECRET, appMentionEvent({ channel: "C0FLOOD02", text: "what is this? -ERR A required privilege is not held by the client." }, h.api.botUserId), {}, h.ws));
    expect(ev.status).toBe(200);
    await h.api.waitFor(() => h.api.botMessages({ channel: "C0FLOOD02" }).length > 0);

    // An unsigned small body from that address is still refused: the reserve is not for it.
    const more = await halfSend(h.port, KB64, 10);
    expect(status(await more.answer)).toBe("429");
    // The held ones are still hanging, unanswered.
    expect(flood.filter((x) => x.got === "" && !x.socket.destroyed)).toHaveLength(heldCount);

    for (const x of flood) x.socket.destroy();
    await until(() => g.reserved === 0 && g.addresses === 0);
  });
});

describe("a general pool filled from other addresses", () => {
  let h: Harness;
  const MB = 1024 * 1024;
  beforeAll(async () => {
    h = await startHarness({ requestGuard: { budgetBytes: 4 * MB, reserveBytes: MB, perAddressBytes: MB, reserveShareBytes: MB / 2 } });
  });
  afterAll(async () => h.close());

  it("leaves the reserve to Slack-shaped small bodies; one address forging the headers takes only its share", async () => {
    const g = h.bot.requestGuard!;
    // Three addresses hold 1 MB each: the 3 MB general pool is full.
    const flood: Held[] = [];
    for (const from of ["127.0.0.2", "127.0.0.3", "127.0.0.4"]) flood.push(...(await halfSendMany(h.port, 16, KB64, 1000, { from })));
    await until(() => g.reserved === 3 * MB);
    expect(g.addresses).toBe(3);
    // An unsigned body from a fourth address: the pool is full, so 503 (not its own cap: 429).
    expect(status(await (await halfSend(h.port, KB64, 10, { from: "127.0.0.5" })).answer)).toBe("503");
    // Forged Slack-shaped headers from one address reach the reserve, but only half of it.
    const forged = await halfSendMany(h.port, 12, KB64, 1000, { from: "127.0.0.6", headers: { "x-slack-signature": FORGED_SIGNATURE, "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)) } });
    const forgedAnswers = await settle(forged);
    expect(forgedAnswers.filter((a) => a === "still open")).toHaveLength(8);
    expect(forgedAnswers.filter((a) => status(a) === "503")).toHaveLength(4);
    // Slack's genuine request still gets in.
    const cmd = await h.send(slashCommandRequest(SECRET, { text: "help", channel_id: "C0FLOOD03" }, h.ws));
    expect(cmd.status).toBe(200);
    for (const x of [...flood, ...forged]) x.socket.destroy();
    await until(() => g.reserved === 0 && g.addresses === 0);
  });
});
