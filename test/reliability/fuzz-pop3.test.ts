// Property-based fuzzing of the POP3 side: the reply parser on random text, the line reader on random byte
// streams cut into random chunks over real loopback sockets, and the whole probe against a peer that answers
// every command with random bytes (plain, STARTTLS, implicit TLS). Never throws, never hangs, never leaks the password.
import fc from "fast-check";
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureArticles } from "../helpers/knowledge.js";
import { decodeLine, LineReader, MAX_BUFFER_BYTES, MAX_LINE_BYTES, ProbeIoError } from "../../src/probe/line-reader.js";
import { parseCapabilities, parseReply, unstuff } from "../../src/probe/protocols/pop3-reply.js";
import { runProbe } from "../../src/probe/run.js";
import type { TlsMode } from "../../src/probe/types.js";
import { assertShort } from "./short-assert.js";

const PASSWORD = "Fuzz-s3cret-Pw!";
const articles = fixtureArticles();

const POP3_ATOM = fc.constantFrom("+OK", "-ERR", "+", "+OK ", "-ERR [AUTH] ", "-ERR [SYS/TEMP] ", "-ERR [IN-USE]", "[", "]", "\r\n", "\n", "\r", ".\r\n", "..", ".", "CAPA", "USER", "SASL PLAIN", "STLS", "IMPLEMENTATION x", "\u0000", "\u00ff", "\u001b[2J", PASSWORD, "A required privilege is not held by the client.", "Logon failure: unknown user name or bad password.");
const replyText = fc.array(fc.oneof(POP3_ATOM, fc.string({ unit: "binary", maxLength: 20 })), { maxLength: 30 }).map((p) => p.join(""));

/** Random bytes with POP3 shapes mixed in, and sometimes one very long line. */
const chunk = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(POP3_ATOM, fc.string({ unit: "binary", maxLength: 40 })), { maxLength: 12 }).map((p) => Buffer.from(p.join(""), "utf8")) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: MAX_LINE_BYTES - 4, max: MAX_LINE_BYTES + 40 }), fc.boolean()).map(([n, lf]) => Buffer.concat([Buffer.alloc(n, 0x61), Buffer.from(lf ? "\r\n" : "")])) },
  // A long line behind a short one in the same chunk: the cap must hold for it too.
  { weight: 1, arbitrary: fc.tuple(replyText, fc.integer({ min: MAX_LINE_BYTES - 2, max: MAX_LINE_BYTES + 40 })).map(([a, n]) => Buffer.from(`${a.replace(/[\r\n]/g, "")}\r\n${"b".repeat(n)}\r\n`, "latin1")) },
);
const ending = fc.constantFrom("end", "reset", "hang");

describe("fuzz: POP3 reply parser", () => {
  it("parseReply, unstuff and parseCapabilities take any text without throwing", () => {
    assertShort(
      fc.property(replyText, fc.array(replyText, { maxLength: 20 }), (line, lines) => {
        const r = parseReply(line);
        if (r) {
          expect(["ok", "fail", "continue"]).toContain(r.status);
          expect(r.raw).toBe(line);
          if (r.code !== undefined) expect(r.code).toMatch(/^[A-Z0-9-]+(\/[A-Z0-9-]+)*$/);
        } else {
          // Only a line broken by a stray line terminator (CR, U+2028...) may go unrecognised.
          expect(line).not.toMatch(/^(\+OK|-ERR)[^\r\n\u2028\u2029]*$/i);
        }
        expect(unstuff(line).length).toBeGreaterThanOrEqual(line.length - 1);
        const caps = parseCapabilities(lines);
        for (const n of caps.names) expect(n).toBe(n.toUpperCase());
      }),
      { numRuns: 2000 },
    );
  });
});

/** A loopback server that plays one script per connection: chunks (each after a command when `turns`), then an ending. */
interface Script {
  chunks: Buffer[];
  /** Send chunk i+1 only after the client's i-th line (a POP3 dialogue), or all at once with small gaps. */
  turns: boolean;
  ending: "end" | "reset" | "hang";
}

let server: Server;
let port = 0;
let script: Script = { chunks: [], turns: false, ending: "end" };
const open = new Set<Socket>();

function play(socket: Socket, s: Script): void {
  open.add(socket);
  socket.on("close", () => open.delete(socket));
  socket.on("error", () => undefined);
  let i = 0;
  const finish = (): void => {
    if (s.ending === "end") socket.end();
    else if (s.ending === "reset") socket.resetAndDestroy();
  };
  const sendNext = (): void => {
    if (socket.destroyed) return;
    if (i >= s.chunks.length) return finish();
    socket.write(s.chunks[i++]!);
    if (i >= s.chunks.length) finish();
  };
  if (s.turns) {
    sendNext();
    let pending = "";
    socket.on("data", (d: Buffer) => {
      pending += d.toString("latin1");
      let lf: number;
      while ((lf = pending.indexOf("\n")) >= 0) {
        pending = pending.slice(lf + 1);
        sendNext();
      }
    });
  } else {
    const tick = (): void => {
      if (socket.destroyed) return;
      if (i >= s.chunks.length) return finish();
      socket.write(s.chunks[i++]!);
      setTimeout(tick, i % 3 === 0 ? 2 : 0);
    };
    tick();
  }
}

beforeAll(async () => {
  server = createServer((s) => play(s, script));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of open) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Lines a correct reader delivers from these bytes: split on LF, one CR before it dropped, the tail left out. */
function expectedLines(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let lf = bytes.indexOf(0x0a); lf >= 0; lf = bytes.indexOf(0x0a, start)) {
    const end = lf > start && bytes[lf - 1] === 0x0d ? lf - 1 : lf;
    out.push(bytes.subarray(start, end));
    start = lf + 1;
  }
  return out;
}

// Long enough that a busy machine (other test files running) does not cut a stream that is still arriving; each
// "hang" case waits this long once.
const READ_TIMEOUT = 300;

async function readAll(s: Script): Promise<{ lines: string[]; error: unknown; slowestSettleMs: number }> {
  script = s;
  const socket = connect(port, "127.0.0.1");
  const reader = new LineReader();
  reader.attach(socket);
  const lines: string[] = [];
  let slowestSettleMs = 0;
  try {
    for (let n = 0; n < 10_000; n++) {
      const t0 = performance.now();
      let guard: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error(`readLine did not settle within ${READ_TIMEOUT + 1000} ms`)), READ_TIMEOUT + 1000)));
      try {
        const line = await Promise.race([reader.readLine(READ_TIMEOUT), hung]);
        lines.push(line);
        if (s.turns) socket.write("NEXT\r\n");
      } finally {
        clearTimeout(guard);
        slowestSettleMs = Math.max(slowestSettleMs, performance.now() - t0);
      }
    }
    return { lines, error: new Error("the reader never ended"), slowestSettleMs };
  } catch (error) {
    return { lines, error, slowestSettleMs };
  } finally {
    reader.detach();
    socket.destroy();
  }
}

describe("fuzz: POP3 line reader on random byte streams over a real socket", () => {
  it("delivers exactly the stream's lines in order, ends with a clear ProbeIoError, never hangs", async () => {
    await assertShort(
      fc.asyncProperty(fc.array(chunk, { maxLength: 12 }), ending, fc.boolean(), async (chunks, end, turns) => {
        const { lines, error, slowestSettleMs } = await readAll({ chunks, ending: end, turns });
        expect(error).toBeInstanceOf(ProbeIoError);
        expect(slowestSettleMs).toBeLessThan(READ_TIMEOUT + 1000);
        const want = expectedLines(Buffer.concat(chunks));
        // What was delivered is the start of what was sent, line for line: nothing invented, reordered or glued.
        expect(lines.length).toBeLessThanOrEqual(want.length);
        // The reader decodes each line (UTF-8, else Windows-1252): compare with the sent bytes decoded the same way.
        lines.forEach((l, i) => expect(l, `line ${i}`).toBe(decodeLine(want[i]!)));
        // Neither decoding makes more characters than bytes, so the byte cap bounds the text too.
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(MAX_LINE_BYTES);
        const total = chunks.reduce((s, c) => s + c.length, 0);
        const kind = (error as ProbeIoError).kind;
        const allShort = want.every((l) => l.length <= MAX_LINE_BYTES) && total - (Buffer.concat(chunks).lastIndexOf(0x0a) + 1) <= MAX_LINE_BYTES;
        // In a dialogue the peer may wait for a command the reader never sends (no whole line yet): a timeout then.
        if (allShort && total <= MAX_BUFFER_BYTES && !turns) {
          // Nothing may be lost before the end is reported.
          expect(lines.length).toBe(want.length);
          expect(end === "hang" ? ["timeout"] : end === "end" ? ["closed"] : ["reset", "closed"]).toContain(kind);
        } else {
          expect(["line-too-long", "flood", "timeout", "closed", "reset"]).toContain(kind);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

describe("fuzz: the whole probe against a peer answering with random bytes", () => {
  it("always ends in a result within the deadline, never throws, never shows the password", async () => {
    const TIMEOUT = 600;
    let slowest = 0;
    await assertShort(
      fc.asyncProperty(fc.array(chunk, { maxLength: 10 }), ending, fc.constantFrom<TlsMode>("none", "none", "starttls", "implicit"), async (chunks, end, tls) => {
        script = { chunks, ending: end, turns: true };
        const t0 = performance.now();
        const r = await runProbe({ host: "127.0.0.1", port, tls, user: "probe", password: PASSWORD, passwordEnv: "FUZZ_PW", tlsInsecure: false }, { articles, timeoutMs: TIMEOUT, stepTimeoutMs: 200, loginTimeoutMs: 250 });
        const ms = performance.now() - t0;
        slowest = Math.max(slowest, ms);
        // The deadline plus room for a busy machine: a probe that ignored its deadline would run on for many seconds.
        expect(ms).toBeLessThan(TIMEOUT + 3000);
        expect(typeof r.ok).toBe("boolean");
        expect(r.steps.length).toBeGreaterThan(0);
        for (const step of r.steps) expect(typeof step.detail).toBe("string");
        for (const line of r.lines.map((l) => l.text)) expect(line).toMatch(/^[SC]: /);
        expect(r.diagnosis.summary.length).toBeGreaterThan(0);
        expect(JSON.stringify(r)).not.toContain(PASSWORD);
      }),
      { numRuns: 120 },
    );
    console.log(`[reliability] fuzz: slowest probe against a random peer ${slowest.toFixed(0)} ms (deadline 600 ms)`);
  }, 180_000);
});
