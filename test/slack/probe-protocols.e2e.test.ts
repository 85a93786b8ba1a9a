// Probe buttons by protocol, through the real receiver: the event 1020 answer offers "Run SMTP probe: hub02"
// (and no POP3 host), and the click runs the SMTP probe against the lab's Exchange 2007 connector.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedMessage } from "../../src/local/webapi.js";
import { slashCommandRequest } from "../../src/local/signing.js";
import { buttons, clickButton, SECRET, startHarness, visibleText, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function answer(text: string, channel: string): Promise<RecordedMessage> {
  const responseUrl = h.api.newResponseUrl({ channel, user: "U0ADMIN01" });
  await h.send(slashCommandRequest(SECRET, { text, channel_id: channel, user_id: "U0ADMIN01", response_url: responseUrl }, h.ws));
  return h.api.waitFor(() => h.api.botMessages({ channel }).find((m) => !m.thread_ts));
}

const probeButtons = (m: RecordedMessage) => buttons(m).filter((b) => b.action_id.startsWith("probe"));

describe("probe buttons follow the article's protocol", () => {
  it("E2007-1020 offers the SMTP hosts only (every lab SMTP host, the Exchange Online one too); Q171435 the POP3 hosts only", async () => {
    expect(probeButtons(await answer("1020", "C1020A001")).map((b) => b.text)).toEqual(["Run SMTP probe: hub02", "Run SMTP probe: exo-smtp-disabled"]);
    expect(probeButtons(await answer("11202", "C1020A002")).map((b) => b.text)).toEqual([
      "Run POP3 probe: exchange55-privilege",
      "Run POP3 probe: exchange55-logon",
      "Run POP3 probe: healthy",
    ]);
  });

  it("clicking Run SMTP probe: hub02 runs the SMTP probe and names E2007-1020; the password is nowhere", async () => {
    const c = "C1020A003";
    const parent = await answer("1020", c);
    const before = h.api.lastSeq;
    const b = probeButtons(parent)[0]!;
    expect((await clickButton(h, parent, b)).status).toBe(200);
    const progress = await h.api.waitFor(() => h.api.changesSince(before).find((ch) => ch.type === "posted" && ch.message.text.startsWith("Probing")));
    // Progress updates edit it too; the result is the edit with the transcript.
    const updated = await h.api.waitFor(() => {
      const m = h.api.message(c, progress.message.ts);
      return m && /Transcript/.test(visibleText(m.blocks)) ? m : undefined;
    }, 10_000);
    const text = visibleText(updated.blocks);
    expect(text).toMatch(/SMTP probe of hub02/);
    expect(text).toContain("535 5.7.3 Authentication unsuccessful");
    expect(text).toMatch(/Matches \*E2007-1020\*/);
    expect(text).not.toMatch(/C: DATA/);
    const password = h.env.PROBE_LAB_PASSWORD!;
    const wire = JSON.stringify(h.api.messages());
    for (const form of [password, Buffer.from(password).toString("base64")]) expect(wire).not.toContain(form);
    expect(h.audits).toContainEqual(expect.objectContaining({ audit: "probe", host: "hub02", outcome: "fault", articles: ["E2007-1020"] }));
  });
});
