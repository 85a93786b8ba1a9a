// The probe against a real Dovecot POP3 server on loopback: plain text, STARTTLS and port-995 TLS.
// Dovecot missing: these tests fail, saying how to install it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureArticles } from "../helpers/knowledge.js";
import { runProbe } from "../../src/probe/run.js";
import type { ProbeResult, ProbeTarget } from "../../src/probe/types.js";
import { findDovecot, startDovecot, type Dovecot } from "./dovecot.js";

const articles = fixtureArticles();
describe("probe against a real Dovecot", () => {
  let dovecot: Dovecot;
  let strict: Dovecot;

  beforeAll(async () => {
    // A missing dovecot fails here with how to install it: these tests never skip.
    const binary = findDovecot();
    [dovecot, strict] = await Promise.all([startDovecot(binary), startDovecot(binary, { tlsRequired: true, address: "127.0.0.2" })]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([dovecot?.stop(), strict?.stop()]);
  });

  const probe = (d: Dovecot, t: Partial<ProbeTarget>): Promise<ProbeResult> =>
    runProbe({ host: d.host, port: d.pop3Port, tls: "none", user: d.user, password: d.password, tlsInsecure: true, ...t }, { articles });

  function expectHealthy(r: ProbeResult, d: Dovecot): void {
    expect(r.ok).toBe(true);
    expect(r.steps.every((s) => s.ok)).toBe(true);
    expect(r.lines.map((l) => l.text)[0]).toMatch(/^S: \+OK Dovecot/);
    expect(r.lines.map((l) => l.text)).toContain("C: USER probe");
    expect(r.lines.map((l) => l.text)).toContain("C: PASS ********");
    expect(r.lines.map((l) => l.text)).toContain("S: +OK Logged in.");
    expect(r.lines.map((l) => l.text)).toContain("S: +OK 0 0");
    expect(r.lines.map((l) => l.text).at(-1)).toMatch(/^S: \+OK Logging out/);
    expect(JSON.stringify(r)).not.toContain(d.password);
  }

  it("plain text on the 110-style port: logs on, STAT, QUIT", async () => {
    const r = await probe(dovecot, {});
    expectHealthy(r, dovecot);
    expect(r.tlsInfo).toBeUndefined();
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPA", "USER", "PASS", "STAT", "QUIT"]);
  });

  it("STARTTLS on the same port: STLS, handshake facts, CAPA again, logon over TLS", async () => {
    const r = await probe(dovecot, { tls: "starttls" });
    expectHealthy(r, dovecot);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPA", "STLS", "tls", "CAPA", "USER", "PASS", "STAT", "QUIT"]);
    expect(r.tlsInfo).toMatchObject({ subject: "CN=localhost", issuer: "CN=localhost", selfSigned: true, authorized: false });
    expect(r.tlsInfo?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(r.tlsInfo?.daysToExpiry).toBeGreaterThanOrEqual(28);
    expect(r.diagnosis.findings).toContain("TLS certificate is self-signed (subject CN=localhost)");
  });

  it("implicit TLS on the 995-style port", async () => {
    const r = await probe(dovecot, { tls: "implicit", port: dovecot.pop3sPort });
    expectHealthy(r, dovecot);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "tls", "greeting", "CAPA", "USER", "PASS", "STAT", "QUIT"]);
    expect(r.tlsInfo?.selfSigned).toBe(true);
  });

  it("the self-signed certificate fails the probe when the host does not allow it, before any password is sent", async () => {
    const r = await probe(dovecot, { tls: "implicit", port: dovecot.pop3sPort, tlsInsecure: false });
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toMatch(/self-signed.*not allowed for this host/);
    expect(r.lines.map((l) => l.text).some((l) => l.startsWith("C: PASS"))).toBe(false);
  });

  it("a wrong password: -ERR [AUTH] after Dovecot's delay, explained, never shown", async () => {
    const wrong = "wrong-Pa55word-for-dovecot";
    const r = await probe(dovecot, { password: wrong });
    expect(r.ok).toBe(false);
    expect(r.lines.map((l) => l.text)).toContain("S: -ERR [AUTH] Authentication failed.");
    expect(r.steps.find((s) => s.name === "PASS")).toMatchObject({ ok: false });
    expect(r.steps.find((s) => s.name === "PASS")!.ms).toBeGreaterThan(500);
    expect(r.diagnosis.findings.join("\n")).toMatch(/\[AUTH\]/);
    expect(r.diagnosis.articles).toEqual([]);
    expect(JSON.stringify(r)).not.toContain(wrong);
  });

  it("ssl = required: plain text finds TLS required, STARTTLS logs on", async () => {
    const plain = await probe(strict, {});
    expect(plain.ok).toBe(false);
    expect(plain.diagnosis.summary).toMatch(/^TLS required/);
    expect(plain.lines.map((l) => l.text).some((l) => /^C: (USER|PASS|AUTH)/.test(l))).toBe(false);
    const tls = await probe(strict, { tls: "starttls" });
    expectHealthy(tls, strict);
  });

  it("Dovecot's log never holds the password", async () => {
    const log = await dovecot.log();
    expect(log).toMatch(/Login: user=<probe>/);
    expect(log).not.toContain(dovecot.password);
  });
});
