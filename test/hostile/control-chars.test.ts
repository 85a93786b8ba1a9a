// A server whose replies carry terminal control sequences (clear screen, set the window title), bidi
// overrides and a ``` : the CLI prints them as escapes in every format, and the Slack message neither
// carries the overrides nor lets the ``` close the transcript's code block.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderProbeResult } from "../../src/render/probe.js";
import { runProbe } from "../../src/probe/run.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { assertFreshBuild, runProbeCli } from "../probe/run-cli.js";
import { startHostilePop3, type HostilePeer } from "./peer.js";

const HOSTILE = "\x1b[2J\x1b]0;owned\x07 \u202egnp.exe \u2066x\u2069 \x9b31m ``` *bold* <!channel>";
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let peer: HostilePeer;
beforeAll(async () => {
  peer = await startHostilePop3((line) => {
    if (line === "") return [`+OK hello ${HOSTILE}`];
    if (/^CAPA/i.test(line)) return ["+OK", `X-EVIL ${HOSTILE}`, "USER", "."];
    if (/^QUIT/i.test(line)) return ["+OK bye"];
    if (/^USER/i.test(line)) return ["+OK"];
    return [`-ERR [AUTH] no ${HOSTILE}`];
  });
});
afterAll(async () => peer.stop());

describe("control characters from a server", () => {
  it("the CLI shows them as escapes in text, --json and nagios output, and on stderr", async () => {
    assertFreshBuild();
    for (const format of [[], ["--json"], ["--format", "nagios"]]) {
      const r = await runProbeCli([`${peer.host}:${peer.port}`, "--user", "probe", "--password-env", "HOSTILE_PW", ...format], { HOSTILE_PW: "s3cret-value", PROBE_HOSTS_FILE: "" });
      expect(r.out.length).toBeGreaterThan(20);
      expect(r.out).not.toMatch(RAW);
      expect(r.err).not.toMatch(RAW);
    }
    const text = await runProbeCli([`${peer.host}:${peer.port}`, "--user", "probe", "--password-env", "HOSTILE_PW"], { HOSTILE_PW: "s3cret-value", PROBE_HOSTS_FILE: "" });
    expect(text.out).toContain("\\x1b[2J");
    expect(text.out).toContain("\\u202e");
  });

  it("the Slack message drops the overrides and keeps the transcript in one code block", async () => {
    const r = await runProbe({ host: peer.host, port: peer.port, tls: "none", user: "probe", password: "s3cret-value", tlsInsecure: false }, { articles: fixtureArticles() });
    const messages = JSON.stringify(renderProbeResult(r, () => undefined, "U1"));
    expect(messages).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(messages).not.toContain("<!channel>");
    const texts = renderProbeResult(r, () => undefined, "U1").flatMap((m) => m.blocks).map((b) => (b as { text?: { text?: string } }).text?.text ?? "");
    const code = texts.filter((t) => t.startsWith("```") && t.includes("X-EVIL"));
    expect(code.length).toBeGreaterThan(0);
    // Three backticks only as the transcript block's own fences, at the start and the end of its text.
    for (const t of code) expect(t).toMatch(/^```\n[^`]*(`\u200B`\u200B`[^`]*)+\n```$/);
    // And none in the step details, where they would start a code block of their own.
    for (const t of texts.filter((x) => x.includes("hello"))) expect(t.replace(/^```\n|\n```$/g, "")).not.toContain("```");
  });
});
