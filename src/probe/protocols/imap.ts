// The IMAP script (RFC 3501; STARTTLS, LOGINDISABLED, SASL-IR RFC 4959, LITERAL+ RFC 7888): logs on, reads STATUS INBOX.
// greeting → CAPABILITY → [STARTTLS → tls → CAPABILITY] → LOGIN | AUTHENTICATE PLAIN → STATUS INBOX (MESSAGES) → LOGOUT.
import type { Session } from "../engine.js";
import type { ProtocolScript } from "../script.js";
import type { Reply } from "../reply.js";
import { xoauth2Logon } from "../oauth/xoauth2.js";
import { StepFailure } from "../step-failure.js";
import { MASK, sanitise } from "../transcript.js";
import { capabilitiesIn, imapFindings, parseImapLine, parseImapReply, quoted } from "./imap-reply.js";
import { now } from "../clock.js";

/** Untagged lines before a tagged answer; more is not an IMAP server answering a probe. */
const MAX_UNTAGGED = 1000;

interface Tagged {
  reply: Reply;
  /** Untagged lines that came before it. */
  untagged: string[];
}

/** Reads until the line tagged `tag` (or a continuation when `continuation` is set); literals in untagged data are skipped. */
async function readTagged(s: Session, tag: string, after: string, ms: number, continuation = false): Promise<Tagged> {
  const until = now() + ms;
  const untagged: string[] = [];
  for (;;) {
    const raw = s.bufferedLine() ?? (await s.readLine(until - now()));
    const line = parseImapLine(raw);
    if (!line) throw new StepFailure(`${after}: not an IMAP response: "${sanitise(s.redact(raw), 120)}"`);
    if (line.tag === "+" && continuation && line.reply) return { reply: s.record(after, line.reply), untagged };
    if (line.tag === tag && line.reply) return { reply: s.record(after, line.reply), untagged };
    if (line.tag === "*" && line.word === "BYE" && line.reply) {
      s.record(after, line.reply);
      throw new StepFailure(`the server closed the session at ${after}: ${s.shown(line.reply)}`);
    }
    untagged.push(raw);
    // A literal's octets follow as lines of their own: skip that many bytes.
    for (let left = line.literal ?? 0; left > 0; ) left -= Buffer.byteLength(await s.readLine(until - now())) + 2;
    if (untagged.length >= MAX_UNTAGGED) throw new StepFailure(`${after}: over ${MAX_UNTAGGED} untagged lines without the tagged answer (not an IMAP server, or a broken one)`);
  }
}

/** A probe session's tags: a1, a2, ... */
function tagger(): () => string {
  let n = 0;
  return () => `a${++n}`;
}

interface Arg {
  value: string;
  secret: boolean;
}

/**
 * Sends a command whose arguments are quoted strings where they can be, literals where they must (8-bit text):
 * LITERAL+ sends them at once, otherwise each waits for the server's "+" (RFC 3501 7.5).
 */
async function sendWithArgs(s: Session, tag: string, verb: string, args: Arg[], literalPlus: boolean, after: string, ms: number): Promise<void> {
  const until = now() + ms;
  const lines: Array<[string, string]> = [];
  let line = `${tag} ${verb}`;
  let shown = line;
  for (const a of args) {
    const q = quoted(a.value);
    if (q !== undefined) {
      line += ` ${q}`;
      shown += ` ${a.secret ? MASK : q}`;
      continue;
    }
    const marker = `{${Buffer.byteLength(a.value, "utf8")}${literalPlus ? "+" : ""}}`;
    lines.push([`${line} ${marker}`, `${shown} ${marker}`]);
    line = a.value;
    shown = a.secret ? MASK : a.value;
  }
  lines.push([line, shown]);
  for (const [i, [text, show]] of lines.entries()) {
    s.send(text, show);
    if (i < lines.length - 1 && !literalPlus) {
      const r = await readTagged(s, tag, after, until - now(), true);
      if (r.reply.status !== "continue") throw new StepFailure(`${after}: the server refused the literal: ${s.shown(r.reply)}`);
    }
  }
}

async function capability(s: Session, next: () => string): Promise<Set<string>> {
  let caps = new Set<string>();
  await s.step("CAPABILITY", async (ms) => {
    const tag = next();
    s.send(`${tag} CAPABILITY`, `${tag} CAPABILITY`);
    const r = await readTagged(s, tag, "CAPABILITY", ms);
    if (r.reply.status !== "ok") throw new StepFailure(`CAPABILITY refused: ${s.shown(r.reply)}`);
    const found = r.untagged.map(capabilitiesIn).find((c) => c !== undefined) ?? capabilitiesIn(r.reply.raw) ?? [];
    caps = new Set(found);
    return found.join(" ") || "(empty list)";
  });
  return caps;
}

async function logon(s: Session, caps: Set<string>, next: () => string): Promise<string | undefined> {
  const { user, password } = s.target;
  if (user === undefined) {
    s.finding("no test mailbox configured: logon not tested");
    s.okSummary = "The server greets and answers CAPABILITY; no test mailbox is configured, so logon was not tested.";
    return undefined;
  }
  const oauth = await xoauth2Logon(s);
  if (oauth) {
    await s.step(
      "AUTHENTICATE",
      async (ms) => {
        const until = now() + ms;
        const tag = next();
        s.send(`${tag} AUTHENTICATE XOAUTH2 ${oauth.blob}`, `${tag} AUTHENTICATE XOAUTH2 ${MASK}`);
        let r = await readTagged(s, tag, "AUTHENTICATE", ms, true);
        // A refused token comes back as a continuation holding the error; an empty line ends the exchange.
        if (r.reply.status === "continue") {
          s.send("", "");
          r = await readTagged(s, tag, "AUTHENTICATE", until - now());
        }
        if (r.reply.status !== "ok") {
          oauth.refused();
          throw new StepFailure(`logon failed at AUTHENTICATE XOAUTH2: ${s.shown(r.reply)}`);
        }
        return s.shown(r.reply);
      },
      { login: true },
    );
    return "AUTHENTICATE XOAUTH2";
  }
  if (password === undefined) {
    if (s.target.passwordEnv) s.markFault(`the password variable ${s.target.passwordEnv} is not set: logon not tested`);
    else s.okSummary = "The server greets and answers CAPABILITY; no password was given, so logon was not tested.";
    return undefined;
  }
  const disabled = caps.has("LOGINDISABLED");
  const plain = caps.has("AUTH=PLAIN");
  if (disabled && !plain) {
    // Nothing was sent yet: the refusal is a step of its own.
    if (caps.has("STARTTLS") && s.target.tls === "none") s.refuse("logon", "TLS required: the server says LOGINDISABLED before STARTTLS; probe with tls starttls");
    s.refuse("logon", "plain-text login disabled: the server says LOGINDISABLED and offers no AUTH=PLAIN");
  }
  const method = disabled ? "AUTHENTICATE" : "LOGIN";
  const blob = Buffer.from(`\0${user}\0${password}`, "utf8").toString("base64");
  s.addSecret(blob);
  await s.step(
    method,
    async (ms) => {
      const until = now() + ms;
      const tag = next();
      if (method === "LOGIN") {
        await sendWithArgs(s, tag, "LOGIN", [{ value: user, secret: false }, { value: password, secret: true }], caps.has("LITERAL+"), "LOGIN", ms);
      } else if (caps.has("SASL-IR")) {
        s.send(`${tag} AUTHENTICATE PLAIN ${blob}`, `${tag} AUTHENTICATE PLAIN ${MASK}`);
      } else {
        s.send(`${tag} AUTHENTICATE PLAIN`, `${tag} AUTHENTICATE PLAIN`);
        const go = await readTagged(s, tag, method, ms, true);
        if (go.reply.status !== "continue") throw new StepFailure(`logon failed at AUTHENTICATE PLAIN: ${s.shown(go.reply)}`);
        s.send(blob, MASK);
      }
      let r = await readTagged(s, tag, method, until - now(), true);
      // We sent everything; a further challenge means the exchange went wrong: cancel it (RFC 3501 6.2.2).
      if (r.reply.status === "continue") {
        s.send("*", "*");
        r = await readTagged(s, tag, method, until - now());
      }
      if (r.reply.status !== "ok") throw new StepFailure(`logon failed at ${method}: ${s.shown(r.reply)}`);
      return s.shown(r.reply);
    },
    { login: true },
  );
  return method === "LOGIN" ? "LOGIN" : "AUTHENTICATE PLAIN";
}

/** The session's tag source lives beside it, so quit() goes on numbering after run(). */
const tags = new WeakMap<Session, () => string>();

export const imap: ProtocolScript = {
  protocol: "imap",
  parse: parseImapReply,
  findings: imapFindings,
  async run(s) {
    const next = tagger();
    tags.set(s, next);
    await s.step("greeting", async (ms) => {
      const raw = await s.readLine(ms);
      const line = parseImapLine(raw);
      if (!line?.reply || line.tag !== "*") throw new StepFailure(`greeting: not an IMAP greeting: "${sanitise(s.redact(raw), 120)}"`);
      s.record("greeting", line.reply);
      if (line.word === "BYE" || line.reply.status !== "ok") throw new StepFailure(`the server refused the session at greeting: ${s.shown(line.reply)}`);
      if (line.word === "PREAUTH") s.finding("the server says PREAUTH: the connection is logged on before any password (it trusts the network)");
      return s.shown(line.reply);
    });
    let caps = await capability(s, next);
    if (s.target.tls === "starttls") {
      // Not offered: STARTTLS is never sent, so the step did not run.
      if (!caps.has("STARTTLS")) s.refuse("STARTTLS", "STARTTLS unavailable: the server does not list STARTTLS in CAPABILITY");
      await s.step("STARTTLS", async (ms) => {
        const tag = next();
        s.send(`${tag} STARTTLS`, `${tag} STARTTLS`);
        const r = await readTagged(s, tag, "STARTTLS", ms);
        if (r.reply.status !== "ok") throw new StepFailure(`STARTTLS refused: ${s.shown(r.reply)}`);
        // Bytes after the OK and before the handshake would be read as if protected by TLS (the STARTTLS injection flaw).
        if (s.pendingBytes > 0) {
          s.abandonConnection();
          throw new StepFailure("the server sent data after its STARTTLS reply, before TLS started (refusing: it could be injected)");
        }
        return s.shown(r.reply);
      });
      await s.step("tls", (ms) => s.startTls(ms));
      // RFC 3501 6.2.1: capabilities learnt before TLS are stale.
      caps = await capability(s, next);
    }
    const method = await logon(s, caps, next);
    if (method === undefined) return;
    let messages = "";
    await s.step("STATUS", async (ms) => {
      const tag = next();
      s.send(`${tag} STATUS INBOX (MESSAGES)`, `${tag} STATUS INBOX (MESSAGES)`);
      const r = await readTagged(s, tag, "STATUS", ms);
      if (r.reply.status !== "ok") throw new StepFailure(`STATUS INBOX failed after logon: ${s.shown(r.reply)}`);
      const m = r.untagged.map((l) => /^\* STATUS .*\(MESSAGES (\d+)\)/i.exec(l)).find(Boolean);
      messages = m ? `INBOX has ${m[1]} message(s)` : "INBOX answered";
      return messages;
    });
    s.okSummary = `Logged on as ${sanitise(s.target.user ?? "", 100)} (${method}${s.tlsInfo ? ` over ${s.tlsInfo.protocol}` : ""}); ${messages}. No fault found.`;
  },
  async quit(s) {
    const tag = (tags.get(s) ?? tagger())();
    // LOGOUT answers "* BYE" first (RFC 3501 6.1.3), then the tagged OK.
    const logout = async (ms: number): Promise<Reply> => {
      s.send(`${tag} LOGOUT`, `${tag} LOGOUT`);
      const until = now() + ms;
      for (;;) {
        const line = parseImapLine(s.bufferedLine() ?? (await s.readLine(until - now())));
        if (line?.tag === tag && line.reply) return s.record("LOGOUT", line.reply);
      }
    };
    await s.goodbye("LOGOUT", logout, (r) => r.status === "ok");
  },
};
