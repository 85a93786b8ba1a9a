// Shared plumbing of the scripted lab peers (POP3, SMTP, IMAP): a loopback server that counts its connections,
// reads CRLF commands, and can hand a connection to TLS (STARTTLS) or speak TLS from the first byte.
import { createServer, type Server, type Socket } from "node:net";
import { createSecureContext, createServer as createTlsServer, TLSSocket } from "node:tls";

export interface RunningPeer {
  host: string;
  port: number;
  behaviour: string;
  /** Connections open right now (the benchmark checks none leak). */
  openConnections(): number;
  /** Connections accepted since start. */
  acceptedConnections(): number;
  stop(): Promise<void>;
}

export interface PeerTls {
  mode: "starttls" | "implicit";
  cert: string | Buffer;
  key: string | Buffer;
}

export type Send = (line: string) => void;
const MAX_COMMAND_BYTES = 8192;
const noop = (): void => {};

/** Reads CRLF commands off a socket; a client sending an endless line is cut off. */
export function onCommands(socket: Socket, handle: (line: string, send: Send) => void): void {
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
      // STARTTLS hands the connection to TLS: plain-text lines after it must not be obeyed.
      if (socket.listenerCount("data") === 0) return;
    }
  });
}

export function verb(line: string): { cmd: string; arg: string } {
  const sp = line.indexOf(" ");
  return sp < 0 ? { cmd: line.toUpperCase(), arg: "" } : { cmd: line.slice(0, sp).toUpperCase(), arg: line.slice(sp + 1) };
}

/** Upgrades a plain connection to TLS in place (STLS / STARTTLS) and goes on reading commands on it. */
export function upgradeToTls(current: Socket, tls: PeerTls, track: (t: TLSSocket) => void, handler: (line: string, send: Send) => void): TLSSocket {
  current.removeAllListeners("data");
  const upgraded = new TLSSocket(current, { isServer: true, secureContext: createSecureContext({ cert: tls.cert, key: tls.key }) });
  upgraded.on("error", () => upgraded.destroy());
  track(upgraded);
  onCommands(upgraded, handler);
  return upgraded;
}

/** Per-connection script: the socket, whether it is TLS from the first byte, and how to register a TLS socket made later. */
export type PeerScript = (socket: Socket, secure: boolean, track: (t: TLSSocket) => void) => void;

/** Starts one scripted peer on 127.0.0.1 on a free port. */
export async function startPeerServer(behaviour: string, script: PeerScript, implicitTls?: PeerTls): Promise<RunningPeer> {
  const open = new Set<Socket>();
  let accepted = 0;
  // TLS sockets are destroyed before the plain sockets under them: the other order crashes Node 20 (SIGSEGV).
  const tlsOpen = new Set<TLSSocket>();
  const track = (t: TLSSocket) => {
    tlsOpen.add(t);
    t.on("close", () => tlsOpen.delete(t));
  };
  // Implicit TLS through a real TLS server: wrapping accepted sockets by hand crashes Node on teardown.
  const server: Server = implicitTls
    ? createTlsServer({ cert: implicitTls.cert, key: implicitTls.key }, (s) => {
        track(s);
        s.on("error", () => s.destroy());
        script(s, true, track);
      })
    : createServer((s) => script(s, false, track));
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
