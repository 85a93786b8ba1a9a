// A server that echoes the probe password altered (upper-cased, cut short, base64, hex, spaced out) in every
// reply: no output of the probe shows any of it — CLI text, JSON, nagios, the stderr audit line, the Slack
// message — because all of them render a result redacted by src/secrets/redact.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatProbeText, probeJson } from "../../src/render/text.js";
import { renderProbeResult } from "../../src/render/probe.js";
import { runProbe } from "../../src/probe/run.js";
import { redactSecrets } from "../../src/secrets/redact.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { assertFreshBuild, runProbeCli } from "../probe/run-cli.js";
import { startHostilePop3, type HostilePeer } from "./peer.js";

const PASSWORD = "Tr0ub4dor-Sekret";
const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
const FORMS = [
  PASSWORD.toUpperCase(),
  PASSWORD.slice(0, -1),
  PASSWORD.slice(3, 11),
  b64(PASSWORD),
  b64(`\0probe\0${PASSWORD}`),
  Buffer.from(PASSWORD).toString("hex"),
  Buffer.from(PASSWORD).toString("hex").toUpperCase().replace(/(..)/g, "$1 "),
  PASSWORD.split("").join(" "),
];
/** What gives the password away in an output: its lower-cased runs of six, its hex, its base64 start. */
function leaks(out: string): string[] {
  const lower = out.toLowerCase().replace(/[\s:-]/g, "");
  const p = PASSWORD.toLowerCase().replace(/-/g, "");
  const found: string[] = [];
  for (let i = 0; i + 6 <= p.length; i++) if (lower.includes(p.slice(i, i + 6))) found.push(p.slice(i, i + 6));
  const hex = Buffer.from(PASSWORD).toString("hex");
  if (lower.includes(hex.slice(0, 12))) found.push("hex");
  if (out.includes(b64(PASSWORD).slice(0, 10))) found.push("base64");
  if (out.includes(b64(`\0probe\0${PASSWORD}`).slice(10, 20))) found.push("base64 in a SASL blob");
  return found;
}

/** A peer offering USER (the probe sends USER/PASS) or only SASL PLAIN (the probe sends an AUTH PLAIN blob). */
const echoing = (logon: "USER" | "SASL PLAIN") => (line: string): string[] => {
  if (line === "") return [`+OK ready ${FORMS[0]}`];
  if (/^CAPA/i.test(line)) return ["+OK", ...FORMS.map((f) => `X-ECHO ${f}`), logon, "."];
  if (/^QUIT/i.test(line)) return ["+OK bye"];
  if (/^USER/i.test(line)) return ["+OK"];
  return [`-ERR [AUTH] bad ${FORMS.join(" / ")}`];
};
let peer: HostilePeer;
let plainPeer: HostilePeer;
beforeAll(async () => {
  peer = await startHostilePop3(echoing("USER"));
  plainPeer = await startHostilePop3(echoing("SASL PLAIN"));
});
afterAll(async () => Promise.all([peer.stop(), plainPeer.stop()]));

describe("a server that echoes the password altered", () => {
  it("the redaction masks each form, and leaves unrelated text alone", () => {
    for (const f of FORMS) expect(leaks(redactSecrets(`reply: ${f} end`, [PASSWORD]))).toEqual([]);
    expect(redactSecrets("+OK Dovecot ready.", [PASSWORD])).toBe("+OK Dovecot ready.");
    expect(redactSecrets("pass TR0UB4DOR-SEKRET!", [PASSWORD, "another-token-xyz"])).toBe("pass ********!");
  });

  it("shows none of it in the result, the terminal text, --json or the Slack message", async () => {
    const articles = fixtureArticles();
    for (const p of [peer, plainPeer]) {
      const r = await runProbe({ host: p.host, port: p.port, tls: "none", user: "probe", password: PASSWORD, tlsInsecure: false }, { articles });
      expect(r.lines.map((l) => l.text).join("\n")).toMatch(/C: (PASS|AUTH PLAIN) \*{8}/);
      for (const out of [JSON.stringify(r), JSON.stringify(probeJson(r)), formatProbeText(r, articles), JSON.stringify(renderProbeResult(r, () => undefined, "U1"))]) expect(leaks(out)).toEqual([]);
    }
  });

  it("shows none of it on the CLI's stdout (text, json, nagios) or its stderr audit line", async () => {
    assertFreshBuild();
    for (const format of [[], ["--json"], ["--format", "nagios"]]) {
      const r = await runProbeCli([`${peer.host}:${peer.port}`, "--user", "probe", "--password-env", "HOSTILE_PW", ...format], { HOSTILE_PW: PASSWORD, PROBE_HOSTS_FILE: "" });
      expect(r.out.length).toBeGreaterThan(0);
      expect(leaks(r.out)).toEqual([]);
      expect(leaks(r.err)).toEqual([]);
    }
  });
});
