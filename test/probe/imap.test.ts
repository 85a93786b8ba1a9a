// The IMAP probe against a scripted peer (quoting, literals, LOGINDISABLED, AUTHENTICATE) and a real Dovecot
// (plain, STARTTLS, 993-style TLS, LOGINDISABLED before TLS, wrong password). The password appears in no output.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureArticles } from "../helpers/knowledge.js";
import { startImapPeer, type ImapPeerOptions } from "../../src/local/imap-peers.js";
import type { RunningPeer } from "../../src/local/peer-server.js";
import { parseImapLine, parseImapReply, quoted } from "../../src/probe/protocols/imap-reply.js";
import { runProbe } from "../../src/probe/run.js";
import type { ProbeResult, ProbeTarget } from "../../src/probe/types.js";
import { makeCert, type TestCert } from "./certs.js";
import { expectNoSecret } from "./no-secret.js";
import { findDovecot, startDovecot, type Dovecot } from "./dovecot.js";

const articles = fixtureArticles();
const PASSWORD = "Im4p-pr0be-secret";
const texts = (r: ProbeResult) => r.lines.map((l) => l.text);

const peers: RunningPeer[] = [];
async function peer(opts: ImapPeerOptions = {}): Promise<RunningPeer> {
  const p = await startImapPeer({ password: PASSWORD, ...opts });
  peers.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});

function probe(p: { host: string; port: number }, t: Partial<ProbeTarget> = {}): Promise<ProbeResult> {
  return runProbe({ host: p.host, port: p.port, tls: "none", protocol: "imap", user: "probe", password: PASSWORD, tlsInsecure: false, ...t }, { articles });
}

describe("IMAP reply grammar", () => {
  it("reads tagged and untagged status responses, response codes, continuations and literals", () => {
    expect(parseImapLine("a1 NO [AUTHENTICATIONFAILED] Authentication failed.")).toMatchObject({ tag: "a1", word: "NO", reply: { status: "fail", code: "AUTHENTICATIONFAILED", text: "Authentication failed." } });
    expect(parseImapLine("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready")).toMatchObject({ tag: "*", reply: { status: "ok", code: "CAPABILITY" } });
    expect(parseImapLine("+ Ready for literal data")).toMatchObject({ tag: "+", reply: { status: "continue" } });
    expect(parseImapLine("* 1 FETCH (BODY[] {12}")).toMatchObject({ tag: "*", literal: 12 });
    expect(parseImapLine("+OK POP3 ready")).toBeUndefined();
    expect(parseImapReply("NO [AUTHENTICATIONFAILED] Authentication failed")).toMatchObject({ status: "fail", code: "AUTHENTICATIONFAILED" });
  });

  it("quotes with escapes, and leaves 8-bit text to a literal", () => {
    expect(quoted('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(quoted("pässword")).toBeUndefined();
    expect(quoted("")).toBe('""');
  });
});

describe("IMAP probe against the scripted peer", () => {
  let cert: TestCert;
  beforeAll(async () => {
    cert = await makeCert();
  });
  afterAll(() => cert?.cleanup());

  it("greeting, CAPABILITY, LOGIN, STATUS INBOX, LOGOUT: ok, password masked", async () => {
    const r = await probe(await peer());
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPABILITY", "LOGIN", "STATUS", "LOGOUT"]);
    expect(texts(r)).toEqual(expect.arrayContaining(['C: a2 LOGIN "probe" ********', "C: a3 STATUS INBOX (MESSAGES)", "S: * STATUS INBOX (MESSAGES 2)", "C: a4 LOGOUT"]));
    expect(r.diagnosis.summary).toMatch(/INBOX has 2 message\(s\)/);
    expectNoSecret(r, "probe", PASSWORD);
  });

  it("quotes a user name with quotes and backslashes, and sends an 8-bit password as a literal, masked", async () => {
    const users: string[] = [];
    const pw = "pässwörd-geheim";
    const user = 'DOMAIN\\probe "x"';
    const r = await probe(await peer({ users, password: pw }), { user, password: pw });
    expect(r.ok).toBe(true);
    expect(users).toEqual([user]);
    expect(texts(r)).toContain(`C: a2 LOGIN "DOMAIN\\\\probe \\"x\\"" {${Buffer.byteLength(pw)}+}`);
    expect(texts(r)).toContain("C: ********");
    expectNoSecret(r, user, pw);
  });

  it("a wrong password: NO [AUTHENTICATIONFAILED], explained", async () => {
    // Not "not-the-password": any six characters of the password are masked, so the word "password" in the explanation would be too.
    const r = await probe(await peer(), { password: "wr0ng-s3cret-x" });
    expect(r.ok).toBe(false);
    expect(r.steps.find((s) => s.name === "LOGIN")).toMatchObject({ ok: false });
    expect(r.diagnosis.findings.join("\n")).toMatch(/\[AUTHENTICATIONFAILED\]: wrong user name or password/);
    expectNoSecret(r, "probe", "not-the-password");
  });

  it("LOGINDISABLED before TLS: plain text stops at a 'logon' step saying TLS is required; STARTTLS then AUTHENTICATE PLAIN", async () => {
    const commands: string[] = [];
    const p = await peer({ loginDisabledBeforeTls: true, commands, tls: { mode: "starttls", cert: cert.cert, key: cert.key } });
    const plain = await probe(p);
    expect(plain.ok).toBe(false);
    expect(plain.steps.at(-2)).toMatchObject({ name: "logon", ok: false });
    expect(plain.diagnosis.summary).toMatch(/^TLS required: .*LOGINDISABLED/);
    expect(commands.some((c) => /LOGIN|AUTHENTICATE/.test(c))).toBe(false);
    const tls = await probe(p, { tls: "starttls", tlsInsecure: true });
    expect(tls.ok).toBe(true);
    expect(tls.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPABILITY", "STARTTLS", "tls", "CAPABILITY", "LOGIN", "STATUS", "LOGOUT"]);
  });

  it.each([
    [true, ["C: a2 AUTHENTICATE PLAIN ********"]],
    [false, ["C: a2 AUTHENTICATE PLAIN", "S: + ", "C: ********"]],
  ])("LOGINDISABLED with AUTH=PLAIN (SASL-IR %s): AUTHENTICATE PLAIN, the blob masked", async (saslIr, lines) => {
    const commands: string[] = [];
    const p = await peer({ loginDisabledBeforeTls: true, saslWhenLoginDisabled: true, saslIr, commands });
    const r = await probe(p);
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPABILITY", "AUTHENTICATE", "STATUS", "LOGOUT"]);
    expect(texts(r)).toEqual(expect.arrayContaining(lines));
    expect(commands.some((c) => c.includes("LOGIN"))).toBe(false);
    expectNoSecret(r, "probe", PASSWORD);
  });
});

describe("IMAP probe against a real Dovecot", () => {
  let dovecot: Dovecot;
  let strict: Dovecot;
  beforeAll(async () => {
    // A missing dovecot fails here with how to install it: these tests never skip.
    const binary = findDovecot();
    [dovecot, strict] = await Promise.all([
      startDovecot(binary, { protocols: ["imap"] }),
      startDovecot(binary, { protocols: ["imap"], tlsRequired: true, address: "127.0.0.2" }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([dovecot?.stop(), strict?.stop()]);
  });

  const imapProbe = (d: Dovecot, t: Partial<ProbeTarget>) => probe({ host: d.host, port: d.imapPort }, { user: d.user, password: d.password, tlsInsecure: true, ...t });

  it("plain text on the 143-style port: LOGIN, STATUS INBOX, LOGOUT", async () => {
    const r = await imapProbe(dovecot, {});
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPABILITY", "LOGIN", "STATUS", "LOGOUT"]);
    expect(texts(r)[0]).toMatch(/^S: \* OK .*Dovecot/);
    expect(texts(r)).toContain("S: * STATUS INBOX (MESSAGES 0)");
    expectNoSecret(r, dovecot.user, dovecot.password);
  });

  it("STARTTLS, capabilities again, logon over TLS", async () => {
    const r = await imapProbe(dovecot, { tls: "starttls" });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPABILITY", "STARTTLS", "tls", "CAPABILITY", "LOGIN", "STATUS", "LOGOUT"]);
    expect(r.tlsInfo).toMatchObject({ selfSigned: true, subject: "CN=localhost" });
  });

  it("TLS from the first byte on the 993-style port", async () => {
    const r = await imapProbe(dovecot, { tls: "implicit", port: dovecot.imapsPort });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "tls", "greeting", "CAPABILITY", "LOGIN", "STATUS", "LOGOUT"]);
  });

  it("LOGINDISABLED before TLS: TLS required, no password sent; STARTTLS logs on", async () => {
    const plain = await imapProbe(strict, {});
    expect(plain.ok).toBe(false);
    expect(plain.diagnosis.summary).toMatch(/^TLS required/);
    expect(texts(plain).some((l) => /LOGIN|AUTHENTICATE/.test(l) && l.startsWith("C:"))).toBe(false);
    const tls = await imapProbe(strict, { tls: "starttls" });
    expect(tls.ok).toBe(true);
  });

  it("a wrong password: NO [AUTHENTICATIONFAILED] after Dovecot's delay, never shown", async () => {
    const wrong = "wrong-Im4p-password";
    const r = await imapProbe(dovecot, { password: wrong });
    expect(r.ok).toBe(false);
    expect(texts(r).some((l) => /^S: a\d+ NO \[AUTHENTICATIONFAILED\]/.test(l))).toBe(true);
    expect(r.steps.find((s) => s.name === "LOGIN")!.ms).toBeGreaterThan(500);
    expectNoSecret(r, dovecot.user, wrong);
    expect(await dovecot.log()).not.toContain(dovecot.password);
  });
});
