// The hosts file's oauth2 entry, as issue 23 writes it: what loads, what is refused, and that the secret is read
// from its variable only when the target is made.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targetFromNamedHost } from "../../src/probe/hosts.js";
import { parseProbeHosts } from "../../src/probe/hosts-schema.js";
import { refusedTokenFindings, tokenRefusal } from "../../src/probe/oauth/claims.js";
import { xoauth2String } from "../../src/probe/oauth/xoauth2.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "probe-hosts-oauth2-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const entry = (oauth2: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  hosts: [{ name: "exo-imap", host: "outlook.office365.com", protocol: "imap", tls: "implicit", user: "probe@contoso.com", oauth2, ...extra }],
});
const GOOD = { tenant: "contoso.onmicrosoft.com", clientId: "11111111-2222-3333-4444-555555555555", clientSecretEnv: "PROBE_EXO_SECRET" };

describe("hosts file: oauth2", () => {
  it("loads the issue's entry; the secret comes from its variable when the target is made", () => {
    const [host] = parseProbeHosts(entry({ ...GOOD, authority: "https://login.microsoftonline.com", scope: "https://outlook.office365.com/.default" }), join(dir, "h.yml"));
    expect(host?.oauth2).toEqual({ ...GOOD, authority: "https://login.microsoftonline.com", scope: "https://outlook.office365.com/.default" });
    expect(host?.port).toBe(993);
    expect(targetFromNamedHost(host!, { PROBE_EXO_SECRET: "s3cret-value" }).oauth2Secret).toBe("s3cret-value");
    expect(targetFromNamedHost(host!, {}).oauth2Secret).toBeUndefined();
  });

  it("a certificate file is relative to the hosts file and needs its thumbprint", () => {
    const cert = { tenant: GOOD.tenant, clientId: GOOD.clientId, certificateFile: "app.pem", certificateThumbprint: "a".repeat(64) };
    expect(parseProbeHosts(entry(cert), join(dir, "h.yml"))[0]?.oauth2?.certificateFile).toBe(join(dir, "app.pem"));
    expect(() => parseProbeHosts(entry({ tenant: GOOD.tenant, clientId: GOOD.clientId, certificateFile: "app.pem" }), "h.yml")).toThrow(/certificateFile and certificateThumbprint go together/);
  });

  it.each([
    [{ ...GOOD, clientId: "not-a-guid" }, {}, /oauth2\.clientId: must be the application \(client\) id/],
    [{ tenant: GOOD.tenant, clientId: GOOD.clientId }, {}, /needs clientSecretEnv, or certificateFile/],
    [{ ...GOOD, authority: "http://login.example" }, {}, /oauth2\.authority/],
    [GOOD, { passwordEnv: "PW" }, /passwordEnv: not with oauth2/],
    [GOOD, { user: undefined }, /user: required with oauth2/],
  ])("refuses %j %j", (oauth2, extra, message) => {
    expect(() => parseProbeHosts(entry(oauth2, extra), "h.yml")).toThrow(message);
  });
});

describe("XOAUTH2 string and refusal wording", () => {
  it("is Microsoft's SASL string, base64", () => {
    expect(Buffer.from(xoauth2String("probe@contoso.com", "tok"), "base64").toString()).toBe("user=probe@contoso.com\x01auth=Bearer tok\x01\x01");
  });

  it("reads aud, roles and exp from the token without verifying it", () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
    const f = refusedTokenFindings(jwt({ aud: "https://graph.microsoft.com", roles: ["Mail.Read"], exp: 1 }), "pop3", 10_000);
    expect(f[0]).toMatch(/audience is https:\/\/graph\.microsoft\.com/);
    expect(f[1]).toMatch(/lacks the role POP\.AccessAsApp \(roles: Mail\.Read\)/);
    expect(f[2]).toMatch(/expired at 1970/);
    expect(refusedTokenFindings(jwt({ aud: "https://outlook.office365.com", roles: ["SMTP.SendAsApp"], exp: 99 }), "smtp", 10_000)[0]).toMatch(/^Exchange side/);
  });

  it.each([
    ["AADSTS7000215", /invalid client secret/],
    ["AADSTS700016", /no application with that client id in this tenant/],
    ["AADSTS90002", /no such tenant/],
  ])("%s is quoted with its meaning", (code, meaning) => {
    const line = tokenRefusal(code, "whatever");
    expect(line).toContain(code);
    expect(line).toMatch(meaning);
  });
});
