// Scripted POP3 peers on loopback: Exchange's failure modes and hostile servers, for tests, the benchmark and local mode.
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { onCommands, startPeerServer, upgradeToTls, verb, type PeerTls, type RunningPeer, type Send } from "./peer-server.js";

export type { RunningPeer } from "./peer-server.js";

export type PeerBehaviour =
  /** Exchange 5.5 whose service account lacks "Act as part of the operating system" (Q171435 / Q189732). */
  | "exchange55-privilege"
  /** Exchange 5.5 with the event 13003 logon failure (Q247764). */
  | "exchange55-logon"
  /** A healthy server: CAPA, USER/PASS and AUTH PLAIN, STAT, optional STLS. */
  | "healthy"
  /** Accepts the connection and never says a word. */
  | "silent"
  /** Sends bytes without end and without a line break. */
  | "flood"
  /** Greets, then resets the connection when the first command arrives. */
  | "reset"
  /** Sends its greeting one byte at a time, slowly. */
  | "drip"
  /** Speaks plain text where the client expects TLS from the first byte (tls: implicit against a port-110 server). */
  | "bad-tls";

export interface PeerOptions {
  /** The password the healthy peer accepts (any password when unset). */
  password?: string;
  /** Certificate and key (PEM) for STLS or implicit TLS on the healthy peer. */
  tls?: PeerTls;
  /** Milliseconds between bytes for the drip peer. */
  dripIntervalMs?: number;
  /** The healthy peer's CAPA list (verbatim, so tests can send stuffed lines); STLS is added when TLS is on. */
  capabilities?: string[];
  /** The healthy peer's answer to PASS / AUTH instead of its own, e.g. "-ERR [IN-USE] Mailbox locked". */
  loginReply?: string;
  /** Milliseconds the healthy peer waits before answering PASS / AUTH, as servers do after failed logons. */
  loginDelayMs?: number;
  /** The flood peer sends endless bytes without a line break ("bytes") or endless short lines ("lines"). */
  floodWith?: "bytes" | "lines";
}

const EX55_GREETING = "+OK Microsoft Exchange POP3 server version 5.5.2653.23 ready.";
const EX55_BYE = "+OK Microsoft Exchange POP3 server version 5.5.2653.23 signing off.";
const PRIVILEGE_ERROR = "-ERR A required privilege is not held by the client.";
const LOGON_FAILURE = "-ERR Logon failure: unknown user name or bad password.";
/** Exchange 5.5 knew no CAPA; it accepted USER, then failed PASS with the given error. */
function exchange55(socket: Socket, passError: string): void {
  let state: "user" | "pass" | "failed" = "user";
  onCommands(socket, (line, send) => {
    const { cmd } = verb(line);
    if (cmd === "QUIT") {
      send(EX55_BYE);
      socket.end();
    } else if (cmd === "USER" && state === "user") {
      send("+OK");
      state = "pass";
    } else if (cmd === "PASS" && state === "pass") {
      send(passError);
      state = "failed";
    } else if (cmd === "USER" || cmd === "PASS" || cmd === "STAT" || cmd === "LIST" || cmd === "RETR") {
      send("-ERR Command is not valid in this state.");
    } else {
      send("-ERR Protocol Error");
    }
  });
  socket.write(`${EX55_GREETING}\r\n`);
}

function healthy(socket: Socket, opts: PeerOptions, secure: boolean, track: (tls: TLSSocket) => void): void {
  let user: string | undefined;
  let authed = false;
  let current = socket;
  const starttls = opts.tls?.mode === "starttls";
  const accept = (pw: string) => opts.password === undefined || pw === opts.password;
  const handler = (line: string, sendNow: Send): void => {
    const { cmd, arg } = verb(line);
    const delay = (cmd === "PASS" || cmd === "AUTH") && opts.loginDelayMs ? opts.loginDelayMs : 0;
    const send: Send = delay ? (reply) => setTimeout(() => sendNow(reply), delay) : sendNow;
    if (cmd === "CAPA") {
      // One write for the whole list: separate small writes meet Nagle and delayed ACK and cost 40 ms.
      const caps = [...(opts.capabilities ?? ["TOP", "UIDL", "RESP-CODES", "USER", "SASL PLAIN"]), ...(starttls && !secure ? ["STLS"] : [])];
      send(["+OK Capability list follows", ...caps, "."].join("\r\n"));
    } else if (cmd === "STLS" && starttls && !secure && opts.tls) {
      send("+OK Begin TLS negotiation now.");
      current = upgradeToTls(current, opts.tls, track, handler);
      secure = true;
    } else if (cmd === "USER" && !authed) {
      user = arg;
      send("+OK");
    } else if ((cmd === "PASS" || cmd === "AUTH") && opts.loginReply !== undefined && !authed) {
      send(opts.loginReply);
    } else if (cmd === "PASS" && user !== undefined && !authed) {
      if (accept(arg)) {
        authed = true;
        send("+OK Logged in.");
      } else send("-ERR [AUTH] Authentication failed.");
    } else if (cmd === "AUTH" && !authed) {
      const [mech, ir] = arg.split(" ");
      const parts = Buffer.from(ir ?? "", "base64").toString("utf8").split("\0");
      if (mech?.toUpperCase() === "PLAIN" && parts.length === 3 && accept(parts[2] ?? "")) {
        authed = true;
        send("+OK Logged in.");
      } else send("-ERR [AUTH] Authentication failed.");
    } else if (cmd === "STAT" && authed) {
      send("+OK 2 3120");
    } else if (cmd === "QUIT") {
      send("+OK Logging out.");
      current.end();
    } else {
      send("-ERR Unknown command or wrong state.");
    }
  };
  onCommands(socket, handler);
  socket.write("+OK POP3 lab server ready.\r\n");
}

function flood(socket: Socket, kind: "bytes" | "lines"): void {
  const chunk = kind === "bytes" ? Buffer.alloc(16 * 1024, "A") : Buffer.from("+OK flood\r\n".repeat(1024));
  const pump = () => {
    while (!socket.destroyed && socket.write(chunk));
  };
  socket.on("drain", pump);
  pump();
}

function drip(socket: Socket, intervalMs: number): void {
  const text = Buffer.from(`${EX55_GREETING}\r\n`);
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text.subarray(i, i + 1));
    i++;
  }, intervalMs);
  socket.on("close", () => clearInterval(timer));
}

/** Starts one scripted POP3 peer on 127.0.0.1 on a free port. */
export function startPop3Peer(behaviour: PeerBehaviour, opts: PeerOptions = {}): Promise<RunningPeer> {
  const script = (socket: Socket, secure: boolean, track: (t: TLSSocket) => void): void => {
    switch (behaviour) {
      case "exchange55-privilege":
        return exchange55(socket, PRIVILEGE_ERROR);
      case "exchange55-logon":
        return exchange55(socket, LOGON_FAILURE);
      case "healthy":
        return healthy(socket, opts, secure, track);
      case "silent":
        return;
      case "flood":
        return flood(socket, opts.floodWith ?? "bytes");
      case "reset":
        socket.write("+OK POP3 server ready.\r\n");
        socket.once("data", () => socket.resetAndDestroy());
        return;
      case "drip":
        return drip(socket, opts.dripIntervalMs ?? 1000);
      case "bad-tls":
        socket.write("+OK POP3 server ready (plain text only).\r\n");
        socket.on("data", () => socket.write("-ERR Unknown command.\r\n"));
        return;
    }
  };
  const implicit = opts.tls?.mode === "implicit" && behaviour === "healthy" ? opts.tls : undefined;
  return startPeerServer(behaviour, script, implicit);
}
