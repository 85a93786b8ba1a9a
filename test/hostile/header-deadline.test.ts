// Issue 24 item 1: drip-fed headers were closed after about 30 s, not the documented 10 s (Node checks its
// header deadline only every 30 s by default), and 300 of them were not closed within 60 s. Here the deadline
// is shortened to 1.5 s; the soak run (test/soak/header-deadline.soak.ts) replays it with the default 10 s.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slashCommandRequest } from "../../src/local/signing.js";
import { serverOptions } from "../../src/slack/body-limit.js";
import { SECRET, startHarness, type Harness } from "../slack/harness.js";
import { dripHeaders } from "./flood.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ requestGuard: { headersTimeoutMs: 1500 } });
});
afterAll(async () => h.close());

describe("header deadline", () => {
  it("300 connections dripping headers a byte every 200 ms are all closed with 408 within a second of the deadline; Slack still gets in", async () => {
    const drips = await Promise.all(Array.from({ length: 300 }, () => dripHeaders(h.port, 200)));
    const ok = await h.send(slashCommandRequest(SECRET, { text: "help", channel_id: "C0DRIP01" }, h.ws));
    expect(ok.status).toBe(200);
    const closed = await Promise.all(drips.map(async (d) => ({ answer: await d.answer, after: Date.now() - d.openedAt })));
    expect(closed.filter((c) => c.answer.startsWith("HTTP/1.1 408"))).toHaveLength(300);
    for (const c of closed) {
      expect(c.after).toBeGreaterThanOrEqual(1400);
      // Deadline 1.5 s, checked every second by Node, plus scheduling slack.
      expect(c.after).toBeLessThan(3000);
    }
  });

  it("the default is 10 s, checked every second (Node's default check, every 30 s, let drips live 30 s)", () => {
    expect(serverOptions()).toEqual({ headersTimeout: 10_000, requestTimeout: 15_000, connectionsCheckingInterval: 1000 });
  });
});
