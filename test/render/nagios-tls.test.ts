// Nagios mode and the TLS report: legacy versions beside TLS 1.2 are said without a state change of their own,
// legacy versions alone are CRITICAL and head the status line; untested versions never count as refused.
import { describe, expect, it } from "vitest";
import type { ProbeResult, TlsInfo, TlsVersions } from "../../src/probe/types.js";
import { formatNagios } from "../../src/render/nagios.js";

function result(versions: TlsVersions, ok = true): ProbeResult {
  const tlsInfo: TlsInfo = { protocol: "TLSv1.3", subject: "CN=mail", issuer: "CN=ca", daysToExpiry: 40, selfSigned: false, authorized: true, versions, chainComplete: true, names: ["mail"], nameMatches: true, daysLeft: 40 };
  const summary = ok ? "Logged on as probe (LOGIN over TLSv1.3); INBOX has 0 message(s). No fault found." : "TLS handshake failed: unsupported protocol";
  return { ok, host: "mail", port: 993, tls: "implicit", protocol: "imap", steps: [], lines: [], tlsInfo, totalMs: 40, diagnosis: { summary, articles: [], findings: [] } };
}

describe("nagios and the TLS versions", () => {
  it("1.0 and 1.1 beside 1.2: still OK, and the status line names them", () => {
    const n = formatNagios(result({ TLSv1: true, "TLSv1.1": true, "TLSv1.2": true, "TLSv1.3": false }));
    expect(n.exitCode).toBe(0);
    expect(n.line.split("|")[0]).toBe("IMAP OK - still accepts TLSv1 and TLSv1.1 beside TLS 1.2 or newer");
  });

  it("only 1.1: CRITICAL, and that heads the line even though the probe's own failure is something else", () => {
    const n = formatNagios(result({ TLSv1: false, "TLSv1.1": true, "TLSv1.2": false, "TLSv1.3": false }, false));
    expect(n.exitCode).toBe(2);
    expect(n.line.split("|")[0]).toBe("IMAP CRITICAL - accepts only TLSv1.1: Exchange Online needs TLS 1.2");
    expect(n.line).toContain("TLS handshake failed: unsupported protocol");
  });

  it("1.2 and 1.3 untested is not 'only legacy': no CRITICAL from the versions", () => {
    const n = formatNagios(result({ TLSv1: true, "TLSv1.1": false, "TLSv1.2": "untested", "TLSv1.3": "untested" }));
    expect(n.exitCode).toBe(0);
    expect(n.line.split("|")[0]).toBe("IMAP OK - accepts TLSv1 (TLS 1.2 and 1.3 untested)");
  });

  it("modern versions only: the line is the probe's own", () => {
    const n = formatNagios(result({ TLSv1: false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true }));
    expect(n.line.split("|")[0]).toBe("IMAP OK - Logged on as probe (LOGIN over TLSv1.3)");
  });
});
