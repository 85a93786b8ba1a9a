// Configuration from the environment (and .env, loaded once). Which Slack variables are set picks the mode;
// a half-set or malformed configuration is refused with one message that names every problem.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { isLoopbackHost, LOOPBACK_HOSTS } from "./net-names.js";
import { envSetting as get, readPaths, type Paths } from "./paths.js";

export type BotMode = "socket" | "http" | "local";
export type LogLevelName = "debug" | "info" | "warn" | "error";

interface Common extends Paths {
  /** Port for HTTP mode and local mode (GET /healthz, POST /slack/events); in Socket Mode, for GET /healthz alone. */
  port: number;
  /** Address to listen on (HTTP mode, Socket Mode's /healthz): all interfaces unless HOST says otherwise. Local mode: 127.0.0.1, and only loopback is accepted. */
  host: string;
  /** Web API base URL for the bot's client, ending in "/" (SLACK_API_URL). */
  slackApiUrl?: string;
  logLevel: LogLevelName;
  /** Shared state for several replicas (REDIS_URL); unset, state is in-process. */
  redisUrl?: string;
  /** Put before every Redis key (REDIS_PREFIX), so bots can share one Redis. */
  redisPrefix: string;
}

export type Config =
  | (Common & { mode: "http"; botToken: string; signingSecret: string })
  | (Common & { mode: "socket"; botToken: string; appToken: string; signingSecret?: string })
  | (Common & { mode: "local"; transport: "http" | "socket" });

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? `configuration problem: ${problems[0]}. See .env.example.`
        : `configuration problems:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example.`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

let dotenvLoaded = false;

/** Loads .env from the working directory into process.env, once; variables already set win. */
export function loadDotenvOnce(path?: string): void {
  if (dotenvLoaded) return;
  dotenvLoaded = true;
  // Without a .env there is nothing to read: dotenv (and the node:crypto it loads) is not loaded at all, which
  // a monitoring system running thousands of probes a minute from its own folder notices.
  const file = resolve(process.cwd(), path ?? ".env");
  if (!existsSync(file)) return;
  const dotenv = createRequire(import.meta.url)("dotenv") as typeof import("dotenv");
  dotenv.config({ quiet: true, path: file });
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevelName[] = ["debug", "info", "warn", "error"];

/** Validates the environment into a typed Config. Throws ConfigError naming what is missing or wrong; never echoes a secret. */
export function readConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const botToken = get(env, "SLACK_BOT_TOKEN");
  const signingSecret = get(env, "SLACK_SIGNING_SECRET");
  const appToken = get(env, "SLACK_APP_TOKEN");

  if (botToken && !/^xoxb-[\w-]+$/.test(botToken)) problems.push("SLACK_BOT_TOKEN does not look like a bot token (it starts with xoxb-)");
  if (appToken && !/^xapp-[\w-]+$/.test(appToken)) problems.push("SLACK_APP_TOKEN does not look like an app-level token (it starts with xapp-)");
  if (signingSecret && !/^[0-9a-f]{16,128}$/i.test(signingSecret))
    problems.push("SLACK_SIGNING_SECRET does not look like a signing secret (hex digits, from Basic Information > App Credentials)");

  let mode: BotMode;
  if (appToken) {
    mode = "socket";
    if (!botToken) problems.push("SLACK_APP_TOKEN is set (Socket Mode) but SLACK_BOT_TOKEN is missing");
  } else if (botToken || signingSecret) {
    mode = "http";
    if (!botToken) problems.push("SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is missing (HTTP mode needs both)");
    if (!signingSecret) problems.push("SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is missing (HTTP mode needs both; for Socket Mode set SLACK_APP_TOKEN instead)");
  } else {
    mode = "local";
  }

  const portRaw = get(env, "PORT");
  let port = 3000;
  if (portRaw !== undefined) {
    const n = /^\d{1,5}$/.test(portRaw) ? Number(portRaw) : NaN;
    if (!(n >= 0 && n <= 65535)) problems.push(`PORT must be a number from 0 to 65535 (got "${portRaw.slice(0, 20)}")`);
    else port = n;
  }

  let slackApiUrl = get(env, "SLACK_API_URL");
  if (slackApiUrl !== undefined) {
    let ok = false;
    try {
      const u = new URL(slackApiUrl);
      ok = u.protocol === "http:" || u.protocol === "https:";
    } catch {
      ok = false;
    }
    if (!ok) problems.push("SLACK_API_URL must be an http(s) URL such as http://127.0.0.1:4000/api/");
    else if (!slackApiUrl.endsWith("/")) slackApiUrl += "/";
  }

  const logLevelRaw = (get(env, "LOG_LEVEL") ?? "info").toLowerCase();
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevelName)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);

  // HOST is shared with HTTP mode, so a .env made for a server (HOST=0.0.0.0) with the tokens taken out would
  // put local mode's page, which runs probes with the hosts file's passwords, on the network. The page's
  // Host-header check cannot stop that: clients choose the header.
  const host = get(env, "HOST");
  if (mode === "local" && host !== undefined && !isLoopbackHost(host))
    problems.push(
      `HOST is "${host.slice(0, 60)}", but local mode (no Slack tokens set) listens on this computer only: unset HOST or set it to ${LOOPBACK_HOSTS.join(", ")}`,
    );

  const redisUrl = get(env, "REDIS_URL");
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) problems.push("REDIS_URL must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379");
  const redisPrefix = get(env, "REDIS_PREFIX") ?? "exchange-bot:";
  if (!/^[\w:.\-/]{1,64}$/.test(redisPrefix)) problems.push("REDIS_PREFIX must be 1-64 letters, digits or _ : . - /");
  const transport = (get(env, "LOCAL_TRANSPORT") ?? "http").toLowerCase();
  if (transport !== "http" && transport !== "socket") problems.push(`LOCAL_TRANSPORT must be http or socket (got "${transport.slice(0, 20)}")`);

  if (problems.length) throw new ConfigError(problems);

  const common: Common = {
    port,
    host: host ?? (mode === "local" ? "127.0.0.1" : "0.0.0.0"),
    ...(slackApiUrl ? { slackApiUrl } : {}),
    ...readPaths(env, cwd),
    logLevel: logLevelRaw as LogLevelName,
    ...(redisUrl ? { redisUrl } : {}),
    redisPrefix,
  };
  if (mode === "socket") return { ...common, mode, botToken: botToken!, appToken: appToken!, ...(signingSecret ? { signingSecret } : {}) };
  if (mode === "http") return { ...common, mode, botToken: botToken!, signingSecret: signingSecret! };
  return { ...common, mode, transport: transport as "http" | "socket" };
}

/** The path settings every subcommand shares: .env (once), then the environment, relative to the working directory. */
export function loadPaths(): Paths {
  loadDotenvOnce();
  return readPaths(process.env, process.cwd());
}

/** .env (once) then the environment. */
export function loadConfig(): Config {
  loadDotenvOnce();
  return readConfig(process.env);
}
