// `exchange-bot start`: Socket Mode with SLACK_APP_TOKEN, HTTP mode with SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET,
// local mode with neither. Runs until SIGINT/SIGTERM, then stops cleanly.
import { ConfigError, loadConfig, type Config } from "../config.js";
import { runProbe } from "../probe/run.js";
import { createSlackBot } from "../slack/app.js";
import { loadCore, StartupError } from "../slack/wiring.js";
import { listenFailure } from "./listen-failure.js";
import { untilSignal } from "./until-signal.js";

const HELP = `Usage: exchange-bot start

Runs the Slack bot. The mode follows from the environment (or .env):
  SLACK_APP_TOKEN + SLACK_BOT_TOKEN             Socket Mode (no public URL needed)
  SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET        HTTP mode on PORT (default 3000), POST /slack/events
  neither                                       local mode: the bot in your browser, no Slack workspace
Optional: SLACK_API_URL, PORT, HOST, PROBE_HOSTS_FILE, KNOWLEDGE_DIR, LOG_LEVEL. See .env.example.
`;

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
  // Loaded only when used: Slack modes need none of the page, the stand-in or the lab peers.
  if (config.mode === "local") return (await import("../local/mode.js")).startLocalMode(config);

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
