// `exchange-bot start`: Socket Mode with SLACK_APP_TOKEN, HTTP mode with SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET,
// local mode with neither. Reads the configuration once and hands it to src/app/, which runs the bot.
import { ConfigError, loadConfig, type Config } from "../config.js";

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
  if (config.mode === "local") return (await import("../app/local-mode.js")).startLocalMode(config);
  return (await import("../app/slack-mode.js")).startSlackMode(config);
}
