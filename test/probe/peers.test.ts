// The probe against scripted POP3 peers on loopback: real sockets, Exchange's failure modes and hostile servers.
// TLS against these peers, and the lab peers of local mode, are in peers-tls.test.ts.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runProbe } from "../../src/probe/run.js";
import { articles, expectNoSecret, peer, probe, step, stopPeers } from "./pop3-probe-kit.js";

afterEach(stopPeers);
describe("Exchange 5.5 failure modes", () => {
  it("privilege error after PASS: diagnosed as Q171435 / Q189732, password hidden, QUIT sent", async () => {
    const r = await probe(await peer("exchange55-privilege"));
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => [s.name, s.ok])).toEqual([
      ["resolve", true],
      ["connect", true],
      ["greeting", true],
      ["CAPA", true],
      ["USER", true],
      ["PASS", false],
      ["QUIT", true],
    ]);
    expect(step(r, "CAPA")?.detail).toMatch(/CAPA not supported/);
    expect(r.lines.map((l) => l.text)).toEqual([
      "S: +OK Microsoft Exchange POP3 server version 5.5.2653.23 ready.",
      "C: CAPA",
      "S: -ERR Protocol Error",
      "C: USER probe",
      "S: +OK",
      "C: PASS ********",
      "S: -ERR A required privilege is not held by the client.",
      "C: QUIT",
      "S: +OK Microsoft Exchange POP3 server version 5.5.2653.23 signing off.",
    ]);
    expect(r.diagnosis.articles).toEqual(["Q171435", "Q189732"]);
    expect(r.diagnosis.summary).toMatch(/Act as part of the operating system/);
    for (let i = 1; i < r.lines.length; i++) expect(r.lines[i]!.at).toBeGreaterThanOrEqual(r.lines[i - 1]!.at);
    expectNoSecret(r);
  });

  it("13003 logon failure after PASS: diagnosed as Q247764", async () => {
    const r = await probe(await peer("exchange55-logon"));
    expect(r.ok).toBe(false);
    expect(step(r, "PASS")).toMatchObject({ ok: false, detail: expect.stringContaining("Logon failure: unknown user name or bad password") });
    expect(r.diagnosis.articles).toEqual(["Q247764"]);
    expect(r.diagnosis.summary).toMatch(/event 13003/);
    expectNoSecret(r);
  });
});

describe("healthy server", () => {
  it("logs on with USER/PASS, reads STAT, says QUIT: ok, no articles", async () => {
    const r = await probe(await peer("healthy"));
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPA", "USER", "PASS", "STAT", "QUIT"]);
    expect(r.steps.every((s) => s.ok && s.ms >= 0)).toBe(true);
    expect(step(r, "STAT")?.detail).toBe("2 message(s), 3120 octets");
    expect(r.diagnosis).toMatchObject({ articles: [], summary: expect.stringMatching(/No fault found/) });
    expectNoSecret(r);
  });

  it("a wrong password is a fault with the [AUTH] code explained", async () => {
    const r = await probe(await peer("healthy"), { password: "not-the-password" });
    expect(r.ok).toBe(false);
    expect(r.lines.map((l) => l.text)).toContain("S: -ERR [AUTH] Authentication failed.");
    expect(r.diagnosis.findings.join("\n")).toMatch(/\[AUTH\]: the server rejected the credentials/);
    expectNoSecret(r, "not-the-password");
  });

  it("uses AUTH PLAIN when CAPA offers SASL PLAIN but not USER, and masks the AUTH data", async () => {
    const r = await probe(await peer("healthy", { capabilities: ["TOP", "SASL PLAIN", "RESP-CODES"] }));
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPA", "AUTH", "STAT", "QUIT"]);
    expect(r.lines.map((l) => l.text)).toContain("C: AUTH PLAIN ********");
    expect(r.lines.map((l) => l.text).some((l) => l.startsWith("C: USER"))).toBe(false);
    expectNoSecret(r);
  });

  it("neither USER nor SASL PLAIN: plain-text login disabled, nothing sent", async () => {
    const r = await probe(await peer("healthy", { capabilities: ["TOP", "SASL CRAM-MD5 GSSAPI"] }));
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toMatch(/plain-text login disabled/);
    expect(r.lines.map((l) => l.text).some((l) => /^C: (USER|PASS|AUTH)/.test(l))).toBe(false);
  });

  it("unstuffs multi-line CAPA bodies (RFC 1939 byte-stuffing)", async () => {
    const r = await probe(await peer("healthy", { capabilities: ["USER", "..X-STUFFED dotted"] }));
    expect(r.ok).toBe(true);
    expect(r.lines.map((l) => l.text)).toContain("S: ..X-STUFFED dotted");
    expect(step(r, "CAPA")?.detail).toBe("USER .X-STUFFED");
  });

  it.each([
    ["-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.", /\[SYS\/TEMP\]: a temporary problem/],
    ["-ERR [IN-USE] Mailbox is locked by another POP3 session.", /\[IN-USE\]: the mailbox is locked/],
    ["-ERR Command is not valid in this state.", /Command is not valid in this state/],
  ])("explains %s", async (reply, finding) => {
    const r = await probe(await peer("healthy", { loginReply: reply }));
    expect(r.ok).toBe(false);
    expect(r.diagnosis.findings.join("\n")).toMatch(finding);
    expect(r.diagnosis.articles).toEqual([]);
  });

  it("without a mailbox configured it stops after CAPA and says logon was not tested", async () => {
    const p = await peer("healthy");
    const r = await runProbe({ host: p.host, port: p.port, tls: "none", tlsInsecure: false }, { articles });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).toEqual(["resolve", "connect", "greeting", "CAPA", "QUIT"]);
    expect(r.diagnosis.summary).toMatch(/logon was not tested/);
  });

  it("a named host whose password variable is unset is a fault naming the variable; only USER is sent", async () => {
    const p = await peer("healthy");
    const r = await runProbe({ host: p.host, port: p.port, tls: "none", user: "probe", passwordEnv: "PROBE_UNSET_VAR", tlsInsecure: false }, { articles });
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toMatch(/PROBE_UNSET_VAR is not set/);
    expect(r.lines.map((l) => l.text).some((l) => l.startsWith("C: PASS"))).toBe(false);
  });

  it("refuses a password with CR/LF (command injection) without connecting", async () => {
    const p = await peer("healthy");
    const r = await probe(p, { password: "x\r\nDELE 1" });
    expect(r.ok).toBe(false);
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]).toMatchObject({ name: "config", ok: false });
    expect(p.acceptedConnections()).toBe(0);
  });
});

describe("hostile and broken peers end in a clear result within the deadline", () => {
  it("silent: no greeting, within the overall deadline even when steps would allow more", async () => {
    const t0 = Date.now();
    const r = await probe(await peer("silent"), {}, { timeoutMs: 800, stepTimeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(r.ok).toBe(false);
    expect(step(r, "greeting")).toMatchObject({ ok: false });
    expect(r.diagnosis.summary).toMatch(/^no greeting: .* sent nothing in \d+ ms/);
  });

  it("drips a byte a second: named as dripping, ends at the deadline", async () => {
    const t0 = Date.now();
    const r = await probe(await peer("drip", { dripIntervalMs: 1000 }), {}, { timeoutMs: 2500 });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThan(2000);
    expect(elapsed).toBeLessThan(3500);
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toMatch(/greeting: only [1-3] bytes? of a line arrived .*dripping/);
  });

  it("floods bytes without a line break: fails on the 8 KB line cap", async () => {
    const r = await probe(await peer("flood"));
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toMatch(/greeting: the server sent a line longer than 8192 bytes/);
    expect(r.totalMs).toBeLessThan(2000);
  });

  it("floods lines: fails on a cap (CAPA body length or unread data) instead of buffering without end", async () => {
    const r = await probe(await peer("flood", { floodWith: "lines" }));
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toMatch(/^CAPA: (over 100 lines without the closing "\."|the server sent over 64 KB nobody asked for)/);
    expect(r.totalMs).toBeLessThan(2000);
  });

  it("resets the connection: says so and in which step", async () => {
    const r = await probe(await peer("reset"));
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toBe("the server reset the connection during CAPA");
    expect(r.steps.at(-1)).toMatchObject({ name: "CAPA", ok: false });
  });

  it("refused: nothing listens", async () => {
    const p = await peer("healthy");
    await p.stop();
    const r = await probe(p);
    expect(r.ok).toBe(false);
    expect(step(r, "connect")).toMatchObject({ ok: false });
    expect(r.diagnosis.summary).toMatch(/^connection refused: nothing listens on 127\.0\.0\.1:\d+/);
  });

  it("bad TLS: implicit TLS against a plain-text POP3 port fails the handshake with a hint", async () => {
    const r = await probe(await peer("bad-tls"), { tls: "implicit" });
    expect(r.ok).toBe(false);
    expect(step(r, "tls")).toMatchObject({ ok: false });
    expect(r.diagnosis.summary).toMatch(/TLS handshake failed \(.+\): the port does not speak TLS/);
    expect(r.lines.map((l) => l.text)).toEqual([]);
  });

  it("STARTTLS asked of a server without STLS: a fault, and no credentials sent", async () => {
    const r = await probe(await peer("healthy"), { tls: "starttls" });
    expect(r.ok).toBe(false);
    expect(r.diagnosis.summary).toMatch(/does not list STLS/);
    expect(r.lines.map((l) => l.text).some((l) => /^C: (USER|PASS)/.test(l))).toBe(false);
  });
});

describe("a server that echoes secrets back", () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((s: Socket) => {
      s.write("+OK echo\r\n");
      s.on("data", (d) => {
        for (const line of d.toString().split("\r\n").filter(Boolean)) {
          if (line === "CAPA") s.write("-ERR no\r\n");
          else if (line.startsWith("USER")) s.write("+OK\r\n");
          else if (line.startsWith("PASS ")) s.write(`-ERR [AUTH] wrong password '${line.slice(5)}' for probe\r\n`);
          else s.write("+OK bye\r\n");
        }
      });
      s.on("error", () => s.destroy());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const a = server.address();
    port = typeof a === "object" && a ? a.port : 0;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("masks the password in server lines, step details and the diagnosis", async () => {
    const r = await probe({ host: "127.0.0.1", port });
    expect(r.lines.map((l) => l.text)).toContain("S: -ERR [AUTH] wrong password '********' for probe");
    expect(step(r, "PASS")?.detail).toContain("********");
    expectNoSecret(r);
  });
});
