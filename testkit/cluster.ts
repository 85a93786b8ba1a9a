// Several replicas of the real bot (`exchange-bot start`, each its own process) sharing one Redis, and a
// small round-robin balancer in front of the HTTP ones: what the multi-replica tests and the bench run.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOT_SECRET, BOT_TOKEN, botCommand } from "./bot-process.js";

export const APP_TOKEN = "xapp-1-bench-token";

export interface Replica {
  readonly child: ChildProcess;
  /** Port of POST /slack/events (HTTP mode) or of /healthz (Socket Mode). */
  readonly port: number;
  readonly stderr: () => string;
  /** JSON log lines the replica wrote on stdout. */
  readonly logs: Array<Record<string, unknown>>;
  /** Sends a signal and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ReplicaOptions {
  apiUrl: string;
  mode: "http" | "socket";
  redisUrl?: string;
  /** Extra environment (REDIS_PREFIX, LOG_LEVEL...). */
  env?: Record<string, string>;
}

export async function startReplica(o: ReplicaOptions): Promise<Replica> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(o.mode === "http" ? { SLACK_SIGNING_SECRET: BOT_SECRET } : { SLACK_APP_TOKEN: APP_TOKEN }),
    SLACK_API_URL: o.apiUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    ...o.env,
  };
  const child = spawn(process.execPath, botCommand(), { cwd: mkdtempSync(join(tmpdir(), "exchange-bot-replica-")), env, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  let out = "";
  const logs: Array<Record<string, unknown>> = [];
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
    let i;
    while ((i = out.indexOf("\n")) >= 0) {
      const line = out.slice(0, i);
      out = out.slice(i + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /(?:listening on|GET \/healthz on) 127\.0\.0\.1:(\d+)/.exec(err);
    if (m) {
      return {
        child,
        port: Number(m[1]),
        stderr: () => err,
        logs,
        async kill(signal = "SIGTERM") {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, "exit");
          child.kill(signal);
          await exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`replica did not start:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Balancer {
  readonly url: string;
  /** Requests forwarded to each backend. */
  readonly counts: number[];
  close(): Promise<void>;
}

/**
 * Round-robin over the backends' ports. A request with `x-route-to: N` goes to backend N instead (the test
 * plays Slack sending a retry to another replica than the first delivery); the answer carries `x-replica: N`. A backend that refuses the connection gets 502,
 * as a real balancer answers before its health check notices.
 */
export async function startBalancer(ports: number[]): Promise<Balancer> {
  let turn = 0;
  const counts = ports.map(() => 0);
  const server: Server = createServer((req, res) => {
    const to = Number(req.headers["x-route-to"] ?? -1);
    const i = to >= 0 && to < ports.length ? to : turn++ % ports.length;
    counts[i]!++;
    const headers = { ...req.headers };
    delete headers["x-route-to"];
    const up = request({ host: "127.0.0.1", port: ports[i], method: req.method, path: req.url, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, { ...r.headers, "x-replica": String(i) });
      r.pipe(res);
    });
    up.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "x-replica": String(i) });
      res.end();
    });
    req.pipe(up);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    counts,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
