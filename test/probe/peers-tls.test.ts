// The probe against scripted POP3 peers over TLS (self-signed, expired, STARTTLS), and local mode's lab peers as named hosts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runProbe } from "../../src/probe/run.js";
import { makeCert, type TestCert } from "./certs.js";
import { articles, expectNoSecret, peer, probe, stopPeers } from "./pop3-probe-kit.js";

afterEach(stopPeers);

describe("TLS with a self-signed certificate", () => {
  let good: TestCert;
  let expired: TestCert;
  beforeAll(async () => {
    [good, expired] = await Promise.all([makeCert(), makeCert({ expired: true })]);
  });
  afterAll(async () => {
    await Promise.all([good?.cleanup(), expired?.cleanup()]);
  });

  it("implicit TLS, self-signed, not allowed: a finding and a fault, and no password sent", async () => {
    const p = await peer("healthy", { tls: { mode: "implicit", cert: good.cert, key: good.key } });
    const r = await probe(p, { tls: "implicit" });
    expect(r.ok).toBe(false);
    expect(r.tlsInfo).toMatchObject({ selfSigned: true, authorized: false, subject: "CN=localhost", issuer: "CN=localhost" });
    expect(r.tlsInfo?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(r.tlsInfo?.daysToExpiry).toBeGreaterThanOrEqual(28);
    expect(r.diagnosis.findings[0]).toMatch(/self-signed/);
    expect(r.lines.map((l) => l.text).some((l) => l.startsWith("C: PASS"))).toBe(false);
  });

  it("implicit TLS, self-signed, tlsInsecure: still reported, but the probe runs through and passes", async () => {
    const p = await peer("healthy", { tls: { mode: "implicit", cert: good.cert, key: good.key } });
    const r = await probe(p, { tls: "implicit", tlsInsecure: true });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "tls", "greeting", "CAPA", "USER", "PASS", "STAT", "QUIT"]);
    expect(r.diagnosis.findings).toContain("TLS certificate is self-signed (subject CN=localhost)");
    expectNoSecret(r);
  });

  it("STARTTLS upgrade against the scripted peer, capabilities re-read after TLS", async () => {
    const p = await peer("healthy", { tls: { mode: "starttls", cert: good.cert, key: good.key } });
    const r = await probe(p, { tls: "starttls", tlsInsecure: true });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPA", "STLS", "tls", "CAPA", "USER", "PASS", "STAT", "QUIT"]);
    expect(r.diagnosis.summary).toMatch(/over TLSv1\.[23]/);
  });

  it("an expired certificate is reported with its age and fails without tlsInsecure", async () => {
    const p = await peer("healthy", { tls: { mode: "implicit", cert: expired.cert, key: expired.key } });
    const r = await probe(p, { tls: "implicit" });
    expect(r.ok).toBe(false);
    expect(r.tlsInfo?.daysToExpiry).toBeLessThan(-365);
    expect(r.diagnosis.findings.join("\n")).toMatch(/TLS certificate expired \d+ day\(s\) ago/);
    const allowed = await probe(p, { tls: "implicit", tlsInsecure: true });
    expect(allowed.ok).toBe(true);
    expect(allowed.diagnosis.findings.join("\n")).toMatch(/expired/);
  });
});

describe("lab peers for local mode", () => {
  it("start as named hosts, generate a password when none is set, and diagnose as the KB says", async () => {
    const { startLabPeers } = await import("../../src/local/lab-peers.js");
    const { targetFromNamedHost } = await import("../../src/probe/hosts.js");
    const env: NodeJS.ProcessEnv = {};
    const lab = await startLabPeers(env);
    try {
      expect(lab.hosts.map((h) => [h.name, h.protocol])).toEqual([
        ["exchange55-privilege", "pop3"],
        ["exchange55-logon", "pop3"],
        ["healthy", "pop3"],
        ["hub02", "smtp"],
        ["imap-lab", "imap"],
        ["exo-smtp-disabled", "smtp"],
      ]);
      expect(env.PROBE_LAB_PASSWORD).toMatch(/^[A-Za-z0-9_-]{16}$/);
      const results = await Promise.all(lab.hosts.map((h) => runProbe(targetFromNamedHost(h, env), { articles })));
      expect(results.map((r) => [r.name, r.ok, r.diagnosis.articles])).toEqual([
        ["exchange55-privilege", false, ["Q171435", "Q189732"]],
        ["exchange55-logon", false, ["Q247764"]],
        ["healthy", true, []],
        ["hub02", false, ["E2007-1020"]],
        ["imap-lab", true, []],
        ["exo-smtp-disabled", false, []],
      ]);
      for (const r of results) expect(JSON.stringify(r)).not.toContain(env.PROBE_LAB_PASSWORD);
    } finally {
      await lab.stop();
    }
  });
});
