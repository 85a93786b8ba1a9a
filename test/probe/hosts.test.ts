// The probe hosts file: what loads, and clear errors naming the entry and the field for what does not.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findHost, loadProbeHosts, ProbeHostsError, targetFromNamedHost } from "../../src/probe/hosts.js";
import { parseProbeHosts } from "../../src/probe/hosts-schema.js";
import { PROJECT_ROOT } from "../../src/paths.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "probe-hosts-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function load(text: string | Buffer): Promise<ReturnType<typeof loadProbeHosts>> {
  const file = join(dir, `h${Math.random().toString(36).slice(2)}.yml`);
  await writeFile(file, text);
  return loadProbeHosts(file);
}

async function error(text: string | Buffer): Promise<ProbeHostsError> {
  const err = await load(text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProbeHostsError);
  return err as ProbeHostsError;
}

describe("loadProbeHosts", () => {
  it("loads the shipped example, with defaults filled in", async () => {
    const hosts = await loadProbeHosts(join(PROJECT_ROOT, "probe-hosts.example.yml"));
    expect(hosts[0]).toEqual({ name: "lab", host: "127.0.0.1", port: 110, tls: "none", user: "probe", passwordEnv: "PROBE_LAB_PASSWORD", tlsInsecure: false, protocol: "pop3" });
    expect(hosts[1]).toMatchObject({ name: "exchange-pop3s", port: 995, tls: "implicit" });
  });

  it("defaults: tls none, port 110 (995 for implicit), tlsInsecure false", async () => {
    const hosts = await load("hosts:\n  - name: a\n    host: mail.example.net\n  - name: b\n    host: '::1'\n    tls: implicit\n");
    expect(hosts).toEqual([
      { name: "a", host: "mail.example.net", port: 110, tls: "none", tlsInsecure: false, protocol: "pop3" },
      { name: "b", host: "::1", port: 995, tls: "implicit", tlsInsecure: false, protocol: "pop3" },
    ]);
  });

  it("protocol picks the default port from one table: smtp 587 / 465, imap 143 / 993", async () => {
    const hosts = await load(
      "hosts:\n" +
        "  - {name: s, host: hub02.example.net, protocol: smtp, tls: starttls, mailFrom: probe@example.net, rcptTo: postmaster@example.net}\n" +
        "  - {name: s465, host: hub02.example.net, protocol: smtp, tls: implicit}\n" +
        "  - {name: i, host: mail.example.net, protocol: imap}\n" +
        "  - {name: i993, host: mail.example.net, protocol: imap, tls: implicit, ca: ca/private.pem}\n",
    );
    expect(hosts.map((h) => [h.name, h.protocol, h.port])).toEqual([
      ["s", "smtp", 587],
      ["s465", "smtp", 465],
      ["i", "imap", 143],
      ["i993", "imap", 993],
    ]);
    expect(hosts[0]).toMatchObject({ mailFrom: "probe@example.net", rcptTo: "postmaster@example.net" });
    // A relative CA file is read from beside the hosts file.
    expect(hosts[3]?.ca).toBe(join(dir, "ca/private.pem"));
    expect(targetFromNamedHost(hosts[3]!, {})).toMatchObject({ protocol: "imap", ca: join(dir, "ca/private.pem") });
  });

  it.each([
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n    port: 70000\n", /hosts\[0\] \("lab"\): port: must be 1-65535/],
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n    tls: ssl\n", /hosts\[0\] \("lab"\): tls: .*"none"\|"starttls"\|"implicit"|hosts\[0\] \("lab"\): tls:/],
    ["hosts:\n  - name: ok\n    host: 127.0.0.1\n  - name: two\n    host: 'bad host'\n", /hosts\[1\] \("two"\): host: must be a host name or an IP address/],
    ["hosts:\n  - host: 127.0.0.1\n", /hosts\[0\]: name: /],
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n    password: hunter2\n", /hosts\[0\] \("lab"\): \(entry\): Unrecognized key: "password"/],
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n    user: probe\n", /hosts\[0\] \("lab"\): passwordEnv: required when user is set/],
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n    user: probe\n    passwordEnv: 'not a var'\n", /passwordEnv: must be an environment variable name/],
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n  - name: LAB\n    host: 127.0.0.2\n", /hosts\[1\] \("LAB"\): name: duplicate of hosts\[0\]/],
    ["hosts:\n  - name: 'a b'\n    host: 127.0.0.1\n", /hosts\[0\] \("a b"\): name: must be 1-64 letters/],
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n    tlsInsecure: 'yes'\n", /hosts\[0\] \("lab"\): tlsInsecure:/],
    ["servers: []\n", /expected "hosts:"/],
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n    protocol: nntp\n", /hosts\[0\] \("lab"\): protocol:/],
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n    protocol: smtp\n    mailFrom: 'a b@c'\n", /hosts\[0\] \("lab"\): mailFrom: must be one address/],
    ["hosts:\n  - name: lab\n    host: 127.0.0.1\n    rcptTo: a@b.c\n", /hosts\[0\] \("lab"\): mailFrom\/rcptTo: only for protocol: smtp/],
    ["hosts: [\n", /YAML does not parse/],
    [Buffer.from([0x68, 0x00, 0x01]), /binary data/],
  ])("rejects %j clearly", async (text, message) => {
    const err = await error(text);
    expect(err.reason).toBe("invalid");
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain("hunter2");
  });

  it("lists every problem at once", async () => {
    const err = await error("hosts:\n  - name: a\n    host: 127.0.0.1\n    port: 0\n  - name: b\n    host: 127.0.0.1\n    tls: tls\n");
    expect(err.message).toMatch(/2 problems:\n {2}hosts\[0\] \("a"\): port: .*\n {2}hosts\[1\] \("b"\): tls: /);
  });

  it("a missing file is its own reason, so local mode can fall back to its lab hosts", async () => {
    const err = (await loadProbeHosts(join(dir, "nope.yml")).then(
      () => undefined,
      (e: unknown) => e,
    )) as ProbeHostsError;
    expect(err).toBeInstanceOf(ProbeHostsError);
    expect(err.reason).toBe("missing");
    expect(err.message).toMatch(/no probe hosts file.*probe-hosts\.example\.yml/);
  });

  it("finds hosts case-insensitively and reads the password from the environment only at run time", async () => {
    const hosts = await load("hosts:\n  - name: Lab\n    host: 127.0.0.1\n    user: probe\n    passwordEnv: PROBE_T_PW\n");
    const host = findHost(hosts, "lab");
    expect(host?.name).toBe("Lab");
    expect(targetFromNamedHost(host!, {})).toEqual({ name: "Lab", host: "127.0.0.1", port: 110, tls: "none", tlsInsecure: false, protocol: "pop3", user: "probe", passwordEnv: "PROBE_T_PW" });
    expect(targetFromNamedHost(host!, { PROBE_T_PW: "s3cret" }).password).toBe("s3cret");
    expect(findHost(hosts, "other")).toBeUndefined();
  });
});

describe("allow", () => {
  const entry = (allow: unknown) => ({ hosts: [{ name: "lab", host: "127.0.0.1" }, { name: "ops", host: "127.0.0.1", allow }] });

  it("keeps channels, users and usergroups exactly as written; any list may be left out", () => {
    const [open, ops] = parseProbeHosts(entry({ channels: ["C0123ABCD"], usergroups: ["S0ADMINS1"] }), "hosts.yml");
    expect(open!.allow).toBeUndefined();
    expect(ops!.allow).toEqual({ channels: ["C0123ABCD"], usergroups: ["S0ADMINS1"] });
    expect(parseProbeHosts(entry({ users: ["U0ANA0001", "W0ENT0001"] }), "hosts.yml")[1]!.allow).toEqual({ users: ["U0ANA0001", "W0ENT0001"] });
  });

  it.each([
    [{ channels: ["#ops"] }, /hosts\[1\] \("ops"\): allow\.channels\.0: must be a Slack channel id such as C0123ABCD/],
    [{ users: ["ana"] }, /hosts\[1\] \("ops"\): allow\.users\.0: must be a Slack user id/],
    [{ usergroups: ["U0ANA0001"] }, /hosts\[1\] \("ops"\): allow\.usergroups\.0: must be a Slack user group id/],
    [{ teams: ["T1"] }, /hosts\[1\] \("ops"\): allow: Unrecognized key/],
    [{}, /hosts\[1\] \("ops"\): allow: needs channels, users or usergroups/],
    [{ channels: [] }, /allow\.channels: must list at least one id/],
  ])("a mistake names the entry and the field: %j", (allow, message) => {
    expect(() => parseProbeHosts(entry(allow), "hosts.yml")).toThrow(message);
  });
});
