// /exchange triage through the real Bolt receiver: how to triage an export, on the ack, posting nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slashCommandRequest } from "../../src/local/signing.js";
import { eventually, SECRET, sleep, startHarness, visibleText, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("/exchange triage", () => {
  it("explains the CLI privately on the ack and says a dropped file is not read yet", async () => {
    const channel = "C0TRIAGE1";
    const res = await h.send(slashCommandRequest(SECRET, { text: " Triage ", channel_id: channel, user_id: "U0ADMIN01", response_url: h.api.newResponseUrl({ channel, user: "U0ADMIN01" }) }, h.ws));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { response_type: string; blocks: unknown[] };
    expect(body.response_type).toBe("ephemeral");
    const text = visibleText(body.blocks);
    expect(text).toContain("exchange-bot triage app.xml");
    expect(text).toContain("wevtutil qe Application /f:xml /e:Events > app.xml");
    expect(text).toContain("not available yet");
    await sleep(100);
    expect(h.api.messages({ channel })).toHaveLength(0);
  });

  it("'triage' inside a longer text is still looked up, not answered with the how-to", async () => {
    const channel = "C0TRIAGE2";
    const res = await h.send(slashCommandRequest(SECRET, { text: "triage 11202", channel_id: channel, user_id: "U0ADMIN01", response_url: h.api.newResponseUrl({ channel, user: "U0ADMIN01" }) }, h.ws));
    expect(res.status).toBe(200);
    expect(res.body).not.toContain("Triage an exported event log");
    // The lookup answers 11202 in the channel, as any other /exchange text.
    const posted = await eventually(() => h.api.messages({ channel }).find((m) => visibleText(m.blocks).includes("11202")));
    expect(visibleText(posted.blocks)).not.toContain("Triage an exported event log");
  });
});
