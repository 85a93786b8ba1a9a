// XOAUTH2 end to end with no network: the built CLI gets a client-credentials token from msal-node against a local
// HTTPS authority (test CA through NODE_EXTRA_CA_CERTS in the CLI's environment) and logs on to a real Dovecot whose
// passdb oauth2 introspects the token.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthority, type Authority } from "./oauth-authority.js";
import { findDovecot, startDovecot, type Dovecot } from "./dovecot.js";
import { assertFreshBuild, runProbeCli } from "./run-cli.js";

const TENANT = "contoso.onmicrosoft.com";
const GOOD = { tenant: TENANT, clientId: "11111111-2222-3333-4444-555555555555", secret: "app-secret-Qx7wLk2p9", roles: ["POP.AccessAsApp", "IMAP.AccessAsApp"] };
const NO_ROLE = { tenant: TENANT, clientId: "66666666-2222-3333-4444-555555555555", secret: "other-secret-Zr4mN8c", roles: [] };

let authority: Authority;
let dovecot: Dovecot;
let dir: string;

beforeAll(async () => {
  assertFreshBuild();
  authority = await startAuthority([GOOD, NO_ROLE], "probe", ["POP.AccessAsApp", "IMAP.AccessAsApp"]);
  dovecot = await startDovecot(findDovecot(), { protocols: ["pop3", "imap"], oauth2IntrospectionUrl: authority.introspectionUrl });
  dir = await mkdtemp(join(tmpdir(), "probe-oauth-"));
  const entry = (name: string, protocol: string, port: number, app: { clientId: string }, tenant = TENANT, secretEnv = "PROBE_EXO_SECRET") =>
    `  - name: ${name}\n    host: 127.0.0.1\n    port: ${port}\n    protocol: ${protocol}\n    tls: implicit\n    tlsInsecure: true\n    user: probe\n    oauth2:\n      tenant: ${tenant}\n      clientId: ${app.clientId}\n      clientSecretEnv: ${secretEnv}\n      authority: ${authority.url}\n`;
  await writeFile(
    join(dir, "hosts.yml"),
    `hosts:\n${entry("exo-imap", "imap", dovecot.imapsPort, GOOD)}${entry("exo-pop", "pop3", dovecot.pop3sPort, GOOD)}${entry("noperm-pop", "pop3", dovecot.pop3sPort, NO_ROLE, TENANT, "PROBE_OTHER_SECRET")}${entry("noperm-imap", "imap", dovecot.imapsPort, NO_ROLE, TENANT, "PROBE_OTHER_SECRET")}${entry("badtenant", "pop3", dovecot.pop3sPort, GOOD, "fabrikam.onmicrosoft.com")}${entry("badsecret", "pop3", dovecot.pop3sPort, GOOD, TENANT, "PROBE_WRONG_SECRET")}`,
  );
}, 60_000);

afterAll(async () => {
  await dovecot?.stop();
  await authority?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[]) =>
  runProbeCli(args, { PROBE_HOSTS_FILE: join(dir, "hosts.yml"), NODE_EXTRA_CA_CERTS: authority.caFile, PROBE_EXO_SECRET: GOOD.secret, PROBE_OTHER_SECRET: NO_ROLE.secret, PROBE_WRONG_SECRET: "W7q-zk2-Rx9-4711" });

function expectNoSecrets(text: string): void {
  for (const secret of [GOOD.secret, NO_ROLE.secret, "W7q-zk2-Rx9-4711", ...authority.issued]) expect(text).not.toContain(secret);
  for (const token of authority.issued) expect(text).not.toContain(Buffer.from(`user=probe\x01auth=Bearer ${token}\x01\x01`).toString("base64"));
}

describe("probe: XOAUTH2 with a token from msal-node", () => {
  it.each([
    ["exo-imap", "AUTHENTICATE XOAUTH2"],
    ["exo-pop", "AUTH XOAUTH2"],
  ])("%s logs on with %s and prints neither token nor secret", async (name, command) => {
    const before = authority.issued.length;
    const r = await cli([name, "--json"]);
    expect(r.code, r.out + r.err).toBe(0);
    const json = JSON.parse(r.out) as { ok: boolean; steps: { name: string; ok: boolean }[]; transcript: string[] };
    expect(json.ok).toBe(true);
    expect(json.steps.find((s) => s.name === "token")?.ok).toBe(true);
    expect(json.transcript.join("\n")).toContain(`${command} ********`);
    expect(authority.issued.length).toBe(before + 1);
    expectNoSecrets(r.out + r.err);
  }, 60_000);

  it.each([
    ["noperm-pop", "POP.AccessAsApp"],
    ["noperm-imap", "IMAP.AccessAsApp"],
  ])("%s: the refused token's missing role %s is named, nagios CRITICAL", async (name, role) => {
    const r = await cli([name, "--format", "nagios"]);
    expect(r.code, r.out + r.err).toBe(2);
    const json = await cli([name, "--json"]);
    expect(json.out).toContain(`token lacks the role ${role}`);
    expect(json.out).toContain("New-ServicePrincipal");
    expectNoSecrets(r.out + r.err + json.out + json.err);
  }, 60_000);

  it.each([
    ["badsecret", "AADSTS7000215", "invalid client secret"],
    ["badtenant", "AADSTS90002", "no such tenant"],
  ])("%s: the token endpoint's %s is quoted and explained, nagios CRITICAL", async (name, code, meaning) => {
    const r = await cli([name, "--format", "nagios"]);
    expect(r.code, r.out + r.err).toBe(2);
    const json = await cli([name, "--json"]);
    expect(json.out).toContain(code);
    expect(json.out, json.out).toContain(meaning);
    expectNoSecrets(r.out + r.err + json.out + json.err);
  }, 60_000);
});
