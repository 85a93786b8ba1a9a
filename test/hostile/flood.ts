// Clients that hold the bot's memory: half-sent bodies and drip-fed headers, on real sockets, optionally from
// another loopback address (127.0.0.0/8 is all loopback on Linux), so fairness between addresses is tested.
import { connect, type Socket } from "node:net";

export interface Held {
  socket: Socket;
  /** Everything the server sent, once the connection closes. */
  answer: Promise<string>;
  /** What the server has sent so far. */
  readonly got: string;
}

function open(port: number, from: string | undefined, onOpen: (s: Socket) => void): Promise<Held> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1", ...(from ? { localAddress: from } : {}) });
    let got = "";
    const answer = new Promise<string>((res) => {
      socket.on("data", (d) => (got += d.toString()));
      socket.on("close", () => res(got));
    });
    socket.on("error", () => undefined);
    socket.once("connect", () => {
      onOpen(socket);
      resolve({
        socket,
        answer,
        get got() {
          return got;
        },
      });
    });
    socket.once("error", reject);
  });
}

/** POSTs headers declaring `size` bytes, sends `sent` of them, and keeps the connection open. */
export function halfSend(port: number, size: number, sent: number, opts: { from?: string; headers?: Record<string, string> } = {}): Promise<Held> {
  const extra = Object.entries(opts.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return open(port, opts.from, (s) => {
    s.write(`POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${extra}Content-Length: ${size}\r\n\r\n`);
    s.write(Buffer.alloc(sent, 0x61));
  });
}

/** `count` half-sent bodies, opened 100 at a time. */
export async function halfSendMany(port: number, count: number, size: number, sent: number, opts: Parameters<typeof halfSend>[3] = {}): Promise<Held[]> {
  const out: Held[] = [];
  for (let i = 0; i < count; i += 100) out.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => halfSend(port, size, sent, opts)))));
  return out;
}

/** Sends a request's headers one byte every `everyMs`, never finishing them. */
export function dripHeaders(port: number, everyMs: number): Promise<Held & { openedAt: number }> {
  const text = `POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Drip: ${"d".repeat(4000)}`;
  const openedAt = Date.now();
  return open(port, undefined, (s) => {
    let k = 0;
    const t = setInterval(() => (s.writable ? s.write(text[k++ % text.length]!) : clearInterval(t)), everyMs);
    s.on("close", () => clearInterval(t));
  }).then((held) => Object.assign(held, { openedAt }));
}

/** A forged Slack signature: the right shape, the wrong value. */
export const FORGED_SIGNATURE = `v0=${"0".repeat(64)}`;

/** Waits until `ok()` holds, polling every 20 ms, or fails after `ms`. */
export async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
