// The line reader on a real loopback socket pair: line splitting, caps, and failure kinds.
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { LineReader, MAX_BUFFER_BYTES, MAX_LINE_BYTES, ProbeIoError } from "../../src/probe/line-reader.js";
import { parseCapabilities, parseReply, unstuff } from "../../src/probe/protocols/pop3-reply.js";

let server: Server | undefined;
const sockets: Socket[] = [];

/** A connected pair: `send` writes from the server side, `reader` reads on the client side. */
async function pair(): Promise<{ serverSide: Socket; reader: LineReader }> {
  let serverSide!: Socket;
  const accepted = new Promise<void>((resolve) => {
    server = createServer((s) => {
      serverSide = s;
      s.on("error", () => {});
      sockets.push(s);
      resolve();
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const a = server!.address();
  const client = connect({ host: "127.0.0.1", port: typeof a === "object" && a ? a.port : 0 });
  client.on("error", () => {});
  sockets.push(client);
  await Promise.all([accepted, new Promise((r) => client.once("connect", r))]);
  const reader = new LineReader();
  reader.attach(client);
  return { serverSide, reader };
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function failure(p: Promise<unknown>): Promise<ProbeIoError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProbeIoError);
  return err as ProbeIoError;
}

describe("LineReader", () => {
  it("splits CRLF and bare LF lines across arbitrary chunk boundaries", async () => {
    const { serverSide, reader } = await pair();
    serverSide.write("+OK he");
    setTimeout(() => serverSide.write("llo\r\n-ERR x\n+OK"), 20);
    setTimeout(() => serverSide.write(" last\r\n"), 40);
    expect((await reader.readLine(1000)).toString()).toBe("+OK hello");
    expect((await reader.readLine(1000)).toString()).toBe("-ERR x");
    expect((await reader.readLine(1000)).toString()).toBe("+OK last");
  });

  it("delivers complete lines already received before reporting the close", async () => {
    const { serverSide, reader } = await pair();
    serverSide.end("+OK one\r\n+OK two\r\n");
    expect((await reader.readLine(1000)).toString()).toBe("+OK one");
    expect((await reader.readLine(1000)).toString()).toBe("+OK two");
    expect((await failure(reader.readLine(1000))).kind).toBe("closed");
  });

  it(`accepts a ${MAX_LINE_BYTES}-byte line and fails clearly past it`, async () => {
    const ok = await pair();
    ok.serverSide.write(`${"x".repeat(MAX_LINE_BYTES)}\r\n`);
    expect((await ok.reader.readLine(1000)).length).toBe(MAX_LINE_BYTES);
    const bad = await pair();
    bad.serverSide.write(`${"x".repeat(MAX_LINE_BYTES + 1)}\r\n`);
    const err = await failure(bad.reader.readLine(1000));
    expect(err.kind).toBe("line-too-long");
    expect(err.message).toMatch(/longer than 8192 bytes/);
  });

  it("fails as a flood when unread lines pile up past the buffer cap", async () => {
    const { serverSide, reader } = await pair();
    serverSide.write("+OK x\r\n".repeat(Math.ceil(MAX_BUFFER_BYTES / 7) + 10));
    await new Promise((r) => setTimeout(r, 100));
    const err = await failure(reader.readLine(1000));
    expect(err.kind).toBe("flood");
  });

  it("tells a silent peer from a dripping one on timeout", async () => {
    const silent = await pair();
    const s = await failure(silent.reader.readLine(100));
    expect(s).toMatchObject({ kind: "timeout", partialBytes: 0 });
    const drip = await pair();
    drip.serverSide.write("+O");
    const d = await failure(drip.reader.readLine(150));
    expect(d).toMatchObject({ kind: "timeout", partialBytes: 2 });
    expect(d.message).toMatch(/only 2 bytes of a line arrived in 150 ms/);
  });

  it("keeps each read's own deadline although one timer serves them all", async () => {
    const { serverSide, reader } = await pair();
    // A long deadline first, answered at once: its timer stays armed for later reads.
    serverSide.write("+OK one\r\n");
    expect(await reader.readLine(5000)).toBe("+OK one");
    // A shorter deadline than the armed timer's must still end on time, not at 5 s.
    let t = performance.now();
    expect((await failure(reader.readLine(120))).message).toMatch(/nothing arrived in 120 ms/);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(performance.now() - t).toBeGreaterThanOrEqual(115);
    // A longer deadline than a timer that fires earlier: the early firing looks again instead of failing the read.
    serverSide.write("+OK two\r\n");
    expect(await reader.readLine(30)).toBe("+OK two");
    t = performance.now();
    const late = reader.readLine(400);
    setTimeout(() => serverSide.write("+OK three\r\n"), 150);
    expect(await late).toBe("+OK three");
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    // Detached, it leaves no timer behind to keep a command-line probe's process alive.
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const armed = timers();
    reader.detach();
    expect(timers()).toBe(armed - 1);
  });

  it("reports a reset as a reset", async () => {
    const { serverSide, reader } = await pair();
    serverSide.resetAndDestroy();
    expect((await failure(reader.readLine(1000))).kind).toBe("reset");
  });
});

describe("POP3 replies", () => {
  it("parses status, extended code and text", () => {
    expect(parseReply("+OK Dovecot ready.")).toMatchObject({ status: "ok", text: "Dovecot ready." });
    expect(parseReply("-ERR [SYS/TEMP] try later")).toMatchObject({ status: "fail", code: "SYS/TEMP", text: "try later" });
    expect(parseReply("-ERR [in-use] locked")).toMatchObject({ code: "IN-USE", text: "locked" });
    expect(parseReply("-ERR")).toMatchObject({ status: "fail", text: "" });
    expect(parseReply("+ ")).toMatchObject({ status: "continue" });
    expect(parseReply("* OK IMAP4rev1 ready")).toBeUndefined();
    expect(parseReply("220 smtp ready")).toBeUndefined();
  });

  it("unstuffs only a leading dot and reads CAPA names and SASL mechanisms", () => {
    expect(unstuff("..x")).toBe(".x");
    expect(unstuff(".")).toBe("");
    expect(unstuff("a.b")).toBe("a.b");
    const caps = parseCapabilities(["USER", "sasl plain login", "STLS", ""]);
    expect([...caps.names]).toEqual(["USER", "SASL", "STLS"]);
    expect(caps.sasl).toEqual(["PLAIN", "LOGIN"]);
  });
});
