// The SMTP submission probe against scripted peers (Exchange 2007's event 1020 connector) and a real Postfix with
// Dovecot SASL. The probe logs on and asks to submit, and never sends DATA; the password appears in no output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureArticles } from "../helpers/knowledge.js";
import type { RunningPeer } from "../../src/local/peer-server.js";
import { startSmtpPeer, type SmtpPeerBehaviour, type SmtpPeerOptions } from "../../src/local/smtp-peers.js";
import { runProbe } from "../../src/probe/run.js";
import type { ProbeResult, ProbeTarget } from "../../src/probe/types.js";
import { makeCert, type TestCert } from "./certs.js";
import { expectNoSecret } from "./no-secret.js";
import { startPostfix, type Postfix } from "./postfix.js";

const articles = fixtureArticles();
const PASSWORD = "Sm7p-probe-s3cret!";
const texts = (r: ProbeResult) => r.lines.map((l) => l.text);
const names = (r: ProbeResult) => r.steps.map((s) => [s.name, s.ok]);

const peers: RunningPeer[] = [];
async function peer(behaviour: SmtpPeerBehaviour, opts: SmtpPeerOptions = {}): Promise<RunningPeer> {
  const p = await startSmtpPeer(behaviour, { password: PASSWORD, ...opts });
  peers.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});

function probe(p: { host: string; port: number }, t: Partial<ProbeTarget> = {}): Promise<ProbeResult> {
  return runProbe({ host: p.host, port: p.port, tls: "none", protocol: "smtp", user: "probe@contoso.local", password: PASSWORD, tlsInsecure: false, ...t }, { articles });
}

describe("an Exchange 2007 Receive connector that refuses submission (event 1020)", () => {
  it("valid credentials, no Ms-Exch-SMTP-Submit: AUTH LOGIN answered 535 5.7.3, diagnosed as E2007-1020, user and password masked", async () => {
    const commands: string[] = [];
    const r = await probe(await peer("exchange2007-1020", { commands }));
    expect(r.ok).toBe(false);
    expect(r.protocol).toBe("smtp");
    expect(names(r)).toEqual([
      ["resolve", true],
      ["connect", true],
      ["greeting", true],
      ["EHLO", true],
      ["AUTH", false],
      ["QUIT", true],
    ]);
    expect(texts(r)[0]).toMatch(/^S: 220 hub02\.contoso\.local Microsoft ESMTP MAIL Service ready at /);
    expect(texts(r)).toEqual(expect.arrayContaining(["C: AUTH LOGIN", "S: 334 VXNlcm5hbWU6", "C: ********", "S: 334 UGFzc3dvcmQ6", "S: 535 5.7.3 Authentication unsuccessful"]));
    expect(r.diagnosis.articles).toEqual(["E2007-1020"]);
    expect(r.diagnosis.summary).toMatch(/lacks Ms-Exch-SMTP-Submit/);
    expect(commands).not.toContain("DATA");
    expectNoSecret(r, "probe@contoso.local", PASSWORD);
  });

  it("anonymous: MAIL FROM answered 530 5.7.1 Client was not authenticated, diagnosed as E2007-1020", async () => {
    const commands: string[] = [];
    const p = await peer("exchange2007-1020", { commands });
    const r = await runProbe({ host: p.host, port: p.port, tls: "none", protocol: "smtp", mailFrom: "probe@contoso.local", tlsInsecure: false }, { articles });
    expect(r.ok).toBe(false);
    expect(names(r).map(([n]) => n)).toEqual(["resolve", "connect", "greeting", "EHLO", "MAIL", "QUIT"]);
    expect(texts(r)).toContain("S: 530 5.7.1 Client was not authenticated");
    expect(r.diagnosis.articles).toEqual(["E2007-1020"]);
    expect(r.diagnosis.summary).toMatch(/refuses submission without a logon/);
    expect(commands).toEqual(["EHLO", "MAIL", "QUIT"]);
  });
});

describe("a healthy submission peer", () => {
  let cert: TestCert;
  beforeAll(async () => {
    cert = await makeCert();
  });
  afterAll(() => cert?.cleanup());

  it("STARTTLS, EHLO again, AUTH PLAIN, MAIL, RCPT, RSET, QUIT: ok, and DATA never sent", async () => {
    const commands: string[] = [];
    const p = await peer("smtp-healthy", { commands, tls: { mode: "starttls", cert: cert.cert, key: cert.key } });
    const r = await probe(p, { tls: "starttls", tlsInsecure: true, rcptTo: "postmaster@contoso.local" });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "EHLO", "STARTTLS", "tls", "EHLO", "AUTH", "MAIL", "RCPT", "RSET", "QUIT"]);
    expect(texts(r)).toEqual(expect.arrayContaining(["C: AUTH PLAIN ********", "C: MAIL FROM:<probe@contoso.local>", "C: RCPT TO:<postmaster@contoso.local>", "C: RSET"]));
    // The peer counts every connection: the four TLS version trials (tls-versions.ts) each say EHLO and STARTTLS, nothing more.
    expect(commands.filter((c) => c !== "EHLO" && c !== "STARTTLS")).toEqual(["AUTH", "MAIL", "RCPT", "RSET", "QUIT"]);
    expect(commands.filter((c) => c === "EHLO")).toHaveLength(2 + 4);
    expect(commands.filter((c) => c === "STARTTLS")).toHaveLength(1 + 4);
    expect(r.diagnosis.summary).toMatch(/nothing was sent: the probe stops before DATA/);
    expectNoSecret(r, "probe@contoso.local", PASSWORD);
  });

  it("RCPT TO defaults to MAIL FROM, and MAIL FROM to the user name when it is an address", async () => {
    const r = await probe(await peer("smtp-healthy"));
    expect(texts(r)).toEqual(expect.arrayContaining(["C: MAIL FROM:<probe@contoso.local>", "C: RCPT TO:<probe@contoso.local>"]));
  });

  it("AUTH offered only after STARTTLS, probed in plain text: TLS required, said as a logon step, nothing sent", async () => {
    const p = await peer("smtp-healthy", { tls: { mode: "starttls", cert: cert.cert, key: cert.key }, auth: [] });
    const r = await probe(p);
    expect(r.ok).toBe(false);
    expect(r.steps.at(-2)).toMatchObject({ name: "logon", ok: false });
    expect(r.diagnosis.summary).toMatch(/^TLS required/);
    expect(texts(r).some((l) => l.startsWith("C: AUTH"))).toBe(false);
  });

  it("a mailFrom with CR/LF is refused before connecting", async () => {
    const p = await peer("smtp-healthy");
    const r = await probe(p, { mailFrom: "a@b\r\nDATA" });
    expect(r.steps).toEqual([expect.objectContaining({ name: "config", ok: false })]);
    expect(p.acceptedConnections()).toBe(0);
  });
});

describe("SMTP probe against a real Postfix submission service (Dovecot SASL)", () => {
  let pf: Postfix;
  beforeAll(async () => {
    // A missing postfix or dovecot fails here with how to install it: these tests never skip.
    pf = await startPostfix();
  }, 60_000);
  afterAll(() => pf?.stop(), 30_000);

  const target = (t: Partial<ProbeTarget>): Partial<ProbeTarget> => ({ user: pf.submitter, password: pf.password, rcptTo: "someone@example.org", tlsInsecure: true, ...t });

  it("STARTTLS on the submission port: logs on and may submit", async () => {
    const r = await probe({ host: pf.host, port: pf.submissionPort }, target({ tls: "starttls" }));
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "EHLO", "STARTTLS", "tls", "EHLO", "AUTH", "MAIL", "RCPT", "RSET", "QUIT"]);
    expect(texts(r)[0]).toBe("S: 220 submit.lab.test ESMTP lab");
    expect(texts(r)).toContain("S: 235 2.7.0 Authentication successful");
    expectNoSecret(r, pf.submitter, pf.password);
  });

  it("TLS from the first byte (465-style)", async () => {
    const r = await probe({ host: pf.host, port: pf.smtpsPort }, target({ tls: "implicit" }));
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "tls", "greeting", "EHLO", "AUTH", "MAIL", "RCPT", "RSET", "QUIT"]);
    expect(r.tlsInfo?.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it("an account that logs on but may not submit: a fault at RCPT with Postfix's 550 5.7.1, explained", async () => {
    const r = await probe({ host: pf.host, port: pf.submissionPort }, target({ tls: "starttls", user: pf.refused }));
    expect(r.ok).toBe(false);
    expect(r.steps.find((s) => s.name === "AUTH")?.ok).toBe(true);
    expect(r.steps.find((s) => s.name === "RCPT")).toMatchObject({ ok: false, detail: expect.stringContaining("550 5.7.1") });
    expect(r.diagnosis.findings.join("\n")).toMatch(/5\.7\.1: delivery not authorized/);
    expectNoSecret(r, pf.refused, pf.password);
  });

  it("a wrong password: 535 5.7.8, never shown", async () => {
    const wrong = "wrong-Sm7p-password";
    const r = await probe({ host: pf.host, port: pf.submissionPort }, target({ tls: "starttls", password: wrong }));
    expect(r.ok).toBe(false);
    expect(texts(r).some((l) => /^S: 535 5\.7\.8 Error: authentication failed/.test(l))).toBe(true);
    expect(r.diagnosis.findings.join("\n")).toMatch(/authentication credentials invalid/);
    expectNoSecret(r, pf.submitter, wrong);
  });

  it("Postfix's log shows every probe session ended without DATA, and never holds the password", async () => {
    const log = await pf.log();
    const sessions = log.split("\n").filter((l) => /smtpd\[\d+\]: disconnect from/.test(l));
    expect(sessions.length).toBeGreaterThanOrEqual(4);
    for (const s of sessions) expect(s).not.toMatch(/\bdata=/);
    expect(log).not.toContain(pf.password);
  });
});
