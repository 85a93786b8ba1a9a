// Scripted POP3 peers on loopback: Exchange's failure modes and hostile servers, for tests, the benchmark and local mode.
import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { createSecureContext, createServer as createTlsServer, TLSSocket } from "node:tls";
import type { NamedHost } from "../probe/types.js";

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
  tls?: { mode: "starttls" | "implicit"; cert: string | Buffer; key: string | Buffer };
  /** Milliseconds between bytes for the drip peer. */
  dripIntervalMs?: number;
  /** The healthy peer's CAPA list (verbatim, so tests can send stuffed lines); STLS is added when TLS is on. */
  capabilities?: string[];
  /** The healthy peer's answer to PASS / AUTH instead of its own, e.g. "-ERR [IN-USE] Mailbox locked". */
  loginReply?: string;
  /** The flood peer sends endless bytes without a line break ("bytes") or endless short lines ("lines"). */
  floodWith?: "bytes" | "lines";
}

export interface RunningPeer {
  host: string;
  port: number;
  behaviour: PeerBehaviour;
  /** Connections open right now (the benchmark checks none leak). */
  openConnections(): number;
  /** Connections accepted since start. */
  acceptedConnections(): number;
  stop(): Promise<void>;
}

const EX55_GREETING = "+OK Microsoft Exchange POP3 server version 5.5.2653.23 ready.";
const EX55_BYE = "+OK Microsoft Exchange POP3 server version 5.5.2653.23 signing off.";
const PRIVILEGE_ERROR = "-ERR A required privilege is not held by the client.";
const LOGON_FAILURE = "-ERR Logon failure: unknown user name or bad password.";
const MAX_COMMAND_BYTES = 8192;

type Send = (line: string) => void;
const noop = (): void => {};

/** Reads CRLF commands off a socket; a client sending an endless line is cut off. */
function onCommands(socket: Socket, handle: (line: string, send: Send) => void): void {
  let buf = "";
  const send: Send = (line) => {
    if (!socket.destroyed) socket.write(`${line}\r\n`);
  };
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buf += chunk;
    if (buf.length > MAX_COMMAND_BYTES) {
      socket.destroy();
      return;
    }
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i).replace(/\r$/, "");
      buf = buf.slice(i + 1);
      handle(line, send);
      // STLS hands the connection to TLS: plain-text lines after it must not be obeyed.
      if (socket.listenerCount("data") === 0) return;
    }
  });
}

function verb(line: string): { cmd: string; arg: string } {
  const sp = line.indexOf(" ");
  return sp < 0 ? { cmd: line.toUpperCase(), arg: "" } : { cmd: line.slice(0, sp).toUpperCase(), arg: line.slice(sp + 1) };
}

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
  const handler = (line: string, send: Send): void => {
    const { cmd, arg } = verb(line);
    if (cmd === "CAPA") {
      // One write for the whole list: separate small writes meet Nagle and delayed ACK and cost 40 ms.
      const caps = [...(opts.capabilities ?? ["TOP", "UIDL", "RESP-CODES", "USER", "SASL PLAIN"]), ...(starttls && !secure ? ["STLS"] : [])];
      send(["+OK Capability list follows", ...caps, "."].join("\r\n"));
    } else if (cmd === "STLS" && starttls && !secure && opts.tls) {
      send("+OK Begin TLS negotiation now.");
      current.removeAllListeners("data");
      const upgraded = new TLSSocket(current, { isServer: true, secureContext: createSecureContext({ cert: opts.tls.cert, key: opts.tls.key }) });
      upgraded.on("error", () => upgraded.destroy());
      track(upgraded);
      secure = true;
      current = upgraded;
      onCommands(upgraded, handler);
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

/** Starts one scripted peer on 127.0.0.1 on a free port. */
export async function startPop3Peer(behaviour: PeerBehaviour, opts: PeerOptions = {}): Promise<RunningPeer> {
  const open = new Set<Socket>();
  let accepted = 0;
  // TLS sockets are destroyed before the plain sockets under them: the other order crashes Node 20 (SIGSEGV).
  const tlsOpen = new Set<TLSSocket>();
  const track = (t: TLSSocket) => {
    tlsOpen.add(t);
    t.on("close", () => tlsOpen.delete(t));
  };
  const script = (socket: Socket): void => {
    switch (behaviour) {
      case "exchange55-privilege":
        return exchange55(socket, PRIVILEGE_ERROR);
      case "exchange55-logon":
        return exchange55(socket, LOGON_FAILURE);
      case "healthy":
        return healthy(socket, opts, opts.tls?.mode === "implicit", track);
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
  const tlsImplicit = opts.tls?.mode === "implicit" && behaviour === "healthy" ? opts.tls : undefined;
  // Implicit TLS through a real TLS server: wrapping accepted sockets by hand crashes Node on teardown.
  const server: Server = tlsImplicit
    ? createTlsServer({ cert: tlsImplicit.cert, key: tlsImplicit.key }, (s) => {
        track(s);
        s.on("error", () => s.destroy());
        script(s);
      })
    : createServer(script);
  server.on("connection", (raw: Socket) => {
    accepted++;
    open.add(raw);
    raw.setNoDelay(true);
    raw.on("close", () => open.delete(raw));
    raw.on("error", noop); // the socket closes itself; destroying it under a live TLS socket would crash
  });
  server.on("tlsClientError", noop);
  server.maxConnections = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, backlog: 1024 }, () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === "string") throw new Error("peer did not bind a TCP port");
  return {
    host: "127.0.0.1",
    port: addr.port,
    behaviour,
    openConnections: () => open.size,
    acceptedConnections: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of tlsOpen) s.destroy();
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface LabPeers {
  /** Named hosts "exchange55-privilege", "exchange55-logon" and "healthy", ready for the probe. */
  hosts: NamedHost[];
  peers: RunningPeer[];
  stop(): Promise<void>;
}

export const LAB_USER = "probe";
export const LAB_PASSWORD_ENV = "PROBE_LAB_PASSWORD";

/**
 * Starts the lab peers local mode offers as named hosts. The lab password comes from PROBE_LAB_PASSWORD;
 * when that is unset a random one is generated and put there, so the probe really sends a secret to hide.
 */
export async function startLabPeers(env: NodeJS.ProcessEnv = process.env): Promise<LabPeers> {
  const password = (env[LAB_PASSWORD_ENV] ||= randomBytes(12).toString("base64url"));
  const specs: Array<[string, PeerBehaviour]> = [
    ["exchange55-privilege", "exchange55-privilege"],
    ["exchange55-logon", "exchange55-logon"],
    ["healthy", "healthy"],
  ];
  const peers: RunningPeer[] = [];
  try {
    for (const [, behaviour] of specs) peers.push(await startPop3Peer(behaviour, { password }));
  } catch (err) {
    await Promise.all(peers.map((p) => p.stop()));
    throw err;
  }
  const hosts: NamedHost[] = specs.map(([name], i) => ({
    name,
    host: "127.0.0.1",
    port: peers[i]?.port ?? 0,
    tls: "none",
    user: LAB_USER,
    passwordEnv: LAB_PASSWORD_ENV,
    tlsInsecure: false,
  }));
  return { hosts, peers, stop: async () => void (await Promise.all(peers.map((p) => p.stop()))) };
}
