// Whether STARTTLS is offered where the entry says starttls (SMTP EHLO, POP3 CAPA STLS, IMAP CAPABILITY), and the
// TLS version trials held to the probe's deadline: a server that never answers costs the deadline, not more.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startImapPeer } from "../../src/local/imap-peers.js";
import { startPop3Peer } from "../../src/local/pop3-peers.js";
import type { RunningPeer } from "../../src/local/peer-server.js";
import { runProbe } from "../../src/probe/run.js";
import type { ProbeResult, ProbeTarget } from "../../src/probe/types.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { startPostfix, type Postfix } from "./postfix.js";

const articles = fixtureArticles();
const PASSWORD = "offered-Pr0be-secret";

function probe(p: { host: string; port: number }, t: Partial<ProbeTarget>, timeoutMs = 10_000): Promise<ProbeResult> {
  return runProbe({ host: p.host, port: p.port, tls: "starttls", user: "probe", password: PASSWORD, tlsInsecure: false, ...t }, { articles, timeoutMs });
}

const sent = (r: ProbeResult) => r.lines.map((l) => l.text).filter((l) => l.startsWith("C: "));

let pf: Postfix;
const peers: RunningPeer[] = [];
beforeAll(async () => {
  pf = await startPostfix({ tlsSecurityLevel: "none" });
  peers.push(await startPop3Peer("healthy", { password: PASSWORD }), await startImapPeer({ password: PASSWORD }), await startPop3Peer("silent"));
}, 60_000);
afterAll(async () => {
  await Promise.all([pf?.stop(), ...peers.map((p) => p.stop())]);
});

describe("STARTTLS not offered though the entry says starttls", () => {
  it("Postfix without TLS: EHLO has no STARTTLS; the probe stops there, no AUTH, no TLS report", async () => {
    const r = await probe({ host: pf.host, port: pf.submissionPort }, { protocol: "smtp", user: pf.submitter, password: pf.password });
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toBe("STARTTLS unavailable: the server does not offer STARTTLS in its EHLO reply");
    expect(sent(r)).toEqual(["C: EHLO [127.0.0.1]", "C: QUIT"]);
    expect(r.tlsInfo).toBeUndefined();
  });

  it("POP3: CAPA without STLS", async () => {
    const r = await probe(peers[0]!, { protocol: "pop3" });
    expect(r.diagnosis.summary).toBe("STARTTLS unavailable: the server does not list STLS in CAPA");
    expect(sent(r).some((l) => /^C: (USER|PASS|AUTH)/.test(l))).toBe(false);
    expect(r.tlsInfo).toBeUndefined();
  });

  it("IMAP: CAPABILITY without STARTTLS", async () => {
    const r = await probe(peers[1]!, { protocol: "imap" });
    expect(r.diagnosis.summary).toBe("STARTTLS unavailable: the server does not list STARTTLS in CAPABILITY");
    expect(sent(r).some((l) => /LOGIN|AUTHENTICATE/.test(l))).toBe(false);
    expect(r.tlsInfo).toBeUndefined();
  });
});

describe("the version trials keep the probe's deadline", () => {
  it("a peer that never answers the handshake: the probe ends at its 1.5 s deadline, trials and all", async () => {
    const started = performance.now();
    const r = await probe(peers[2]!, { tls: "implicit" }, 1500);
    const took = performance.now() - started;
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toMatch(/timeout/);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(2500);
    expect(r.tlsInfo).toBeUndefined();
  });
});
