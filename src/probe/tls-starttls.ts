// The bare STARTTLS exchange of each protocol, for a TLS version trial: greeting, then EHLO + STARTTLS (SMTP),
// STLS (POP3) or STARTTLS (IMAP). Nothing else is ever sent: no logon, no credentials.
import type { Socket } from "node:net";
import { now } from "./clock.js";
import { LineReader } from "./line-reader.js";
import { addressLiteral } from "./net.js";
import type { Protocol } from "./types.js";

/** Lines of one SMTP reply or IMAP exchange before we give up on the server. */
const MAX_LINES = 100;

export class PreludeFailure extends Error {
  override name = "PreludeFailure";
}

/** Runs the exchange on a plain socket; resolves when the next bytes may be the TLS handshake, else throws. */
export async function starttlsPrelude(sock: Socket, protocol: Protocol, ms: number): Promise<void> {
  const until = now() + ms;
  const reader = new LineReader();
  reader.attach(sock);
  const read = () => reader.readLine(until - now());
  const send = (line: string) => sock.write(`${line}\r\n`);
  /** Reads lines until `last` says the reply is over; returns them all. */
  const reply = async (last: (line: string) => boolean): Promise<string[]> => {
    const lines: string[] = [];
    for (;;) {
      const line = await read();
      lines.push(line);
      if (last(line)) return lines;
      if (lines.length >= MAX_LINES) throw new PreludeFailure(`over ${MAX_LINES} lines without the end of the reply`);
    }
  };
  const expect = (lines: string[], ok: RegExp, what: string) => {
    const line = lines[lines.length - 1] ?? "";
    if (!ok.test(line)) throw new PreludeFailure(`${what} refused`);
    return lines;
  };
  try {
    if (protocol === "smtp") {
      const smtpLast = (l: string) => !/^\d{3}-/.test(l);
      expect(await reply(smtpLast), /^220/, "greeting");
      send(`EHLO ${addressLiteral(sock.localAddress)}`);
      const ehlo = expect(await reply(smtpLast), /^250/, "EHLO");
      if (!ehlo.some((l) => /^250[- ]STARTTLS\b/i.test(l))) throw new PreludeFailure("STARTTLS not offered in EHLO");
      send("STARTTLS");
      expect(await reply(smtpLast), /^220/, "STARTTLS");
    } else if (protocol === "pop3") {
      expect([await read()], /^\+OK/i, "greeting");
      send("STLS");
      expect([await read()], /^\+OK/i, "STLS");
    } else {
      expect([await read()], /^\* OK/i, "greeting");
      send("t1 STARTTLS");
      expect(await reply((l) => /^t1 /i.test(l)), /^t1 OK/i, "STARTTLS");
    }
    // Bytes between the go-ahead and the handshake are the STARTTLS injection flaw: no verdict on such a server.
    if (reader.pendingBytes > 0) throw new PreludeFailure("data after the STARTTLS reply");
  } finally {
    reader.detach();
  }
}
