// A probe button whose host value was forged to carry a link and mrkdwn: the refusal quotes it as untrusted
// text (an inline code span, the link broken), never as a live link or *bold*.
import { join } from "node:path";
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

describe("a look-alike host spelling typed in a terminal", () => {
  it("the CLI's audit line records the address actually connected to beside the host as typed", async () => {
    const { startHostilePop3 } = await import("./peer.js");
    const { assertFreshBuild, CLI_DATA_DIR, runProbeCli } = await import("../probe/run-cli.js");
    const { readFileSync } = await import("node:fs");
    assertFreshBuild();
    const peer = await startHostilePop3((line) => (line === "" ? ["+OK ready"] : /^CAPA/i.test(line) ? ["+OK", "USER", "."] : /^QUIT/i.test(line) ? ["+OK bye"] : ["+OK"]));
    try {
      const r = await runProbeCli([`0x7f.1:${peer.port}`, "--user", "probe", "--password-env", "LOOK_PW", "--json"], { LOOK_PW: "s3cret-value", PROBE_HOSTS_FILE: "" });
      expect(r.err).toBe("");
      // The CLI's audit goes to DATA_DIR/audit.jsonl (docs/security.md), the newest record last.
      const records = readFileSync(join(CLI_DATA_DIR, "audit.jsonl"), "utf8").trim().split("\n");
      const audit = JSON.parse(records.filter((l) => l.includes('"audit":"probe"')).pop() ?? "{}") as Record<string, unknown>;
      expect(audit.host).toBe(`0x7f.1:${peer.port}`);
      expect(audit.connected).toBe(`127.0.0.1:${peer.port}`);
    } finally {
      await peer.stop();
    }
  });
});
