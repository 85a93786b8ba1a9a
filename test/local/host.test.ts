// Local mode listens on loopback only: its page runs probes with the hosts file's passwords. On ::1 the page's
// server still reaches the bot at the address it really bound.
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startLocal } from "../../src/app/local-mode.js";
import { StartupError } from "../../src/app/boot.js";
import { localConfig } from "./config.js";

const dir = () => mkdtempSync(join(tmpdir(), "local-host-"));

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(0, "::1", () => s.close(() => resolve(true)));
  });
}

function post(port: number, path: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "::1", port, method: "POST", path, headers: { host: `localhost:${port}`, "content-type": "application/json" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("local mode's HOST", () => {
  it("a configuration built by hand with a HOST beyond loopback is refused", async () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10"]) {
      const err = await startLocal({ ...localConfig(dir()), host }, { env: {} }).then(() => undefined, (e: unknown) => e);
      expect(err, host).toBeInstanceOf(StartupError);
      expect((err as Error).message).toContain(`not on ${host}`);
    }
  });

  it("HOST=::1: bound there only, printed as localhost, and a message typed in the page reaches the bot", async (ctx) => {
    if (!(await hasIpv6Loopback())) return ctx.skip("no IPv6 loopback on this machine");
    const local = await startLocal(localConfig(dir(), { HOST: "::1" }), { env: {}, log: () => undefined });
    try {
      expect(local.url).toBe(`http://localhost:${local.port}`);
      expect(await connects("::1", local.port)).toBe(true);
      expect(await connects("127.0.0.1", local.port)).toBe(false);
      const r = await post(local.port, "/local/send", { text: "/exchange 11202" });
      expect(r.status, r.body).toBe(200);
      const parent = await local.api.waitFor(() => local.api.botMessages({ channel: local.info.channel.id }).find((m) => m.thread_ts === undefined), 10_000);
      expect(JSON.stringify(parent.blocks)).toContain("11202");
    } finally {
      await local.stop();
    }
  });
});
