// The guard in front of Bolt's receiver, on real sockets against the real bot: memory held by unread bodies
// is bounded in total and in time, a charset parameter is accepted, and requests Node refuses are logged.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slashCommandRequest } from "../../src/local/signing.js";
import { SECRET, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ requestGuard: { budgetBytes: 12 * 1024 * 1024, bodyTimeoutMs: 1500 } });
});
afterAll(async () => h.close());

/** Opens a connection, sends headers declaring `size` bytes and `sent` of them, and keeps it open. */
function halfSend(size: number, sent: number): Promise<{ socket: Socket; answer: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(h.port, "127.0.0.1", () => {
      socket.write(`POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
      socket.write(Buffer.alloc(sent, 0x61));
      resolve({ socket, answer });
    });
    let got = "";
    const answer = new Promise<string>((res) => {
      socket.on("data", (d) => (got += d.toString()));
      socket.on("close", () => res(got));
      socket.on("error", () => res(got));
    });
    socket.once("error", reject);
  });
}

describe("request guard", () => {
  it("half-sent bodies hold at most the budget together, are cut off after the body timeout, and genuine requests still pass", async () => {
    const held = [];
    for (let i = 0; i < 8; i++) held.push(await halfSend(1024 * 1024 - 1, 1000));
    const answers = await Promise.all(held.map((x) => Promise.race([x.answer, new Promise<string>((r) => setTimeout(() => r("still open"), 400))])));
    // 12 MB budget less 8 MB kept for small bodies, ~1 MB each: four are taken (and wait), the rest are refused at once.
    expect(answers.filter((a) => a.startsWith("HTTP/1.1 503"))).toHaveLength(4);
    expect(answers.filter((a) => a === "still open")).toHaveLength(4);
    const ok = await h.send(slashCommandRequest(SECRET, { text: "help", channel_id: "C0GUARD01" }, h.ws));
    expect(ok.status).toBe(200);
    // The rest are cut off after the body timeout (1.5 s here), and their reservation is given back.
    const late = await Promise.all(held.map((x) => x.answer));
    expect(late.filter((a) => a.startsWith("HTTP/1.1 408"))).toHaveLength(4);
    expect(h.bot.requestGuard?.reserved).toBe(0);
    expect(h.logs.some((l) => l.event === "http_refused")).toBe(true);
  });

  it("takes `application/x-www-form-urlencoded; charset=utf-8`; refuses another charset with 415", async () => {
    const req = slashCommandRequest(SECRET, { text: "11202", channel_id: "C0GUARD02" }, h.ws);
    const r = await h.send({ ...req, headers: { ...req.headers, "content-type": "application/x-www-form-urlencoded; charset=utf-8" } });
    expect(r.status).toBe(200);
    // Not only acked: the command is answered in the channel.
    await h.api.waitFor(() => h.api.botMessages({ channel: "C0GUARD02" }).find((m) => m.text.includes("Q171435")));
    const latin = await h.send({ ...req, headers: { ...req.headers, "content-type": "application/x-www-form-urlencoded; charset=iso-8859-1" } });
    expect(latin.status).toBe(415);
  });

  it("1,000 extra headers: refused with 431 and a log line", async () => {
    h.logs.length = 0;
    await new Promise((r) => setTimeout(r, 1100));
    const socket = connect(h.port, "127.0.0.1");
    const extra = Array.from({ length: 1000 }, (_, i) => `X-Extra-${i}: ${"v".repeat(20)}\r\n`).join("");
    socket.write(`POST /slack/events HTTP/1.1\r\nHost: x\r\n${extra}Content-Length: 0\r\n\r\n`);
    const answer = await new Promise<string>((res) => {
      let got = "";
      socket.on("data", (d) => (got += d.toString()));
      socket.on("close", () => res(got));
      socket.on("error", () => res(got));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
    expect(h.logs.filter((l) => l.event === "http_refused")).toEqual([expect.objectContaining({ reason: "HPE_HEADER_OVERFLOW" })]);
  });
});
