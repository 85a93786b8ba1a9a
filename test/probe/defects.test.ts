// The defects found running the probe against Dovecot, GNU Mailutils pop3d and popa3d, each pinned by a test.
import type { AddressInfo } from "node:net";
import { createServer as createTlsServer, type Server } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPop3Peer, type PeerOptions, type RunningPeer } from "../../src/local/pop3-peers.js";
import { runProbe } from "../../src/probe/run.js";
import { expiryText } from "../../src/probe/tls-info.js";
import type { ProbeResult, ProbeTarget } from "../../src/probe/types.js";
import { plainAtTlsPortHint } from "../../src/probe/wording.js";
import { formatProbeText } from "../../src/render/text.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { makeCaSigned, makeCert, type CaSigned, type TestCert } from "./certs.js";

const articles = fixtureArticles();
const PASSWORD = "defect-Pr0be-secret";
const peers: RunningPeer[] = [];
async function peer(opts: PeerOptions = {}): Promise<RunningPeer> {
  const p = await startPop3Peer("healthy", { password: PASSWORD, ...opts });
  peers.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});
function probe(p: { host: string; port: number }, t: Partial<ProbeTarget> = {}, timeoutMs = 20_000, stepTimeoutMs?: number): Promise<ProbeResult> {
  return runProbe(
    { host: p.host, port: p.port, tls: "none", user: "probe", password: PASSWORD, tlsInsecure: false, ...t },
    { articles, timeoutMs, ...(stepTimeoutMs !== undefined ? { stepTimeoutMs } : {}) },
  );
}

describe("the logon step's budget follows the overall deadline", () => {
  it("a PASS answered after 3.5 s passes with --timeout 20 s, though other steps get 0.5 s, and says servers delay logons", async () => {
    const r = await probe(await peer({ loginDelayMs: 3500 }), {}, 20_000, 500);
    expect(r.ok).toBe(true);
    expect(r.steps.find((s) => s.name === "PASS")!.ms).toBeGreaterThanOrEqual(3400);
    expect(r.diagnosis.findings.join("\n")).toMatch(/took 3\.\d s to answer PASS: servers delay logons after failed attempts/);
  }, 20_000);

  it("a PASS that never comes within the deadline: a timeout that says why logons are slow", async () => {
    const r = await probe(await peer({ loginDelayMs: 60_000 }), {}, 1500);
    expect(r.ok).toBe(false);
    expect(r.steps.find((s) => s.name === "PASS")).toMatchObject({ ok: false });
    expect(r.diagnosis.summary).toMatch(/^timeout: no reply to PASS in \d+ ms; the server took .* servers delay logons after failed attempts/);
  });
});

describe("certificates", () => {
  let other: CaSigned;
  let own: CaSigned;
  let expired: TestCert;
  beforeAll(async () => {
    [other, own, expired] = await Promise.all([makeCaSigned(["other.example"]), makeCaSigned(["127.0.0.1", "localhost"]), makeCert({ expired: true })]);
  });
  afterAll(() => Promise.all([other?.cleanup(), own?.cleanup(), expired?.cleanup()]));

  it("a wrong host name is reported once, with the names the certificate does carry, not as 'not trusted'", async () => {
    const p = await peer({ tls: { mode: "implicit", cert: other.cert, key: other.key } });
    const r = await probe(p, { tls: "implicit", ca: other.caFile });
    expect(r.ok).toBe(false);
    const tlsFindings = r.diagnosis.findings.filter((f) => f.startsWith("TLS certificate"));
    expect(tlsFindings).toEqual([expect.stringMatching(/^TLS certificate does not name 127\.0\.0\.1 \(it names DNS:other\.example\); not allowed for this host/)]);
    expect(r.diagnosis.summary).not.toMatch(/not trusted|cert's list/);
    expect(r.tlsInfo).toMatchObject({ authorized: false, authorizationError: "ERR_TLS_CERT_ALTNAME_INVALID", selfSigned: false });
  });

  it("a private CA: not trusted by the system store, trusted with ca (the --ca FILE / ca: of the hosts file)", async () => {
    const p = await peer({ tls: { mode: "implicit", cert: own.cert, key: own.key } });
    const without = await probe(p, { tls: "implicit" });
    expect(without.ok).toBe(false);
    expect(without.diagnosis.summary).toMatch(/TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to get local issuer/i);
    const withCa = await probe(p, { tls: "implicit", ca: own.caFile });
    expect(withCa.ok).toBe(true);
    expect(withCa.tlsInfo).toMatchObject({ authorized: true, selfSigned: false });
    expect(withCa.diagnosis.findings.filter((f) => f.startsWith("TLS"))).toEqual([]);
  });

  it("a CA file that cannot be read is a clear fault, before any password", async () => {
    const p = await peer({ tls: { mode: "implicit", cert: own.cert, key: own.key } });
    const r = await probe(p, { tls: "implicit", ca: "/nonexistent/ca.pem" });
    expect(r.diagnosis.summary).toMatch(/^cannot read the CA file \/nonexistent\/ca\.pem \(ENOENT\)/);
    expect(r.lines.some((l) => l.text.startsWith("C: PASS"))).toBe(false);
  });

  it("an accepted expired certificate says 'expired N day(s) ago', never 'expires in -N day(s)'", async () => {
    const p = await peer({ tls: { mode: "implicit", cert: expired.cert, key: expired.key } });
    const r = await probe(p, { tls: "implicit", tlsInsecure: true });
    expect(r.ok).toBe(true);
    const shown = [r.steps.find((s) => s.name === "tls")!.detail, formatProbeText(r, articles)].join("\n");
    expect(shown).toMatch(/expired \d+ day\(s\) ago/);
    expect(shown).not.toMatch(/-\d+ day/);
    expect(expiryText(-1029)).toBe("expired 1029 day(s) ago");
    expect(expiryText(30)).toBe("expires in 30 day(s)");
  });
});

describe("plain text aimed at a TLS port", () => {
  let server: Server;
  let port: number;
  let cert: TestCert;
  beforeAll(async () => {
    cert = await makeCert();
    // A real TLS-from-the-first-byte listener on a free port (993 may be taken, or need privileges):
    // it waits for a TLS hello, so a plain-text client never hears a greeting.
    server = createTlsServer({ cert: cert.cert, key: cert.key }, (s) => s.on("error", () => s.destroy()));
    server.on("tlsClientError", () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    await cert?.cleanup();
  });

  it("no greeting; the hint to use tls implicit comes with the ports where TLS from the first byte is usual (the opposite mistake already had one)", async () => {
    const r = await runProbe({ host: "127.0.0.1", port, tls: "none", protocol: "imap", tlsInsecure: false }, { articles, timeoutMs: 1500 });
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toMatch(/^no greeting: /);
    // The greeting failure carries whatever hint the port has: none for a port nobody uses for TLS.
    expect(r.diagnosis.summary).not.toMatch(/tls implicit/);
    expect(plainAtTlsPortHint(993, "none")).toBe(" (port 993 is where IMAP usually speaks TLS from the first byte: probe it with tls implicit)");
    expect(plainAtTlsPortHint(995, "none")).toMatch(/port 995 is where POP3/);
    expect(plainAtTlsPortHint(465, "starttls")).toMatch(/port 465 is where SMTP/);
    expect(plainAtTlsPortHint(995, "implicit")).toBe("");
    expect(plainAtTlsPortHint(110, "none")).toBe("");
    expect(plainAtTlsPortHint(port, "none")).toBe("");
  });
});

describe("a TLS-required refusal", () => {
  it("is the step 'logon', not a failed USER that was never sent", async () => {
    const cert = await makeCert();
    try {
      // Before TLS the peer lists STLS and neither USER nor SASL PLAIN: nothing can be sent in plain text.
      const p = await peer({ capabilities: ["TOP"], tls: { mode: "starttls", cert: cert.cert, key: cert.key } });
      const r = await probe(p);
      expect(r.ok).toBe(false);
      expect(r.steps.map((s) => `${s.name} ${s.ok ? "ok" : "FAIL"}`).join(", ")).toBe("resolve ok, connect ok, greeting ok, CAPA ok, logon FAIL, QUIT ok");
      expect(r.diagnosis.summary).toMatch(/^TLS required/);
      expect(r.lines.some((l) => /^C: (USER|PASS|AUTH)/.test(l.text))).toBe(false);
    } finally {
      await cert.cleanup();
    }
  });
});
