// `exchange-bot start`: Socket Mode with SLACK_APP_TOKEN, HTTP mode with SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET,
// local mode with neither. Runs until SIGINT/SIGTERM, then stops cleanly.
import { ConfigError, loadConfig, type Config } from "../config.js";
import { runProbe } from "../probe/run.js";
import { createSlackBot } from "../slack/app.js";
import { loadCore, StartupError } from "../slack/wiring.js";
import { listenFailure } from "./listen-failure.js";

const HELP = `Usage: exchange-bot start

Runs the Slack bot. The mode follows from the environment (or .env):
  SLACK_APP_TOKEN + SLACK_BOT_TOKEN             Socket Mode (no public URL needed)
  SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET        HTTP mode on PORT (default 3000), POST /slack/events
  neither                                       local mode: the bot in your browser, no Slack workspace
Optional: SLACK_API_URL, PORT, HOST, PROBE_HOSTS_FILE, KNOWLEDGE_DIR, LOG_LEVEL. See .env.example.
`;

/** Resolves when the process is asked to stop. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(sig);
    };
    process.once("SIGINT", on);
    process.once("SIGTERM", on);
  });
}

/** What local mode (src/local/mode.ts, its own issue) exports: runs until stopped, returns the exit code. */
export type StartLocalMode = (config: Extract<Config, { mode: "local" }>) => Promise<number>;

// A variable specifier: local mode is optional at build time, and `start` must not fail to compile without it.
const LOCAL_MODE_MODULE = "../local/mode.js";

async function startLocal(config: Extract<Config, { mode: "local" }>): Promise<number> {
  let mod: { startLocalMode?: StartLocalMode };
  try {
    mod = (await import(LOCAL_MODE_MODULE)) as { startLocalMode?: StartLocalMode };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND" || !String((err as Error).message).includes("mode.js")) throw err;
    mod = {};
  }
  if (typeof mod.startLocalMode !== "function") {
    process.stderr.write(
      [
        "exchange-bot: no Slack credentials are set, and local mode is not available in this build.",
        "To connect to a Slack workspace, set these in .env or the environment:",
        "  SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET   HTTP mode, listens on PORT (default 3000) at POST /slack/events",
        "  SLACK_BOT_TOKEN and SLACK_APP_TOKEN        Socket Mode",
        "See .env.example, and the README for creating the Slack app from manifest.yml.",
        "",
      ].join("\n"),
    );
    return 1;
  }
  return mod.startLocalMode(config);
}

export async function startCommand(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.length) {
    process.stderr.write(`exchange-bot start: unexpected argument '${args[0]}' (configuration comes from the environment; see --help)\n`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`exchange-bot: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (config.mode === "local") return startLocal(config);

  try {
    const core = await loadCore(config);
    if (core.hostsNotice) process.stderr.write(`exchange-bot: ${core.hostsNotice}\n`);
    const bot = createSlackBot({
      matcher: core.matcher,
      hosts: core.hosts,
      runProbe,
      botToken: config.botToken,
      ...(config.mode === "http" ? { signingSecret: config.signingSecret } : { appToken: config.appToken }),
      ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
      port: config.port,
      host: config.host,
      logLevel: config.logLevel,
    });
    const { port } = await bot.start();
    process.stderr.write(
      config.mode === "http"
        ? `exchange-bot: HTTP mode, ${core.articles.length} articles, ${core.hosts.length} probe hosts; listening on ${config.host}:${port} (POST /slack/events, GET /healthz)\n`
        : `exchange-bot: Socket Mode connected, ${core.articles.length} articles, ${core.hosts.length} probe hosts; GET /healthz on ${config.host}:${port}\n`,
    );
    const sig = await untilSignal();
    process.stderr.write(`exchange-bot: ${sig}, stopping\n`);
    await bot.stop();
    return 0;
  } catch (err) {
    // The same words whichever server failed to listen: HTTP mode's receiver or Socket Mode's /healthz.
    const listen = listenFailure(err, config.host, config.port);
    if (listen !== undefined || err instanceof StartupError || (err instanceof Error && /auth\.test/.test(err.message))) {
      process.stderr.write(`exchange-bot: cannot start: ${listen ?? (err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}
