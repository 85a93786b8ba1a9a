// The TLS report of issue 23 point 4 against real servers on loopback: which versions Dovecot and Postfix accept
// (each tried on its own connection, STARTTLS first where the entry says so), whether the chain reaches the root,
// the names on the certificate against the host probed, and days left.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProbe } from "../../src/probe/run.js";
import type { ProbeResult, ProbeTarget } from "../../src/probe/types.js";
import { formatNagios } from "../../src/render/nagios.js";
import { renderProbeResult } from "../../src/render/probe.js";
import { formatProbeText, probeJson } from "../../src/render/text.js";
import { fixtureArticles } from "../helpers/knowledge.js";
import { makeChain, type TestChain } from "./certs.js";
import { findDovecot, startDovecot, type Dovecot } from "./dovecot.js";
import { assertFreshBuild, runProbeCli } from "./run-cli.js";

const articles = fixtureArticles();

function probe(d: Dovecot, t: Partial<ProbeTarget>): Promise<ProbeResult> {
  return runProbe({ host: d.host, port: d.pop3sPort, tls: "implicit", user: d.user, password: d.password, tlsInsecure: false, ...t }, { articles, timeoutMs: 15_000 });
}

let good: TestChain;
let other: TestChain;
let modern: Dovecot;
let strict: Dovecot;
let legacy: Dovecot;
beforeAll(async () => {
  [good, other] = await Promise.all([makeChain(["localhost", "127.0.0.1"]), makeChain(["mail.lab.test"])]);
  const bin = findDovecot();
  [modern, strict, legacy] = await Promise.all([
    // TLS 1.2 and newer, the whole chain sent.
    startDovecot(bin, { protocols: ["pop3", "imap"], cert: { certFile: good.fullChainFile, keyFile: good.keyFile } }),
    // TLS 1.3 only, the leaf alone: the intermediate is missing.
    startDovecot(bin, { protocols: ["pop3"], sslMinProtocol: "TLSv1.3", cert: { certFile: good.leafFile, keyFile: good.keyFile } }),
    // Everything down to TLS 1.0, with a certificate for another name.
    startDovecot(bin, { protocols: ["pop3"], sslMinProtocol: "TLSv1", sslCipherList: "DEFAULT@SECLEVEL=0", cert: { certFile: other.fullChainFile, keyFile: other.keyFile } }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([modern?.stop(), strict?.stop(), legacy?.stop()]);
  await Promise.all([good?.cleanup(), other?.cleanup()]);
});

describe("Dovecot with ssl_min_protocol", () => {
  it("TLSv1.2: 1.0 and 1.1 refused, 1.2 and 1.3 accepted over TLS from the first byte; whole chain, names match, days left", async () => {
    const r = await probe(modern, { ca: good.rootFile });
    expect(r.ok).toBe(true);
    expect(r.tls).toBe("implicit");
    expect(r.tlsInfo).toMatchObject({
      versions: { TLSv1: false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true },
      chainComplete: true,
      names: ["localhost", "127.0.0.1"],
      nameMatches: true,
      authorized: true,
    });
    expect(r.tlsInfo?.daysLeft).toBe(r.tlsInfo?.daysToExpiry);
    expect(r.tlsInfo?.daysLeft).toBeGreaterThanOrEqual(18);
    expect(r.tlsInfo?.daysLeft).toBeLessThanOrEqual(20);
    expect(r.diagnosis.findings.filter((f) => /TLS|chain/.test(f))).toEqual([]);
    // The trials sent no logon: Dovecot saw exactly one.
    // The trials sent no logon: Dovecot saw one, and four connections that shook hands (or not) and left.
    await expect.poll(async () => ((await modern.log()).match(/pop3-login: Info: Login: user=<probe>/g) ?? []).length).toBe(1);
    await expect.poll(async () => ((await modern.log()).match(/pop3-login: Info: Disconnected: .*no auth attempts.*TLS/g) ?? []).length).toBe(4);
  });

  it("the same through IMAP STARTTLS: every trial does CAPABILITY-free STARTTLS first, then its handshake", async () => {
    const r = await probe(modern, { port: modern.imapPort, tls: "starttls", protocol: "imap", ca: good.rootFile });
    expect(r.ok).toBe(true);
    expect(r.tlsInfo?.versions).toEqual({ TLSv1: false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true });
  });

  it("TLSv1.3 and a leaf without its intermediate: 1.2 refused too, chainComplete false, the probe refuses the certificate", async () => {
    const r = await probe(strict, { port: strict.pop3Port, tls: "starttls", ca: good.rootFile });
    expect(r.ok).toBe(false);
    expect(r.tlsInfo).toMatchObject({ versions: { TLSv1: false, "TLSv1.1": false, "TLSv1.2": false, "TLSv1.3": true }, chainComplete: false, nameMatches: true, authorized: false });
    expect(r.diagnosis.findings.join("\n")).toMatch(/the certificate chain does not reach a trusted root: the server leaves out an intermediate certificate.*4\.4\.317/);
    expect(r.lines.some((l) => l.text.startsWith("C: PASS") || l.text.startsWith("C: USER"))).toBe(false);
  });

  it("TLSv1 with SECLEVEL=0: all four accepted and the legacy two named; a certificate for another name does not match", async () => {
    const r = await probe(legacy, { ca: other.rootFile, tlsInsecure: true });
    expect(r.ok).toBe(true);
    expect(r.tlsInfo).toMatchObject({ versions: { TLSv1: true, "TLSv1.1": true, "TLSv1.2": true, "TLSv1.3": true }, chainComplete: true, names: ["mail.lab.test"], nameMatches: false });
    expect(r.diagnosis.findings).toContain("the server still accepts TLSv1 and TLSv1.1 beside TLS 1.2 or newer (Exchange Online refuses TLS 1.0 and 1.1)");
    const nagios = formatNagios(r);
    const first = nagios.line.split("\n")[0]!;
    // Named in the text, no state change of its own (the name mismatch accepted by tlsInsecure is the WARNING).
    expect(first.split("|")[0]!.length).toBeLessThan(80);
    expect(nagios.line).toMatch(/accepts TLSv1 and TLSv1\.1/);
    expect(first).toMatch(/^POP3 WARNING - /);
  });
});

describe("the report in the JSON, the text and nagios", () => {
  it("--json keeps tls the mode string and adds versions, chainComplete, names, nameMatches, daysLeft to tlsInfo", async () => {
    const r = await probe(modern, { ca: good.rootFile });
    const j = JSON.parse(JSON.stringify(probeJson(r))) as { tls: unknown; tlsInfo: Record<string, unknown> };
    expect(j.tls).toBe("implicit");
    expect(Object.keys(j.tlsInfo)).toEqual(expect.arrayContaining(["protocol", "subject", "issuer", "daysToExpiry", "selfSigned", "authorized", "versions", "chainComplete", "names", "nameMatches", "daysLeft"]));
    const text = formatProbeText(r, articles);
    expect(text).toMatch(/^TLS report +accepts TLSv1\.2, TLSv1\.3; refuses TLSv1, TLSv1\.1; chain complete; names localhost, 127\.0\.0\.1 \(127\.0\.0\.1 matches\); 1\d day\(s\) left$/m);
    expect(formatNagios(r).line).toMatch(/^POP3 OK - /);
    // The Slack result carries the same line, as a context block of its own.
    const slack = JSON.stringify(renderProbeResult(r, () => undefined, "U1"));
    expect(slack).toContain("TLS report: accepts TLSv1.2, TLSv1.3; refuses TLSv1, TLSv1.1; chain complete; names localhost, 127.0.0.1 (127.0.0.1 matches)");
  });

  it("exchange-bot probe NAME --json, as people run it: the same fields from a hosts-file entry", async () => {
    assertFreshBuild();
    const hosts = join(good.dir, "hosts.yml");
    await writeFile(hosts, `hosts:\n  - name: modern\n    host: 127.0.0.1\n    port: ${modern.pop3sPort}\n    tls: implicit\n    ca: ${good.rootFile}\n    user: probe\n    passwordEnv: TLS_REPORT_PW\n`);
    const run = await runProbeCli(["modern", "--json"], { PROBE_HOSTS_FILE: hosts, TLS_REPORT_PW: modern.password });
    await rm(hosts);
    expect(run.code).toBe(0);
    const j = JSON.parse(run.out) as { tls: string; tlsInfo: Record<string, unknown> };
    expect(j.tls).toBe("implicit");
    expect(j.tlsInfo).toMatchObject({ versions: { TLSv1: false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true }, chainComplete: true, names: ["localhost", "127.0.0.1"], nameMatches: true });
    expect(typeof j.tlsInfo.daysLeft).toBe("number");
    expect(run.out).not.toContain(modern.password);
  });
});
