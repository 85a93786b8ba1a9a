// Socket Mode's /healthz server on real sockets: it reports the port it really got, says 503 until the bot
// is ready and 200 after, and a busy port is a rejected start with Node's code, not an unhandled 'error'.
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listenFailure } from "../../src/app/listen-failure.js";
import { healthAnswer, SOCKET_GRACE_MS, startHealthzServer, type HealthzServer } from "../../src/slack/healthz.js";

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
    const s = await started({ port: 0, host: "127.0.0.1", health: () => ({ started: true }) });
    expect(s.port).toBeGreaterThan(0);
    const r = await fetch(`http://127.0.0.1:${s.port}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });

  it("503 before the bot is ready, 200 once it is; other paths 404, other methods 405", async () => {
    let ready = false;
    const s = await started({ port: 0, host: "127.0.0.1", health: () => ({ started: ready }) });
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
      s = await started({ port: 0, host: "::1", health: () => ({ started: true }) });
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
    const err = await startHealthzServer({ port, host: "127.0.0.1", health: () => ({ started: true }) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as NodeJS.ErrnoException).code).toBe("EADDRINUSE");
    expect(listenFailure(err, "127.0.0.1", port)).toBe(`port ${port} is already in use: set PORT to a free port (PORT=0 picks one)`);
  });

  it("close() frees the port, even with a keep-alive connection open", async () => {
    const s = await startHealthzServer({ port: 0, host: "127.0.0.1", health: () => ({ started: true }) });
    expect((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status).toBe(200);
    await s.close();
    const again = await started({ port: s.port, host: "127.0.0.1", health: () => ({ started: false }) });
    expect(again.port).toBe(s.port);
  });

  it("HEAD answers like GET without a body; degraded is 200 for liveness and 503 for ?ready=1", async () => {
    let degraded: string | undefined;
    const s = await started({ port: 0, host: "127.0.0.1", health: () => ({ started: true, degraded }) });
    const url = `http://127.0.0.1:${s.port}/healthz`;
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    degraded = "Redis unavailable (connection closed)";
    const live = await fetch(url);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true, degraded });
    const ready = await fetch(`${url}?ready=1`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ok: false, degraded });
    expect((await fetch(`${url}?ready=1`, { method: "HEAD" })).status).toBe(503);
  });
});

describe("health answers follow the Socket Mode connection", () => {
  const t0 = 1_000_000;
  it("down briefly: live but not ready; down past the grace: 503 for both; never started: 503", () => {
    expect(healthAnswer({ started: true, socketDownSince: t0 }, false, t0 + 2000)).toEqual({ status: 200, body: { ok: true, socket: "Socket Mode disconnected for 2 s" } });
    expect(healthAnswer({ started: true, socketDownSince: t0 }, true, t0 + 2000).status).toBe(503);
    expect(healthAnswer({ started: true, socketDownSince: t0 }, false, t0 + SOCKET_GRACE_MS + 1000)).toEqual({ status: 503, body: { ok: false, socket: "Socket Mode disconnected for 16 s" } });
    expect(healthAnswer({ started: true }, true, t0)).toEqual({ status: 200, body: { ok: true } });
    expect(healthAnswer({ started: false }, false, t0).status).toBe(503);
  });
});
