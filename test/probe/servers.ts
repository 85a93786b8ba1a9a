// Helpers for tests that start real Debian servers (Dovecot, Postfix) on loopback.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createConnection, createServer } from "node:net";

/**
 * The path of a server binary, or an Error saying how to install it. Tests fail with it (never skip): CI installs
 * the packages in .ci/run. An environment variable (DOVECOT_BIN, POSTFIX_BIN) pins the binary.
 */
export function requireBinary(name: string, envVar: string, packages: string): string {
  const pinned = process.env[envVar];
  const candidates = pinned ? [pinned] : [`/usr/sbin/${name}`, `/usr/local/sbin/${name}`];
  for (const p of candidates) if (existsSync(p)) return p;
  const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  if (!pinned && r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  throw new Error(`${name} is not installed${pinned ? ` at ${envVar}=${pinned}` : ""}: these tests start a real ${name}. Install it with: apt-get update && apt-get install -y ${packages}`);
}

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the port greets with a line starting with `prefix`; throws after `until` or when `alive()` says the server died. */
export async function waitForGreeting(host: string, port: number, prefix: string, until: number, alive: () => string | undefined): Promise<void> {
  for (;;) {
    const dead = alive();
    if (dead) throw new Error(dead);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host, port });
      const done = (v: boolean) => {
        s.destroy();
        resolve(v);
      };
      s.setTimeout(500, () => done(false));
      s.once("error", () => done(false));
      s.once("data", (d) => done(d.toString().startsWith(prefix)));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing greeted with "${prefix}" on ${host}:${port} in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
