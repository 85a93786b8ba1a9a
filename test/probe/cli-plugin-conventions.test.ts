// The Monitoring Plugins' conventions on `exchange-bot probe`: -H/-p/-t/-V/-v, and configuration mistakes found
// before any connection is made (UNKNOWN in nagios mode) rather than reported as a finding after it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPop3Peer, type RunningPeer } from "../../src/local/pop3-peers.js";
import { assertFreshBuild, runProbeCli } from "./run-cli.js";

const SECRET = "conventions-Secret-0f-the-probe";
let silent: RunningPeer;
let healthy: RunningPeer;

beforeAll(async () => {
  assertFreshBuild();
  [silent, healthy] = await Promise.all([startPop3Peer("silent"), startPop3Peer("healthy", { password: SECRET })]);
});

afterAll(async () => {
  await Promise.all([silent?.stop(), healthy?.stop()]);
});

const env = { LAB_PW: SECRET };

describe("probe as a monitoring plugin", () => {
  it("-H and -p name the host and port as check_pop's do", async () => {
    const r = await runProbeCli(["-H", "127.0.0.1", "-p", String(healthy.port), "--user", "probe", "--password-env", "LAB_PW", "--format", "nagios"], env);
    expect(r.out).toMatch(/^POP3 OK - /);
    expect(r.code).toBe(0);
  });

  it("-t bounds the whole process against a silent server: CRITICAL, exit 2, within a second of -t", async () => {
    const started = Date.now();
    const r = await runProbeCli(["-H", "127.0.0.1", "-p", String(silent.port), "-t", "2", "--format", "nagios"], env);
    const took = Date.now() - started;
    expect(r.code).toBe(2);
    // One status line (the probe's own, or the deadline's), whatever long output follows it.
    expect(r.out.match(/^POP3 [A-Z]+ - /gm)).toHaveLength(1);
    expect(r.out).toMatch(/^POP3 CRITICAL - /);
    expect(took).toBeLessThan(3000);
  });

  it("-V prints the version and exits 0 without probing", async () => {
    const r = await runProbeCli(["-V"], env);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^exchange-bot \d+\.\d+\.\d+\n$/);
  });

  it("--format nagios with --json is bad usage, UNKNOWN before any connection", async () => {
    const r = await runProbeCli(["-H", "127.0.0.1", "-p", String(healthy.port), "--format", "nagios", "--json"], env);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^POP3 UNKNOWN - .*two outputs/);
  });

  it("--cert-days on a plain-text probe is bad usage, not a silent OK that sends the password in clear", async () => {
    const r = await runProbeCli(["-H", "127.0.0.1", "-p", String(healthy.port), "--tls", "none", "--cert-days", "30,7", "--user", "probe", "--password-env", "LAB_PW", "--format", "nagios"], env);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^POP3 UNKNOWN - --cert-days checks a certificate/);
  });

  it("a named host whose password variable is unset is UNKNOWN, found before connecting, as for a typed host", async () => {
    const dir = await mkdtemp(join(tmpdir(), "plugin-conv-"));
    const acceptedBefore = healthy.acceptedConnections();
    try {
      const file = join(dir, "hosts.yml");
      await writeFile(file, `hosts:\n  - {name: mbx1, host: 127.0.0.1, port: ${healthy.port}, user: probe, passwordEnv: UNSET_PROBE_PW}\n`);
      const r = await runProbeCli(["mbx1", "--format", "nagios"], { PROBE_HOSTS_FILE: file }, undefined, ["UNSET_PROBE_PW"]);
      expect(r.code).toBe(3);
      expect(r.out).toMatch(/^POP3 UNKNOWN - the environment variable UNSET_PROBE_PW \(the password of probe host 'mbx1'\) is not set/);
      expect(healthy.acceptedConnections()).toBe(acceptedBefore);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a missing --ca file is UNKNOWN, found before connecting", async () => {
    const r = await runProbeCli(["-H", "127.0.0.1", "-p", String(silent.port), "--tls", "implicit", "--ca", "/nonexistent/ca.pem", "--format", "nagios"], env);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^POP3 UNKNOWN - --ca: cannot read/);
  });
});
