// Runs the bot against Slack (Socket Mode or HTTP mode) until SIGINT/SIGTERM, then stops cleanly.
import { configureLogging } from "../log.js";
import type { Config } from "../config.js";
import { ProbeLimiter } from "../probe/limiter.js";
import { createProbeService } from "../services/probe.js";
import { createSlackBot } from "../slack/app.js";
import { SlackAuthError } from "../slack/errors.js";
import { stdoutLog } from "../slack/services.js";
import { openState, RedisUnavailableError } from "../state/open.js";
import type { SharedState } from "../state/types.js";
import type { FeedbackStore } from "../state/feedback.js";
import { loadCore, openFeedback, StartupError } from "./boot.js";
import { listenFailure } from "./listen-failure.js";
import { untilSignal } from "./signals.js";

export type SlackConfig = Exclude<Config, { mode: "local" }>;

/** Exit code 0 after a clean stop, 1 when start-up failed for a reason people can fix (printed, no stack trace) or the bot lost Slack for good. */
export async function startSlackMode(config: SlackConfig): Promise<number> {
  await configureLogging({ level: config.logLevel });
  let state: SharedState | undefined;
  let fileFeedback: FeedbackStore | undefined;
  try {
    const core = await loadCore(config);
    if (core.hostsNotice) process.stderr.write(`exchange-bot: ${core.hostsNotice}\n`);
    // Before Slack: a replica that cannot reach the shared state must not start answering on its own.
    state = await openState({ redisUrl: config.redisUrl, prefix: config.redisPrefix, log: stdoutLog });
    const shared = state;
    // Several replicas count votes together on Redis; one process keeps its own file in DATA_DIR.
    const feedbackStore = shared.feedbackStore ?? (fileFeedback = openFeedback(config.dataDir));
    const bot = createSlackBot({
      feedbackStore,
      knowledge: core.knowledge,
      probe: createProbeService({
        knowledge: core.knowledge,
        hosts: core.hosts,
        limiter: new ProbeLimiter({ rates: shared.rates, cap: shared.cap }),
        audit: (entry) => void shared.audit.append({ ...entry }),
      }),
      state: shared,
      botToken: config.botToken,
      ...(config.mode === "http" ? { signingSecret: config.signingSecret } : { appToken: config.appToken }),
      ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
      port: config.port,
      host: config.host,
      logLevel: config.logLevel,
    });
    const { port } = await bot.start();
    const where = shared.backend === "redis" ? "shared state and feedback on Redis" : "in-process state";
    process.stderr.write(
      config.mode === "http"
        ? `exchange-bot: HTTP mode, ${core.knowledge.articles.length} articles, ${core.hosts.length} probe hosts, ${where}; listening on ${config.host}:${port} (POST /slack/events, GET /healthz)\n`
        : `exchange-bot: Socket Mode connected, ${core.knowledge.articles.length} articles, ${core.hosts.length} probe hosts, ${where}; GET /healthz on ${config.host}:${port}\n`,
    );
    const end = await Promise.race([untilSignal(), bot.failed]);
    // A stop that hangs (a library waiting on a dead connection) must not keep the process alive.
    setTimeout(() => process.exit(end instanceof Error ? 1 : 0), 5000).unref();
    if (end instanceof Error) {
      process.stderr.write(`exchange-bot: ${end.message}\n`);
      await bot.stop();
      return 1;
    }
    process.stderr.write(`exchange-bot: ${end}, stopping\n`);
    await bot.stop();
    return 0;
  } catch (err) {
    // The same words whichever server failed to listen: HTTP mode's receiver or Socket Mode's /healthz.
    const listen = listenFailure(err, config.host, config.port);
    if (listen !== undefined || err instanceof StartupError || err instanceof SlackAuthError || err instanceof RedisUnavailableError) {
      process.stderr.write(`exchange-bot: cannot start: ${listen ?? (err as Error).message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await state?.close();
    await fileFeedback?.close();
  }
}
