// `exchange-bot probe --format nagios` as a monitoring system runs it, and the terminal's TLS and protocol flags.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabPeers, type LabPeers } from "../../src/local/lab-peers.js";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import { makeCaSigned, makeCert, type CaSigned, type TestCert } from "./certs.js";
import { assertFreshBuild, runProbeCli, type CliRun } from "./run-cli.js";

const SECRET = "plugin-Secret-0f-the-probe";
let dir: string;
let lab: LabPeers;
let selfSigned: TestCert;
let privateCa: CaSigned;
let tlsPeer: RunningPeer;
let caPeer: RunningPeer;

function cli(args: string[]): Promise<CliRun> {
  return runProbeCli(args, { PROBE_HOSTS_FILE: join(dir, "hosts.yml"), PROBE_LAB_PASSWORD: SECRET, LAB_PW: SECRET });
}

beforeAll(async () => {
  assertFreshBuild();
  dir = await mkdtemp(join(tmpdir(), "probe-plugin-"));
  [lab, selfSigned, privateCa] = await Promise.all([startLabPeers({ PROBE_LAB_PASSWORD: SECRET }), makeCert(), makeCaSigned(["127.0.0.1"])]);
  [tlsPeer, caPeer] = await Promise.all([
    startPop3Peer("healthy", { password: SECRET, tls: { mode: "implicit", cert: selfSigned.cert, key: selfSigned.key } }),
    startPop3Peer("healthy", { password: SECRET, tls: { mode: "implicit", cert: privateCa.cert, key: privateCa.key } }),
  ]);
  const entries = lab.hosts.map((h) => `  - {name: ${h.name}, host: ${h.host}, port: ${h.port}, protocol: ${h.protocol ?? "pop3"}, user: probe, passwordEnv: PROBE_LAB_PASSWORD}`);
  await writeFile(join(dir, "hosts.yml"), `hosts:\n${entries.join("\n")}\n  - {name: broken, host: 127.0.0.1, port: 1}\n`);
});

afterAll(async () => {
  await Promise.all([lab?.stop(), tlsPeer?.stop(), caPeer?.stop(), selfSigned?.cleanup(), privateCa?.cleanup()]);
  await rm(dir, { recursive: true, force: true });
});

/**
 * The status line: `LABEL STATE - text|time=Ns;W;C;0; step=Ns ...`, per the Nagios plugin guidelines, its text
 * part under 80 characters; the details follow as long output lines.
 */
const STATUS_LINE = /^(POP3|SMTP|IMAP) (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]{1,68}\|time=\d+\.\d{3}s;[\d.]*;[\d.]*;0;( [A-Za-z0-9_]+=\d+\.\d{3}s)+( cert_days=-?\d+;(\d+:)?;(\d+:)?;;)?\n([^|\n]+\n)*$/;

const firstLineText = (out: string) => (out.split("|")[0] ?? "");

describe("--format nagios", () => {
  it("healthy, faulty and unreachable: one status line (then long output only) on stdout and nothing on stderr; the audit record goes to DATA_DIR", async () => {
    const data = await mkdtemp(join(tmpdir(), "probe-plugin-data-"));
    try {
      const runs = [];
      for (const name of ["healthy", "exchange55-privilege", "broken"]) runs.push(await runProbeCli([name, "--format", "nagios"], { PROBE_HOSTS_FILE: join(dir, "hosts.yml"), PROBE_LAB_PASSWORD: SECRET, DATA_DIR: data }));
      expect(runs.map((r) => r.code)).toEqual([0, 2, 2]);
      for (const r of runs) {
        expect(r.out).toMatch(STATUS_LINE);
        // Long output never repeats a status line: a monitoring system reads only the first.
        expect(r.out.split("\n").slice(1).filter((l) => STATUS_LINE.test(l))).toEqual([]);
        expect(r.err).toBe("");
      }
      const audit = (await readFile(join(data, "audit.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(audit.map((a) => [a.audit, a.host, a.outcome])).toEqual([["probe", "healthy", "ok"], ["probe", "exchange55-privilege", "fault"], ["probe", "broken", "fault"]]);
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });


  it("OK, exit 0: one line, the summary, total time and a time for every step", async () => {
    const r = await cli(["healthy", "--format", "nagios"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(STATUS_LINE);
    expect(firstLineText(r.out).length).toBeLessThan(80);
    expect(r.out.split("\n")[1]).toBe("Logged on as probe (USER/PASS); mailbox has 2 message(s), 3120 octets. No fault found.");
    expect(r.out).toMatch(/^POP3 OK - Logged on as probe \(USER\/PASS\)\|time=\d+\.\d{3}s;;;0; resolve=\d+\.\d{3}s connect=\d+\.\d{3}s greeting=\d+\.\d{3}s CAPA=\d+\.\d{3}s USER=\d+\.\d{3}s PASS=\d+\.\d{3}s STAT=\d+\.\d{3}s QUIT=\d+\.\d{3}s\n/);
    expect(r.out + r.err).not.toContain(SECRET);
  });

  it("CRITICAL, exit 2: the fault and the articles that name it", async () => {
    const r = await cli(["exchange55-privilege", "--format", "nagios"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(STATUS_LINE);
    expect(r.out).toMatch(/^POP3 CRITICAL - The service account lacks "Act as part of the[^|]*\|/);
    expect(r.out).toMatch(/\nThe service account lacks "Act as part of the operating system".* \(Q171435, Q189732\)\n/);
    expect(firstLineText(r.out).length).toBeLessThan(80);
  });

  it("SMTP CRITICAL for the event 1020 connector, labelled by the host's protocol", async () => {
    const r = await cli(["hub02", "--format=nagios"]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(STATUS_LINE);
    expect(r.out).toMatch(/^SMTP CRITICAL - .*\(E2007-1020\)\|time=.* EHLO=\d+\.\d{3}s AUTH=\d+\.\d{3}s QUIT=/);
    expect(r.out + r.err).not.toContain(SECRET);
  });

  it("IMAP OK", async () => {
    const r = await cli(["imap-lab", "--format", "nagios"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^IMAP OK - Logged on as probe \(LOGIN\)\|.*\nLogged on as probe \(LOGIN\); INBOX has 2 message\(s\)\. No fault found\.\n$/);
  });

  it("-w: WARNING, exit 1, over the response-time threshold; -c: CRITICAL, exit 2; both in the perfdata", async () => {
    const warn = await cli(["healthy", "--format", "nagios", "-w", "0.000001", "-c", "100"]);
    expect(warn.code).toBe(1);
    expect(warn.out).toMatch(/^POP3 WARNING - response time \d+\.\d{3} s over 0\.000001 s\|time=\d+\.\d{3}s;0\.000001;100;0; /);
    expect(warn.out).not.toContain("No fault found");
    const crit = await cli(["healthy", "--format", "nagios", "-w", "0.000001", "-c", "0.000002"]);
    expect(crit.code).toBe(2);
    expect(crit.out).toMatch(/^POP3 CRITICAL - response time \d+\.\d{3} s over 0\.000002 s\|time=\d+\.\d{3}s;0\.000001;0\.000002;0; /);
  });

  it("--cert-days WARN,CRIT against a certificate that runs out in 29 days", async () => {
    // The self-signed certificate given as its own CA: trusted, so only the days decide the state.
    const base = [`127.0.0.1:${tlsPeer.port}`, "--tls", "implicit", "--ca", selfSigned.certFile, "--user", "probe", "--password-env", "LAB_PW", "--format", "nagios"];
    const ok = await cli([...base, "--cert-days", "20,10"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/ cert_days=29;21:;11:;;\n/);
    const warn = await cli([...base, "--cert-days", "30,10"]);
    expect(warn.code).toBe(1);
    expect(warn.out).toMatch(/^POP3 WARNING - certificate expires in 29 day\(s\)\|.* cert_days=29;31:;11:;;\n/);
    const crit = await cli([...base, "--cert-days", "60,30"]);
    expect(crit.code).toBe(2);
    expect(crit.out).toMatch(/^POP3 CRITICAL - certificate expires in 29 day\(s\)\|/);
  });

  it.each([
    [["healthy", "--format", "nagios", "--tls", "ssl"], /^POP3 UNKNOWN - --tls must be none, starttls or implicit/],
    [["127.0.0.1:110", "--protocol", "smtp", "--format", "nagios", "-w", "soon"], /^SMTP UNKNOWN - -w takes seconds/],
    [["healthy", "--format", "nagios", "--cert-days", "5,10"], /^POP3 UNKNOWN - --cert-days: the critical number of days \(10\) must not exceed the warning one \(5\)/],
    [["nosuch", "--format", "nagios"], /^POP3 UNKNOWN - no probe host named 'nosuch'.*does not resolve as a host name/],
  ])("UNKNOWN, exit 3, for what stops the plugin itself: %j", async (args, line) => {
    const r = await cli(args);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(line);
    expect(r.out.split("\n").filter(Boolean)).toHaveLength(1);
  });
});

describe("terminal flags", () => {
  it("--json keeps its fields and adds protocol", async () => {
    const r = await cli(["hub02", "--json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(j).slice(0, 6)).toEqual(["ok", "name", "host", "port", "tls", "protocol"]);
    expect(j).toMatchObject({ protocol: "smtp", diagnosis: { articles: ["E2007-1020"] } });
    expect(Object.keys(j)).toEqual(expect.arrayContaining(["steps", "transcript", "diagnosis", "totalMs"]));
  });

  it("--protocol smtp --mail-from --rcpt-to probes a typed host; the port defaults from the protocol's row", async () => {
    const hub = lab.hosts.find((h) => h.name === "hub02")!;
    const r = await cli([`127.0.0.1:${hub.port}`, "--protocol", "smtp", "--mail-from", "probe@contoso.local", "--rcpt-to", "postmaster@contoso.local", "--json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { transcript: string[]; diagnosis: { articles: string[] } };
    expect(j.transcript).toContain("C: MAIL FROM:<probe@contoso.local>");
    expect(j.diagnosis.articles).toEqual(["E2007-1020"]);
  });

  it("--tls-insecure accepts a self-signed certificate, still reporting it; without it the probe stops before the password", async () => {
    const base = [`127.0.0.1:${tlsPeer.port}`, "--tls", "implicit", "--user", "probe", "--password-env", "LAB_PW"];
    const refused = await cli(base);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/self-signed.*not allowed for this host \(set tlsInsecure: true, or --tls-insecure/);
    expect(refused.out).not.toMatch(/C: PASS/);
    const allowed = await cli([...base, "--tls-insecure"]);
    expect(allowed.code).toBe(0);
    expect(allowed.out).toMatch(/TLS certificate is self-signed/);
    // As a plugin, an accepted certificate problem is a WARNING that names it, never "No fault found" alone.
    const plugin = await cli([...base, "--tls-insecure", "--format", "nagios"]);
    expect(plugin.code).toBe(1);
    expect(plugin.out).toMatch(/^POP3 WARNING - certificate problem accepted by --tls-insecure: self-signed\|/);
  });

  it("--ca FILE trusts a private CA", async () => {
    const base = [`127.0.0.1:${caPeer.port}`, "--tls", "implicit", "--user", "probe", "--password-env", "LAB_PW"];
    expect((await cli(base)).code).toBe(1);
    const r = await cli([...base, "--ca", privateCa.caFile]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/; trusted\n/);
  });
});
