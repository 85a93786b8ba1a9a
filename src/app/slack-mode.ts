// Runs the bot against Slack (Socket Mode or HTTP mode) until SIGINT/SIGTERM, then stops cleanly.
import type { Config } from "../config.js";
import { createProbeService } from "../services/probe.js";
import { createSlackBot } from "../slack/app.js";
import { SlackAuthError } from "../slack/errors.js";
import { loadCore, StartupError } from "./boot.js";
import { listenFailure } from "./listen-failure.js";
import { untilSignal } from "./signals.js";

export type SlackConfig = Exclude<Config, { mode: "local" }>;

/** Exit code 0 after a clean stop, 1 when start-up failed for a reason people can fix (printed, no stack trace). */
export async function startSlackMode(config: SlackConfig): Promise<number> {
  try {
    const core = await loadCore(config);
    if (core.hostsNotice) process.stderr.write(`exchange-bot: ${core.hostsNotice}\n`);
    const bot = createSlackBot({
      knowledge: core.knowledge,
      probe: createProbeService({ knowledge: core.knowledge, hosts: core.hosts }),
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
        ? `exchange-bot: HTTP mode, ${core.knowledge.articles.length} articles, ${core.hosts.length} probe hosts; listening on ${config.host}:${port} (POST /slack/events, GET /healthz)\n`
        : `exchange-bot: Socket Mode connected, ${core.knowledge.articles.length} articles, ${core.hosts.length} probe hosts; GET /healthz on ${config.host}:${port}\n`,
    );
    const sig = await untilSignal();
    process.stderr.write(`exchange-bot: ${sig}, stopping\n`);
    await bot.stop();
    return 0;
  } catch (err) {
    // The same words whichever server failed to listen: HTTP mode's receiver or Socket Mode's /healthz.
    const listen = listenFailure(err, config.host, config.port);
    if (listen !== undefined || err instanceof StartupError || err instanceof SlackAuthError) {
      process.stderr.write(`exchange-bot: cannot start: ${listen ?? (err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}
