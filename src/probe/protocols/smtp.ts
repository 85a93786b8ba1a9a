// The SMTP submission script (RFC 5321, RFC 3207 STARTTLS, RFC 4954 AUTH): logs on and asks to submit, never sends mail.
// greeting → EHLO → [STARTTLS → tls → EHLO] → AUTH PLAIN|LOGIN → MAIL FROM → RCPT TO → RSET → QUIT. DATA is never sent.
import type { Session } from "../engine.js";
import type { ProtocolScript } from "../script.js";
import type { Reply } from "../reply.js";
import { xoauth2Logon, type Xoauth2 } from "../oauth/xoauth2.js";
import { StepFailure } from "../step-failure.js";
import { MASK, sanitise } from "../transcript.js";
import { parseEhlo, parseSmtpLine, parseSmtpReply, smtpFindings, smtpReply, type SmtpLine } from "./smtp-reply.js";
import { now } from "../clock.js";

/** An EHLO answer longer than this is not a keyword list. */
const MAX_REPLY_LINES = 100;
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** Reads one whole reply ("250-..." lines up to "250 ..."), all under one deadline. */
async function readSmtp(s: Session, after: string, ms: number): Promise<Reply> {
  const until = now() + ms;
  const lines: SmtpLine[] = [];
  const raws: string[] = [];
  for (;;) {
    const raw = s.bufferedLine() ?? (await s.readLine(until - now()));
    const line = parseSmtpLine(raw);
    if (!line) throw new StepFailure(`${after}: not an SMTP reply: "${sanitise(s.redact(raw), 120)}"`);
    lines.push(line);
    raws.push(raw);
    if (line.last) return s.record(after, smtpReply(lines, raws));
    if (lines.length >= MAX_REPLY_LINES) throw new StepFailure(`${after}: over ${MAX_REPLY_LINES} reply lines without a last one (not an SMTP server, or a broken one)`);
  }
}

function command(s: Session, after: string, line: string, shown: string, ms: number): Promise<Reply> {
  s.send(line, shown);
  return readSmtp(s, after, ms);
}

/** A command that must answer 2xx; anything else fails the step with the reply. */
async function expectOk(s: Session, name: string, line: string, refused: string): Promise<Reply> {
  let reply: Reply | undefined;
  await s.step(name, async (ms) => {
    const r = await command(s, name, line, line, ms);
    if (r.status !== "ok") throw new StepFailure(`${refused}: ${s.shown(r)}`);
    reply = r;
    return s.shown(r);
  });
  return reply as Reply;
}

/** EHLO with an address literal for ourselves (RFC 5321 4.1.3): the probe has no DNS name to claim. */
async function ehlo(s: Session): Promise<ReturnType<typeof parseEhlo>> {
  return parseEhlo(await expectOk(s, "EHLO", `EHLO ${s.localAddressLiteral}`, "the server refused EHLO"));
}

function describeCaps(caps: ReturnType<typeof parseEhlo>): string {
  return [...caps.names].filter((n) => !n.startsWith("AUTH=")).map((n) => (n === "AUTH" && caps.auth.length ? `AUTH ${caps.auth.join(" ")}` : n)).join(" ");
}

async function authenticate(s: Session, caps: ReturnType<typeof parseEhlo>, user: string, password: string): Promise<string> {
  const plain = caps.auth.includes("PLAIN");
  const login = caps.auth.includes("LOGIN");
  if (!caps.names.has("AUTH") || (!plain && !login)) {
    // Nothing was sent yet: the refusal is a step of its own.
    if (caps.names.has("STARTTLS") && s.target.tls === "none") s.refuse("logon", "TLS required: the server offers AUTH only after STARTTLS; probe with tls starttls");
    s.refuse("logon", `no usable logon: the server offers neither AUTH PLAIN nor AUTH LOGIN (AUTH: ${caps.auth.join(" ") || "none"})`);
  }
  const mech = plain ? "PLAIN" : "LOGIN";
  for (const secret of [b64(password), b64(`\0${user}\0${password}`), b64(user)]) s.addSecret(secret);
  await s.step(
    "AUTH",
    async (ms) => {
      const until = now() + ms;
      const left = () => until - now();
      let r: Reply;
      if (mech === "PLAIN") {
        r = await command(s, "AUTH", `AUTH PLAIN ${b64(`\0${user}\0${password}`)}`, `AUTH PLAIN ${MASK}`, ms);
      } else {
        // RFC 4954 has no AUTH LOGIN; servers ask for the user name, then the password, each base64 after a 334.
        r = await command(s, "AUTH", "AUTH LOGIN", "AUTH LOGIN", ms);
        if (r.status === "continue") r = await command(s, "AUTH", b64(user), MASK, left());
        if (r.status === "continue") r = await command(s, "AUTH", b64(password), MASK, left());
      }
      // A further challenge means the exchange went wrong: cancel it (RFC 4954 4) and report what the server said.
      if (r.status === "continue") r = await command(s, "AUTH", "*", "*", left());
      if (r.status !== "ok") throw new StepFailure(`logon failed at AUTH ${mech}: ${s.shown(r)}`);
      return s.shown(r);
    },
    { login: true },
  );
  return mech;
}

async function authenticateXoauth2(s: Session, oauth: Xoauth2): Promise<string> {
  await s.step(
    "AUTH",
    async (ms) => {
      const until = now() + ms;
      let r = await command(s, "AUTH", `AUTH XOAUTH2 ${oauth.blob}`, `AUTH XOAUTH2 ${MASK}`, ms);
      // A refused token comes back as a 334 holding the error; an empty line ends the exchange.
      if (r.status === "continue") r = await command(s, "AUTH", "", "", until - now());
      if (r.status !== "ok") {
        oauth.refused();
        throw new StepFailure(`logon failed at AUTH XOAUTH2: ${s.shown(r)}`);
      }
      return s.shown(r);
    },
    { login: true },
  );
  return "XOAUTH2";
}

function senderOf(s: Session): { from?: string; to?: string } {
  const t = s.target;
  const from = t.mailFrom ?? (t.user !== undefined && /^[^@\s]+@[^@\s]+$/.test(t.user) ? t.user : undefined);
  const to = t.rcptTo ?? from;
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

export const smtp: ProtocolScript = {
  protocol: "smtp",
  parse: parseSmtpReply,
  findings: smtpFindings,
  async run(s) {
    await s.greeting((ms) => readSmtp(s, "greeting", ms), (r) => r.code === "220");
    let caps = await ehlo(s);
    if (s.target.tls === "starttls") {
      // Not offered: STARTTLS is never sent, so the step did not run.
      if (!caps.names.has("STARTTLS")) s.refuse("STARTTLS", "STARTTLS unavailable: the server does not offer STARTTLS in its EHLO reply");
      await s.step("STARTTLS", async (ms) => {
        const r = await command(s, "STARTTLS", "STARTTLS", "STARTTLS", ms);
        if (r.code !== "220") throw new StepFailure(`STARTTLS refused: ${s.shown(r)}`);
        // Bytes after the 220 and before the handshake would be read as if protected by TLS (CVE-2011-0411 and kin).
        if (s.pendingBytes > 0) {
          s.abandonConnection();
          throw new StepFailure("the server sent data after its STARTTLS reply, before TLS started (refusing: it could be injected)");
        }
        return s.shown(r);
      });
      await s.step("tls", (ms) => s.startTls(ms));
      // RFC 3207 4.2: forget what EHLO said before TLS and ask again.
      caps = await ehlo(s);
    }
    const { user, password } = s.target;
    let mech: string | undefined;
    const oauth = await xoauth2Logon(s);
    if (oauth) mech = await authenticateXoauth2(s, oauth);
    else if (user !== undefined && password !== undefined) mech = await authenticate(s, caps, user, password);
    else if (user !== undefined) {
      s.markFault(s.target.passwordEnv ? `the password variable ${s.target.passwordEnv} is not set: logon not tested` : "no password given: logon not tested");
      return;
    } else s.finding("no account configured: the probe submits anonymously (an authenticated submission service should refuse it)");
    const { from, to } = senderOf(s);
    if (from === undefined || to === undefined) {
      s.finding("no MAIL FROM address (mailFrom, or a user name that is an address): submission was not tested");
      s.okSummary = `The server greets and answers EHLO (${describeCaps(caps)})${mech ? `; logon with AUTH ${mech} works` : ""}; submission was not tested.`;
      return;
    }
    await expectOk(s, "MAIL", `MAIL FROM:<${from}>`, "the server refused the sender at MAIL FROM");
    await expectOk(s, "RCPT", `RCPT TO:<${to}>`, "the server refused the recipient at RCPT TO");
    // The probe never sends DATA: RSET drops the transaction, so no mail is ever submitted.
    await expectOk(s, "RSET", "RSET", "the server refused RSET");
    s.okSummary = `${mech ? `Logged on as ${sanitise(user ?? "", 100)} (AUTH ${mech}${s.tlsInfo ? ` over ${s.tlsInfo.protocol}` : ""})` : "Anonymous session"}; the server accepts mail from ${sanitise(from, 100)} to ${sanitise(to, 100)} (nothing was sent: the probe stops before DATA). No fault found.`;
  },
  async quit(s) {
    await s.goodbye("QUIT", (ms) => command(s, "QUIT", "QUIT", "QUIT", ms), (r) => r.code === "221");
  },
};
