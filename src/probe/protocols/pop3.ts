// The POP3 script (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH PLAIN): the KB's telnet test, run by the engine.
import type { Session } from "../engine.js";
import type { ProtocolScript } from "../script.js";
import type { Reply } from "../reply.js";
import { xoauth2Logon } from "../oauth/xoauth2.js";
import { StepFailure } from "../step-failure.js";
import { MASK, sanitise } from "../transcript.js";
import { parseCapabilities, parseReply, pop3Findings, unstuff, type Capabilities } from "./pop3-reply.js";
import { now } from "../clock.js";

/** A CAPA list longer than this is not a capability list. */
const MAX_CAPA_LINES = 100;

/** Reads a multi-line body up to the "." line, unstuffed; one deadline for the whole body. */
async function readBody(s: Session, ms: number, what: string): Promise<string[]> {
  const until = now() + ms;
  const body: string[] = [];
  for (;;) {
    const raw = s.bufferedLine() ?? (await s.readLine(until - now()));
    if (raw === ".") return body;
    if (body.length >= MAX_CAPA_LINES) throw new StepFailure(`${what}: over ${MAX_CAPA_LINES} lines without the closing "." (not a POP3 server, or a broken one)`);
    body.push(unstuff(raw));
  }
}

function command(s: Session, after: string, line: string, shown: string, ms: number): Promise<Reply> {
  s.send(line, shown);
  return s.readReply(after, ms);
}

async function capa(s: Session): Promise<Capabilities | undefined> {
  let caps: Capabilities | undefined;
  await s.step("CAPA", async (ms) => {
    const until = now() + ms;
    const r = await command(s, "CAPA", "CAPA", "CAPA", ms);
    // CAPA is optional (RFC 2449): an RFC 1939 server such as Exchange 5.5 says -ERR, and USER/PASS still apply.
    if (r.status !== "ok") return `CAPA not supported (${sanitise(r.raw, 120)}); assuming USER/PASS`;
    caps = parseCapabilities(await readBody(s, until - now(), "CAPA"));
    const sasl = caps.sasl;
    return [...caps.names].map((n) => (n === "SASL" && sasl.length ? `SASL ${sasl.join(" ")}` : n)).join(" ") || "(empty list)";
  });
  return caps;
}

async function stls(s: Session, caps: Capabilities | undefined): Promise<Capabilities | undefined> {
  // Not offered: STLS is never sent, so the step did not run (no time to report for it).
  if (caps && !caps.names.has("STLS")) s.refuse("STLS", "STARTTLS unavailable: the server does not list STLS in CAPA");
  await s.step("STLS", async (ms) => {
    const r = await command(s, "STLS", "STLS", "STLS", ms);
    if (r.status !== "ok") throw new StepFailure(`STARTTLS refused: ${sanitise(r.raw, 200)}`);
    // Bytes after the +OK and before the handshake would be read as if protected by TLS (the STARTTLS injection flaw).
    if (s.pendingBytes > 0) {
      s.abandonConnection();
      throw new StepFailure("the server sent data after its STLS reply, before TLS started (refusing: it could be injected)");
    }
    return sanitise(r.raw, 200);
  });
  await s.step("tls", (ms) => s.startTls(ms));
  // RFC 2595: capabilities learnt before TLS are stale; the logon methods often change.
  return capa(s);
}

function loginMethod(s: Session, caps: Capabilities | undefined): "USER" | "AUTH" {
  if (!caps || caps.names.has("USER")) return "USER";
  if (caps.sasl.includes("PLAIN")) return "AUTH";
  // Nothing was sent yet: the refusal is a step of its own, not a failed USER.
  if (caps.names.has("STLS") && s.target.tls === "none") s.refuse("logon", "TLS required: the server offers no plain-text logon before STLS; probe with tls starttls");
  return s.refuse("logon", `plain-text login disabled: the server offers neither USER nor SASL PLAIN (SASL: ${caps.sasl.join(" ") || "none"})`);
}

function noPassword(s: Session): void {
  const env = s.target.passwordEnv;
  if (env) {
    s.markFault(`the password variable ${env} is not set: only USER was tested`);
    s.finding(`the password variable ${env} is not set`);
  } else {
    s.finding("no password given: only USER was tested");
    s.okSummary = "The server accepts USER; no password was given, so logon was not tested.";
  }
}

async function login(s: Session, caps: Capabilities | undefined): Promise<void> {
  const { user, password } = s.target;
  if (user === undefined) {
    s.finding("no test mailbox configured: logon not tested");
    s.okSummary = "The server greets and answers CAPA; no test mailbox is configured, so logon was not tested.";
    return;
  }
  const oauth = await xoauth2Logon(s);
  const method = oauth ? "XOAUTH2" : loginMethod(s, caps);
  if (oauth) {
    await s.step(
      "AUTH",
      async (ms) => {
        let r = await command(s, "AUTH", `AUTH XOAUTH2 ${oauth.blob}`, `AUTH XOAUTH2 ${MASK}`, ms);
        // A refused token comes back as a challenge holding the error; an empty line ends the exchange.
        if (r.status === "continue") r = await command(s, "AUTH", "", "", ms);
        if (r.status !== "ok") {
          oauth.refused();
          throw new StepFailure(`logon failed at AUTH XOAUTH2: ${s.shown(r)}`);
        }
        return s.shown(r);
      },
      { login: true },
    );
  } else if (method === "USER") {
    await s.step("USER", async (ms) => {
      const r = await command(s, "USER", `USER ${user}`, `USER ${user}`, ms);
      if (r.status !== "ok") throw new StepFailure(`USER rejected: ${sanitise(r.raw, 200)}`);
      return sanitise(r.raw, 200);
    });
    if (password === undefined) return noPassword(s);
    await s.step(
      "PASS",
      async (ms) => {
        const r = await command(s, "PASS", `PASS ${password}`, `PASS ${MASK}`, ms);
        if (r.status !== "ok") throw new StepFailure(`logon failed at PASS: ${s.shown(r)}`);
        return s.shown(r);
      },
      { login: true },
    );
  } else {
    if (password === undefined) return noPassword(s);
    const blob = Buffer.from(`\0${user}\0${password}`, "utf8").toString("base64");
    s.addSecret(blob);
    await s.step(
      "AUTH",
      async (ms) => {
        let r = await command(s, "AUTH", `AUTH PLAIN ${blob}`, `AUTH PLAIN ${MASK}`, ms);
        // We already sent the initial response (RFC 5034); a further challenge means the exchange went wrong.
        if (r.status === "continue") r = await command(s, "AUTH", "*", "*", ms);
        if (r.status !== "ok") throw new StepFailure(`logon failed at AUTH PLAIN: ${s.shown(r)}`);
        return s.shown(r);
      },
      { login: true },
    );
  }
  let stat = "";
  await s.step("STAT", async (ms) => {
    const r = await command(s, "STAT", "STAT", "STAT", ms);
    if (r.status !== "ok") throw new StepFailure(`STAT failed after logon: ${sanitise(r.raw, 200)}`);
    const m = /^(\d+)\s+(\d+)/.exec(r.text);
    stat = m ? `${m[1]} message(s), ${m[2]} octets` : sanitise(r.text, 100);
    return stat;
  });
  s.okSummary = `Logged on as ${sanitise(user, 100)} (${method === "USER" ? "USER/PASS" : `AUTH ${method === "XOAUTH2" ? "XOAUTH2" : "PLAIN"}`}${s.tlsInfo ? ` over ${s.tlsInfo.protocol}` : ""}); mailbox has ${stat}. No fault found.`;
}

export const pop3: ProtocolScript = {
  protocol: "pop3",
  parse: parseReply,
  findings: pop3Findings,
  async run(s) {
    await s.greeting((ms) => s.readReply("greeting", ms), (r) => r.status === "ok");
    let caps = await capa(s);
    if (s.target.tls === "starttls") caps = await stls(s, caps);
    await login(s, caps);
  },
  async quit(s) {
    // The UPDATE state (RFC 1939 section 6) runs only after QUIT.
    await s.goodbye("QUIT", (ms) => command(s, "QUIT", "QUIT", "QUIT", ms), (r) => r.status === "ok");
  },
};
