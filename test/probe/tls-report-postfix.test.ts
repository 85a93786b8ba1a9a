// The TLS report through SMTP STARTTLS against real Postfix (smtpd_tls_protocols / smtpd_tls_mandatory_protocols):
// each version trial says EHLO and STARTTLS first, and a server left on TLS 1.0/1.1 only is CRITICAL in nagios mode.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProbe } from "../../src/probe/run.js";
import type { ProbeResult } from "../../src/probe/types.js";
import { formatNagios } from "../../src/render/nagios.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { startPostfix, type Postfix } from "./postfix.js";

const articles = fixtureArticles();

function probe(pf: Postfix): Promise<ProbeResult> {
  return runProbe(
    { host: pf.host, port: pf.submissionPort, tls: "starttls", protocol: "smtp", user: pf.submitter, password: pf.password, tlsInsecure: false, ca: pf.certFile },
    { articles, timeoutMs: 15_000 },
  );
}

let modern: Postfix;
let legacy: Postfix;
beforeAll(async () => {
  [modern, legacy] = await Promise.all([startPostfix({ tlsProtocols: ">=TLSv1.3" }), startPostfix({ tlsProtocols: "<=TLSv1.1", cipherList: "DEFAULT:@SECLEVEL=0" })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([modern?.stop(), legacy?.stop()]);
});

describe("Postfix through STARTTLS", () => {
  it(">=TLSv1.3: only 1.3 accepted; the logon goes on over it; OK in nagios", async () => {
    const r = await probe(modern);
    expect(r.ok).toBe(true);
    expect(r.tlsInfo).toMatchObject({ protocol: "TLSv1.3", versions: { TLSv1: false, "TLSv1.1": false, "TLSv1.2": false, "TLSv1.3": true }, chainComplete: true, nameMatches: true });
    expect(formatNagios(r)).toMatchObject({ exitCode: 0 });
    // Every trial said EHLO and STARTTLS and nothing more: one AUTH in the log, from the probe itself.
    await expect.poll(async () => ((await modern.log()).match(/sasl_method=PLAIN/g) ?? []).length).toBe(1);
  });

  it("<=TLSv1.1: 1.0 and 1.1 accepted, 1.2 and 1.3 refused; the probe's own handshake fails, the report still says why; CRITICAL", async () => {
    const r = await probe(legacy);
    expect(r.ok).toBe(false);
    expect(r.steps.find((s) => s.name === "tls")).toMatchObject({ ok: false });
    // No logon over a connection that never got TLS.
    expect(r.lines.some((l) => /^C: AUTH/.test(l.text))).toBe(false);
    expect(r.tlsInfo).toMatchObject({ versions: { TLSv1: true, "TLSv1.1": true, "TLSv1.2": false, "TLSv1.3": false }, nameMatches: true });
    expect(r.tlsInfo?.protocol).toMatch(/^TLSv1(\.1)?$/);
    expect(r.diagnosis.findings).toContain("the server accepts only TLSv1 and TLSv1.1: Exchange Online and current clients refuse TLS below 1.2");
    const n = formatNagios(r);
    const first = n.line.split("\n")[0]!.split("|")[0]!;
    expect(n.exitCode).toBe(2);
    expect(first).toBe("SMTP CRITICAL - accepts only TLSv1 and TLSv1.1: Exchange Online needs TLS 1.2");
    expect(first.length).toBeLessThan(80);
  });
});
