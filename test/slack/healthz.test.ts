// Socket Mode's /healthz server on real sockets: it reports the port it really got, says 503 until the bot
// is ready and 200 after, and a busy port is a rejected start with Node's code, not an unhandled 'error'.
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listenFailure } from "../../src/app/listen-failure.js";
import { startHealthzServer, type HealthzServer } from "../../src/slack/healthz.js";

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function started(opts: Parameters<typeof startHealthzServer>[0]): Promise<HealthzServer> {
  const s = await startHealthzServer(opts);
  open.push(s);
  return s;
}

describe("Socket Mode's /healthz server", () => {
  it("PORT 0: reports the port it bound, and answers there", async () => {
    const s = await started({ port: 0, host: "127.0.0.1", isReady: () => true });
    expect(s.port).toBeGreaterThan(0);
    const r = await fetch(`http://127.0.0.1:${s.port}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });

  it("503 before the bot is ready, 200 once it is; other paths 404, other methods 405", async () => {
    let ready = false;
    const s = await started({ port: 0, host: "127.0.0.1", isReady: () => ready });
    const url = `http://127.0.0.1:${s.port}`;
    const before = await fetch(`${url}/healthz`);
    expect(before.status).toBe(503);
    expect(before.headers.get("cache-control")).toBe("no-store");
    expect(await before.json()).toEqual({ ok: false });
    ready = true;
    expect((await fetch(`${url}/healthz?x=1`)).status).toBe(200);
    expect((await fetch(`${url}/slack/events`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${url}/healthz`, { method: "POST", body: "x".repeat(100_000) })).status).toBe(405);
  });

  it("binds HOST only: on ::1 it is not reachable on 127.0.0.1", async (ctx) => {
    let s: HealthzServer;
    try {
      s = await started({ port: 0, host: "::1", isReady: () => true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EADDRNOTAVAIL") return ctx.skip("no IPv6 loopback on this machine");
      throw err;
    }
    expect((await fetch(`http://[::1]:${s.port}/healthz`)).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${s.port}/healthz`)).rejects.toThrow();
  });

  it("a busy port rejects with EADDRINUSE, which start-up words as one clear sentence naming PORT", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", () => resolve()));
    open.push(busy);
    const port = (busy.address() as { port: number }).port;
    const err = await startHealthzServer({ port, host: "127.0.0.1", isReady: () => true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as NodeJS.ErrnoException).code).toBe("EADDRINUSE");
    expect(listenFailure(err, "127.0.0.1", port)).toBe(`port ${port} is already in use: set PORT to a free port (PORT=0 picks one)`);
  });

  it("close() frees the port, even with a keep-alive connection open", async () => {
    const s = await startHealthzServer({ port: 0, host: "127.0.0.1", isReady: () => true });
    expect((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status).toBe(200);
    await s.close();
    const again = await started({ port: s.port, host: "127.0.0.1", isReady: () => false });
    expect(again.port).toBe(s.port);
  });
});
