// A probe button whose host value was forged to carry a link and mrkdwn: the refusal quotes it as untrusted
// text (an inline code span, the link broken), never as a live link or *bold*.
import { describe, expect, it } from "vitest";
import { slashCommandRequest } from "../../src/local/signing.js";
import { buttons, clickButton, harnessPerFile, SECRET, visibleText } from "../slack/harness.js";

const file = harnessPerFile();

describe("a forged host value", () => {
  it("is echoed to the clicker escaped: no live URL, no bold, no mention", async () => {
    const c = "C0FORGED1";
    await file.h.send(slashCommandRequest(SECRET, { text: "Q171435", channel_id: c, response_url: file.h.api.newResponseUrl({ channel: c, user: "U0ADMIN01" }) }, file.h.ws));
    const parent = await file.h.api.waitFor(() => file.h.api.botMessages({ channel: c }).find((m) => !m.thread_ts && buttons(m).some((b) => b.action_id.startsWith("probe"))));
    const probe = buttons(parent).find((b) => b.action_id.startsWith("probe"))!;
    const forged = "*evil* https://evil.example/x <!channel>";
    const value = probe.value.replace(/"h":"[^"]*"/, `"h":${JSON.stringify(forged)}`);
    expect(value).toContain("evil.example");
    expect((await clickButton(file.h, parent, { ...probe, value })).status).toBe(200);
    const told = await file.h.api.waitFor(() => file.h.api.botMessages({ channel: c }).find((m) => /not in the probe hosts file/.test(visibleText(m.blocks) + m.text)));
    const shown = visibleText(told.blocks) + told.text;
    // Inside a code span Slack applies no formatting; outside one, nothing of the forged value is left.
    expect(shown.replace(/`[^`]*`/g, "")).not.toContain("evil");
    expect(shown).not.toContain("https://evil");
    expect(shown).not.toContain("<!channel>");
    expect(shown).toMatch(/`\*evil\* https:\u200B\/\/evil\.example\/x &lt;!channel&gt;`/);
  });
});
