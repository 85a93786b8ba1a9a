// A scripted IMAP4rev1 peer on loopback (RFC 3501): CAPABILITY, STARTTLS, LOGIN with quoted strings and literals,
// AUTHENTICATE PLAIN, STATUS, LOGOUT. For tests, the benchmark and local mode.
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { onCommands, startPeerServer, upgradeToTls, type PeerTls, type RunningPeer, type Send } from "./peer-server.js";

export interface ImapPeerOptions {
  /** The password the peer accepts (any when unset). */
  password?: string;
  tls?: PeerTls;
  /** LOGINDISABLED before TLS, as Dovecot does with disable_plaintext_auth. */
  loginDisabledBeforeTls?: boolean;
  /** Keep offering AUTH=PLAIN while LOGIN is disabled (a server that wants SASL, not LOGIN). */
  saslWhenLoginDisabled?: boolean;
  /** Offer SASL-IR (RFC 4959, initial response on the AUTHENTICATE line); default true. */
  saslIr?: boolean;
  /** Every command received with its arguments masked (tests check what the probe sends). */
  commands?: string[];
  /** User names as the peer decoded them from LOGIN (tests check quoting round-trips). */
  users?: string[];
}

/** Reads atoms, quoted strings ("a \"b\"") and literals ({n} then n octets) from the rest of a command line. */
export function imapArgs(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const buf = Buffer.from(text, "utf8");
  const s = text;
  while (i < s.length) {
    if (s[i] === " ") {
      i++;
      continue;
    }
    if (s[i] === '"') {
      let v = "";
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === "\\") i++;
        v += s[i] ?? "";
        i++;
      }
      out.push(v);
      i++;
      continue;
    }
    const lit = /^\{(\d+)\+?\}/.exec(s.slice(i));
    if (lit) {
      // The literal's octets follow the marker directly (the peer joins the continuation onto the line).
      const start = Buffer.byteLength(s.slice(0, i + lit[0].length), "utf8");
      const n = Number(lit[1]);
      const value = buf.subarray(start, start + n).toString("utf8");
      out.push(value);
      i = i + lit[0].length + value.length;
      continue;
    }
    const end = s.indexOf(" ", i);
    out.push(s.slice(i, end < 0 ? s.length : end));
    i = end < 0 ? s.length : end;
  }
  return out;
}

function script(opts: ImapPeerOptions) {
  return (socket: Socket, startSecure: boolean, track: (t: TLSSocket) => void): void => {
    let secure = startSecure;
    let current = socket;
    let authed = false;
    /** A line that announced a literal, waiting for the literal's octets and the rest of the command. */
    let partial: string | undefined;
    let authTag: string | undefined;
    const accept = (pw: string) => opts.password === undefined || pw === opts.password;
    const caps = () =>
      [
        "IMAP4rev1",
        "LITERAL+",
        ...(opts.saslIr === false ? [] : ["SASL-IR"]),
        ...(opts.tls?.mode === "starttls" && !secure ? ["STARTTLS"] : []),
        ...(opts.loginDisabledBeforeTls && !secure ? ["LOGINDISABLED"] : []),
        ...(!(opts.loginDisabledBeforeTls && !secure) || opts.saslWhenLoginDisabled ? ["AUTH=PLAIN"] : []),
      ].join(" ");
    const login = (tag: string, user: string, pw: string, send: Send) => {
      opts.users?.push(user);
      if (accept(pw)) {
        authed = true;
        send(`${tag} OK [CAPABILITY ${caps()}] Logged in`);
      } else send(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed.`);
    };
    const handler = (input: string, send: Send): void => {
      if (authTag !== undefined) {
        const tag = authTag;
        authTag = undefined;
        if (input === "*") return send(`${tag} BAD Authentication cancelled`);
        const [, user = "", pw = ""] = Buffer.from(input, "base64").toString("utf8").split("\0");
        return login(tag, user, pw, send);
      }
      let line = partial !== undefined ? `${partial}${input}` : input;
      partial = undefined;
      const lit = /\{(\d+)(\+?)\}$/.exec(line);
      if (lit) {
        // Synchronising literal: say go ahead; non-synchronising (LITERAL+): the octets follow at once.
        if (lit[2] !== "+") send("+ Ready for literal data");
        partial = line;
        return;
      }
      const [tag = "*", rawCmd = "", ...rest] = line.split(" ");
      const cmd = rawCmd.toUpperCase();
      line = rest.join(" ");
      opts.commands?.push(cmd === "LOGIN" ? `${tag} LOGIN ***` : `${tag} ${cmd}`);
      if (cmd === "CAPABILITY") send(`* CAPABILITY ${caps()}\r\n${tag} OK Pre-login capabilities listed.`);
      else if (cmd === "STARTTLS" && opts.tls?.mode === "starttls" && !secure) {
        send(`${tag} OK Begin TLS negotiation now.`);
        current = upgradeToTls(current, opts.tls, track, handler);
        secure = true;
      } else if (cmd === "LOGIN" && !authed) {
        if (opts.loginDisabledBeforeTls && !secure) return send(`${tag} NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.`);
        const [user = "", pw = ""] = imapArgs(line);
        login(tag, user, pw, send);
      } else if (cmd === "AUTHENTICATE" && !authed) {
        const [mech, ir] = line.split(" ");
        if (mech?.toUpperCase() !== "PLAIN") return send(`${tag} NO Unsupported authentication mechanism.`);
        authTag = tag;
        if (ir !== undefined) return handler(ir, send);
        send("+ ");
      } else if (cmd === "STATUS" && authed) send(`* STATUS INBOX (MESSAGES 2)\r\n${tag} OK Status completed.`);
      else if (cmd === "LOGOUT") {
        send(`* BYE Logging out\r\n${tag} OK Logout completed.`);
        current.end();
      } else if (cmd === "NOOP") send(`${tag} OK NOOP completed.`);
      else send(`${tag} BAD Error in IMAP command received by server.`);
    };
    onCommands(socket, handler);
    socket.write("* OK lab IMAP server ready.\r\n");
  };
}

/** Starts one scripted IMAP peer on 127.0.0.1 on a free port. */
export function startImapPeer(opts: ImapPeerOptions = {}): Promise<RunningPeer> {
  return startPeerServer("imap-healthy", script(opts), opts.tls?.mode === "implicit" ? opts.tls : undefined);
}
