// Minimal raw-socket clients for the probe benchmark: the least a client can do for each protocol's exchange,
// checking nothing beyond "the reply is complete", so the probe's own cost shows against them.
import { connect } from "node:net";

/** One command and how to tell its reply is complete (null: the greeting, sent before any command). */
interface Turn {
  send: string | null;
  done: (line: string) => boolean;
}

function rawExchange(port: number, turns: Turn[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: "127.0.0.1", port });
    sock.setNoDelay(true);
    let buf = "";
    let i = 0;
    sock.setEncoding("utf8");
    sock.on("error", reject);
    sock.on("data", (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\r\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (!turns[i]?.done(line)) continue;
        i++;
        const next = turns[i];
        if (!next) {
          sock.destroy();
          resolve();
          return;
        }
        sock.write(`${next.send}\r\n`);
      }
    });
  });
}

const pop3Line = (l: string) => l.startsWith("+OK") || l.startsWith("-ERR");
const smtpLast = (l: string) => /^\d{3}( |$)/.test(l);
const tagged = (tag: string) => (l: string) => l.startsWith(`${tag} `);

/** POP3: greeting, CAPA (to its "."), USER, PASS, STAT, QUIT. */
export function rawPop3(port: number, password: string): Promise<void> {
  return rawExchange(port, [
    { send: null, done: pop3Line },
    { send: "CAPA", done: (l) => l === "." },
    { send: "USER probe", done: pop3Line },
    { send: `PASS ${password}`, done: pop3Line },
    { send: "STAT", done: pop3Line },
    { send: "QUIT", done: pop3Line },
  ]);
}

/** SMTP: greeting, EHLO, AUTH PLAIN, MAIL FROM, RCPT TO, RSET, QUIT. */
export function rawSmtp(port: number, user: string, password: string): Promise<void> {
  const blob = Buffer.from(`\0${user}\0${password}`).toString("base64");
  return rawExchange(port, [
    { send: null, done: smtpLast },
    { send: "EHLO [127.0.0.1]", done: smtpLast },
    { send: `AUTH PLAIN ${blob}`, done: smtpLast },
    { send: `MAIL FROM:<${user}>`, done: smtpLast },
    { send: `RCPT TO:<${user}>`, done: smtpLast },
    { send: "RSET", done: smtpLast },
    { send: "QUIT", done: smtpLast },
  ]);
}

/** IMAP: greeting, CAPABILITY, LOGIN, STATUS INBOX, LOGOUT. */
export function rawImap(port: number, password: string): Promise<void> {
  return rawExchange(port, [
    { send: null, done: (l) => l.startsWith("* OK") },
    { send: "a1 CAPABILITY", done: tagged("a1") },
    { send: `a2 LOGIN "probe" "${password}"`, done: tagged("a2") },
    { send: "a3 STATUS INBOX (MESSAGES)", done: tagged("a3") },
    { send: "a4 LOGOUT", done: tagged("a4") },
  ]);
}
