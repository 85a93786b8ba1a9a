// A throwaway redis-server (Debian's package) on a free loopback port with persistence off, for the tests
// and the bench: started, stopped and started again on the same port to act out an outage.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL after 3 s); resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: persistence is off). */
  start(): Promise<void>;
  readonly running: boolean;
}

export function findRedisServer(): string | undefined {
  for (const p of [process.env.REDIS_SERVER_BIN, "/usr/bin/redis-server", "/usr/local/bin/redis-server"]) {
    if (p && spawnSync(p, ["--version"]).status === 0) return p;
  }
  return undefined;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startRedisServer(opts: { port?: number; binary?: string } = {}): Promise<RedisServer> {
  const binary = opts.binary ?? findRedisServer();
  if (!binary) throw new Error("redis-server is not installed (Debian package redis-server; .ci/run installs it)");
  const port = opts.port ?? (await freeLoopbackPort());
  let child: ChildProcess | undefined;
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "notice"];
  const start = async (): Promise<void> => {
    const c = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = c;
    let out = "";
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer): void => {
        out += d.toString();
        if (out.includes("Ready to accept connections")) resolve();
      };
      c.stdout?.on("data", onData);
      c.stderr?.on("data", onData);
      c.once("exit", (code) => reject(new Error(`redis-server exited (${code}) during start-up: ${out.slice(-500)}`)));
    });
    const timer = setTimeout(() => c.kill("SIGKILL"), 10_000);
    try {
      await ready;
    } finally {
      clearTimeout(timer);
    }
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = once(c, "exit");
      c.kill("SIGTERM");
      const t = setTimeout(() => c.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(t);
    },
    start,
  };
}
