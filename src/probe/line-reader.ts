import { isUtf8 } from "node:buffer";
import type { Socket } from "node:net";
import { now } from "./clock.js";

/** RFC 2449 allows 512-octet reply lines; multi-line bodies can be longer, so cap generously but firmly. */
export const MAX_LINE_BYTES = 8192;
/** Unread bytes we are willing to hold: we never pipeline, so anything beyond this is a flood. */
export const MAX_BUFFER_BYTES = 64 * 1024;

export type IoFailureKind = "timeout" | "closed" | "reset" | "line-too-long" | "flood" | "error";

/** A socket-level failure, phrased for people; `partialBytes` tells a dripping peer from a silent one. */
export class ProbeIoError extends Error {
  override name = "ProbeIoError";
  constructor(
    readonly kind: IoFailureKind,
    message: string,
    readonly partialBytes = 0,
    readonly code?: string,
  ) {
    super(message);
  }
}

const WINDOWS_1252 = new TextDecoder("windows-1252");

/**
 * A reply line as text: UTF-8 when the bytes are valid UTF-8, else Windows-1252, the code page a German,
 * French, Spanish or Italian Windows server answers in ("-ERR Échec de l'ouverture de session ...").
 */
export function decodeLine(line: Buffer): string {
  return isUtf8(line) ? line.toString("utf8") : WINDOWS_1252.decode(line);
}

/** Failures that end reading even with whole lines still buffered: what follows them cannot be trusted. */
const stopsReading = (err: ProbeIoError | undefined): boolean => err?.kind === "flood" || err?.kind === "line-too-long";

interface Waiter {
  resolve: (line: string) => void;
  reject: (err: ProbeIoError) => void;
  /** now() by which a line must have arrived. */
  deadline: number;
  timeoutMs: number;
}

/**
 * Splits a socket's bytes into CRLF lines, one read at a time, with a deadline per read, and decodes each
 * (decodeLine). It can move from the plain socket to the TLS socket that wraps it (STLS).
 *
 * One timer serves every read: it is armed for the first deadline and, when it fires before the current
 * read's deadline, re-armed for the rest. A probe's reads are a fraction of a millisecond apart: a timer
 * created and cleared for each was a measurable share of the probe's cost in issue 11's benchmark.
 */
export class LineReader {
  private buf: Buffer = Buffer.alloc(0);
  private failure: ProbeIoError | undefined;
  private waiter: Waiter | undefined;
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires (now()). */
  private timerAt = 0;
  private readonly onTimer = () => this.checkDeadline();
  private readonly onData = (chunk: Buffer) => this.push(chunk);
  private readonly onEnd = () => this.fail(new ProbeIoError("closed", "the server closed the connection", this.buf.length));
  private readonly onError = (err: NodeJS.ErrnoException) => {
    const reset = err.code === "ECONNRESET" || err.code === "EPIPE";
    this.fail(
      new ProbeIoError(reset ? "reset" : "error", reset ? "the server reset the connection" : `socket error: ${err.code ?? err.message}`, this.buf.length, err.code),
    );
  };
  private readonly onClose = () => this.fail(new ProbeIoError("closed", "the connection closed", this.buf.length));

  attach(socket: Socket): void {
    this.detach();
    this.socket = socket;
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
  }

  /** Stops listening to the socket (before STLS, or at the end); a pending timer goes too. */
  detach(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const s = this.socket;
    if (!s) return;
    s.off("data", this.onData);
    s.off("end", this.onEnd);
    s.off("error", this.onError);
    s.off("close", this.onClose);
    this.socket = undefined;
  }

  /** Bytes received but not yet read as lines (must be zero when switching to TLS). */
  get pendingBytes(): number {
    return this.buf.length;
  }

  /** Reads one line (without CRLF), decoded. Rejects with ProbeIoError on timeout, close, reset, overlong line or flood. */
  readLine(timeoutMs: number): Promise<string> {
    if (this.waiter) return Promise.reject(new ProbeIoError("error", "internal: concurrent reads"));
    if (this.failure && stopsReading(this.failure)) return Promise.reject(this.failure);
    const line = this.takeLine();
    if (line) return Promise.resolve(decodeLine(line));
    if (this.failure) return Promise.reject(this.failure);
    const ms = Math.max(0, timeoutMs);
    return new Promise<string>((resolve, reject) => {
      const deadline = now() + ms;
      this.waiter = { resolve, reject, deadline, timeoutMs: ms };
      this.arm(deadline);
    });
  }

  /** A line that has already arrived, decoded, without waiting; undefined when a read would have to wait or fail. */
  takeReady(): string | undefined {
    if (this.waiter || stopsReading(this.failure)) return undefined;
    const line = this.takeLine();
    return line ? decodeLine(line) : undefined;
  }

  private arm(deadline: number): void {
    // An armed timer that fires no later than this deadline will look again then.
    if (this.timer && this.timerAt <= deadline) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(this.onTimer, Math.max(0, deadline - now()));
  }

  private checkDeadline(): void {
    this.timer = undefined;
    const w = this.waiter;
    if (!w) return;
    // Timers may fire a little before a fractional deadline (they count whole milliseconds).
    if (w.deadline > now()) return this.arm(w.deadline);
    this.waiter = undefined;
    const partial = this.buf.length;
    const ms = Math.round(w.timeoutMs);
    w.reject(
      new ProbeIoError(
        "timeout",
        partial > 0 ? `only ${partial} byte${partial === 1 ? "" : "s"} of a line arrived in ${ms} ms (the server is dripping data)` : `nothing arrived in ${ms} ms`,
        partial,
      ),
    );
  }

  private push(chunk: Buffer): void {
    if (this.failure) return;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const lf = this.buf.indexOf(0x0a);
    if (lf === -1 ? this.buf.length > MAX_LINE_BYTES : lf > MAX_LINE_BYTES + 1) {
      this.fail(new ProbeIoError("line-too-long", `the server sent a line longer than ${MAX_LINE_BYTES} bytes`, this.buf.length));
      this.socket?.pause();
      return;
    }
    if (this.buf.length > MAX_BUFFER_BYTES) {
      this.fail(new ProbeIoError("flood", `the server sent over ${MAX_BUFFER_BYTES / 1024} KB nobody asked for`, this.buf.length));
      this.socket?.pause();
      return;
    }
    const w = this.waiter;
    if (!w) return;
    const line = this.takeLine();
    if (!line) return;
    this.waiter = undefined;
    w.resolve(decodeLine(line));
  }

  private takeLine(): Buffer | undefined {
    const lf = this.buf.indexOf(0x0a);
    if (lf === -1) return undefined;
    // A long line can arrive behind a short one in the same chunk: the cap holds for every line, not just the first.
    if (lf > MAX_LINE_BYTES + 1) {
      // It came before any close or reset already seen, so it is the cause to report.
      if (this.failure?.kind !== "line-too-long") {
        this.failure = undefined;
        this.fail(new ProbeIoError("line-too-long", `the server sent a line longer than ${MAX_LINE_BYTES} bytes`, this.buf.length));
        this.socket?.pause();
      }
      return undefined;
    }
    const end = lf > 0 && this.buf[lf - 1] === 0x0d ? lf - 1 : lf;
    const line = this.buf.subarray(0, end);
    this.buf = this.buf.subarray(lf + 1);
    return line;
  }

  private fail(err: ProbeIoError): void {
    // The first failure is the cause; a later 'close' after a reset must not overwrite it.
    if (this.failure) return;
    // Complete lines still buffered are delivered first; the failure applies once they are read.
    this.failure = err;
    const w = this.waiter;
    if (!w) return;
    const line = this.takeLine();
    this.waiter = undefined;
    if (line && !stopsReading(err)) w.resolve(decodeLine(line));
    else w.reject(err);
  }
}
