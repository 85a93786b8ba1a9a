// Issue 24 item 9: perfdata that graphs right. A step that never ran (STARTTLS not offered, so never sent; a
// logon refused before anything was sent) has no value, not "STARTTLS=0.000s"; and whatever path a probe
// takes, its labels are those of the full dialogue for that protocol and TLS mode, in the same order, so a
// grapher keeps one series per label. Against a real Postfix and a real Dovecot, through the built CLI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatNagios } from "../../src/render/nagios.js";
import { fakeResult } from "../helpers/probe-result.js";
import { findDovecot, startDovecot, type Dovecot } from "./dovecot.js";
import { startPostfix, type Postfix } from "./postfix.js";
import { assertFreshBuild, runProbeCli } from "./run-cli.js";

let pf: Postfix;
let strict: Dovecot;
beforeAll(async () => {
  assertFreshBuild();
  [pf, strict] = await Promise.all([startPostfix(), startDovecot(findDovecot(), { tlsRequired: true, address: "127.0.0.2" })]);
}, 60_000);
afterAll(async () => Promise.all([pf?.stop(), strict?.stop()]), 30_000);

/** The perfdata labels of a nagios status line, in order. */
const labels = (out: string): string[] => [...(out.split("\n")[0] ?? "").split("|")[1]!.matchAll(/(?:^| )([^=\s]+)=/g)].map((m) => m[1]!);
/** Whether `part` is `whole` with some labels left out (same names, same order). */
const isSubsequence = (part: string[], whole: string[]): boolean => {
  let i = 0;
  for (const l of whole) if (l === part[i]) i++;
  return i === part.length;
};

const smtp = (port: number, user: string, extra: string[] = []) =>
  runProbeCli(["-H", pf.host, "-p", String(port), "--protocol", "smtp", "--user", user, "--password-env", "PF_PW", "--rcpt-to", "someone@example.org", "--format", "nagios", ...extra], { PF_PW: pf.password });

describe("nagios perfdata on real servers", () => {
  it("SMTP --tls starttls where STARTTLS is not offered: CRITICAL, no STARTTLS or tls value, labels a subsequence of the healthy run's", async () => {
    const healthy = await smtp(pf.submissionPort, pf.submitter, ["--tls", "starttls", "--tls-insecure"]);
    expect(healthy.code).toBe(1); // WARNING: the self-signed certificate was accepted with --tls-insecure
    expect(labels(healthy.out)).toEqual(["time", "resolve", "connect", "greeting", "EHLO", "STARTTLS", "tls", "EHLO_2", "AUTH", "MAIL", "RCPT", "RSET", "QUIT", "cert_days"]);
    const r = await smtp(pf.noTlsPort, pf.submitter, ["--tls", "starttls", "--tls-insecure"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^SMTP CRITICAL - STARTTLS unavailable/);
    expect(r.out).not.toMatch(/STARTTLS=|tls=|cert_days=/);
    expect(labels(r.out)).toEqual(["time", "resolve", "connect", "greeting", "EHLO", "QUIT"]);
    expect(isSubsequence(labels(r.out), labels(healthy.out))).toBe(true);
    // -v still names the step, as not run, with why.
    const v = await smtp(pf.noTlsPort, pf.submitter, ["--tls", "starttls", "--tls-insecure", "-v"]);
    expect(v.out).toMatch(/^STARTTLS: not run: STARTTLS unavailable/m);
  });

  it("POP3 logon refused before anything was sent (TLS required): no logon value; labels a subsequence of the full plain dialogue", async () => {
    const run = (port: number, tls: string[]) => runProbeCli(["-H", strict.host, "-p", String(port), "--user", strict.user, "--password-env", "DC_PW", "--format", "nagios", ...tls], { DC_PW: strict.password });
    const r = await run(strict.pop3Port, ["--tls", "none"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^POP3 CRITICAL - TLS required/);
    expect(r.out).not.toMatch(/ logon=/);
    const full = ["time", "resolve", "connect", "greeting", "CAPA", "USER", "PASS", "STAT", "QUIT"];
    expect(isSubsequence(labels(r.out), full)).toBe(true);
    expect(labels(r.out)).toEqual(["time", "resolve", "connect", "greeting", "CAPA", "QUIT"]);
    // The same server over STLS: the full dialogue, the repeat of CAPA after TLS labelled CAPA_2.
    const ok = await run(strict.pop3Port, ["--tls", "starttls", "--tls-insecure"]);
    expect(labels(ok.out)).toEqual(["time", "resolve", "connect", "greeting", "CAPA", "STLS", "tls", "CAPA_2", "USER", "PASS", "STAT", "QUIT", "cert_days"]);
  });

  it("the same check twice: the same labels in the same order", async () => {
    const a = await smtp(pf.smtpsPort, pf.submitter, ["--tls", "implicit", "--tls-insecure"]);
    const b = await smtp(pf.smtpsPort, pf.submitter, ["--tls", "implicit", "--tls-insecure"]);
    expect(labels(a.out)).toEqual(["time", "resolve", "connect", "tls", "greeting", "EHLO", "AUTH", "MAIL", "RCPT", "RSET", "QUIT", "cert_days"]);
    expect(labels(b.out)).toEqual(labels(a.out));
  });
});

describe("formatNagios", () => {
  it("leaves out a step the overall deadline left no time for, and numbers repeats among the steps that ran", () => {
    const r = {
      ...fakeResult(false),
      steps: [
        { name: "EHLO", ok: true, ms: 3, detail: "250" },
        { name: "STARTTLS", ok: false, ms: 0, detail: "STARTTLS unavailable", ran: false },
        { name: "EHLO", ok: true, ms: 2, detail: "250" },
        { name: "AUTH", ok: false, ms: 0, detail: "timeout: the overall deadline of 20 ms ran out before AUTH", ran: false },
      ],
    };
    const line = formatNagios(r).line.split("\n")[0]!;
    expect(line.split("|")[1]).toBe("time=0.005s;;;0; EHLO=0.003s EHLO_2=0.002s");
  });
});
