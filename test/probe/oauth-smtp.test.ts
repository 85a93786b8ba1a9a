// SMTP AUTH XOAUTH2 end to end: the built CLI, msal-node against the local authority, Postfix with Dovecot SASL
// (passdb oauth2 introspecting the token); the probe stops at RSET, nothing is sent.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAuthority, type Authority } from "./oauth-authority.js";
import { startPostfix, type Postfix } from "./postfix.js";
import { assertFreshBuild, runProbeCli } from "./run-cli.js";

const TENANT = "contoso.onmicrosoft.com";
const SEND = { tenant: TENANT, clientId: "22222222-2222-3333-4444-555555555555", secret: "smtp-secret-Hv3nD8q", roles: ["SMTP.SendAsApp"] };
const READ_ONLY = { tenant: TENANT, clientId: "33333333-2222-3333-4444-555555555555", secret: "read-secret-Jc5tB1w", roles: ["IMAP.AccessAsApp"] };

let authority: Authority;
let postfix: Postfix;
let dir: string;

beforeAll(async () => {
  assertFreshBuild();
  // Dovecot compares the introspected user name with the SASL user: the submitter's address.
  authority = await startAuthority([SEND, READ_ONLY], "submitter@lab.test", ["SMTP.SendAsApp"]);
  postfix = await startPostfix({ oauth2IntrospectionUrl: authority.introspectionUrl });
  dir = await mkdtemp(join(tmpdir(), "probe-oauth-smtp-"));
  const entry = (name: string, app: { clientId: string }, env: string) =>
    `  - name: ${name}\n    host: 127.0.0.1\n    port: ${postfix.smtpsPort}\n    protocol: smtp\n    tls: implicit\n    ca: ${postfix.certFile}\n    user: ${postfix.submitter}\n    oauth2:\n      tenant: ${TENANT}\n      clientId: ${app.clientId}\n      clientSecretEnv: ${env}\n      authority: ${authority.url}\n`;
  await writeFile(join(dir, "hosts.yml"), `hosts:\n${entry("exo-smtp", SEND, "PROBE_SEND_SECRET")}${entry("exo-smtp-noperm", READ_ONLY, "PROBE_READ_SECRET")}`);
}, 60_000);

afterAll(async () => {
  await postfix?.stop();
  await authority?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runProbeCli(args, { PROBE_HOSTS_FILE: join(dir, "hosts.yml"), NODE_EXTRA_CA_CERTS: authority.caFile, PROBE_SEND_SECRET: SEND.secret, PROBE_READ_SECRET: READ_ONLY.secret });

it("logs on to Postfix with AUTH XOAUTH2 and reaches RSET; nagios OK", async () => {
  const r = await cli(["exo-smtp", "--json"]);
  expect(r.code, r.out + r.err).toBe(0);
  const json = JSON.parse(r.out) as { ok: boolean; transcript: string[] };
  expect(json.ok).toBe(true);
  expect(json.transcript).toContain("C: AUTH XOAUTH2 ********");
  expect(json.transcript.some((l) => l.startsWith("C: RSET"))).toBe(true);
  const n = await cli(["exo-smtp", "--format", "nagios"]);
  expect(n.code, n.out).toBe(0);
  for (const s of [SEND.secret, ...authority.issued]) expect(r.out + r.err + n.out + n.err).not.toContain(s);
}, 60_000);

it("a token without SMTP.SendAsApp is refused and the missing role named; nagios CRITICAL", async () => {
  const r = await cli(["exo-smtp-noperm", "--json"]);
  expect(r.code).not.toBe(0);
  expect(r.out).toContain("token lacks the role SMTP.SendAsApp");
  const n = await cli(["exo-smtp-noperm", "--format", "nagios"]);
  expect(n.code, n.out).toBe(2);
  for (const s of [READ_ONLY.secret, ...authority.issued]) expect(r.out + r.err + n.out + n.err).not.toContain(s);
}, 60_000);
