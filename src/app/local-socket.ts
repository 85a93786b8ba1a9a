// Local mode over Socket Mode (LOCAL_TRANSPORT=socket), the manifest's default path: the bot connects to the
// stand-in's apps.connections.open and WebSocket as it would to Slack, and the page hands what you type or
// click to it as Socket Mode envelopes. The page gets a server of its own on PORT; the bot's /healthz is
// answered there.
import { stdoutAudit } from "../services/audit-log.js";
import type { Config } from "../config.js";
import { localPageRoutes, PAGE_DIR, type PageInfo } from "../local/page-routes.js";
import { startPageServer } from "../local/page-server.js";
import type { SocketModeStandIn } from "../local/socket-mode.js";
import type { WebApiStandIn } from "../local/webapi.js";
import type { NamedHost } from "../probe/types.js";
import type { Knowledge } from "../services/knowledge.js";
import { createProbeService } from "../services/probe.js";
import { createSlackBot, type SlackBot } from "../slack/app.js";
import { stdoutLog, type LogSink } from "../slack/services.js";
import type { FeedbackStore } from "../state/feedback.js";

export interface OverSocketParts {
  api: WebApiStandIn;
  sm: SocketModeStandIn;
  botToken: string;
  appToken: string;
  signingSecret: string;
  knowledge: Knowledge;
  hosts: readonly NamedHost[];
  env: NodeJS.ProcessEnv;
  info: PageInfo;
  log?: LogSink;
  feedbackStore: FeedbackStore;
  /** The knowledge folder's state for the page's banner. */
  banner: () => { version: number; problems: string[]; articles: number };
}

export async function startOverSocket(config: Extract<Config, { mode: "local" }>, p: OverSocketParts): Promise<{ bot: SlackBot; url: string; port: number; stop(): Promise<void> }> {
  const bot = createSlackBot({
    knowledge: p.knowledge,
    probe: createProbeService({ knowledge: p.knowledge, hosts: p.hosts, env: p.env, audit: stdoutAudit }),
    log: p.log ?? stdoutLog,
    feedbackStore: p.feedbackStore,
    botToken: p.botToken,
    appToken: p.appToken,
    slackApiUrl: p.api.url,
    port: 0,
    host: config.host,
    logLevel: config.logLevel,
  });
  await bot.start();
  const routes = localPageRoutes({
    api: p.api,
    signingSecret: p.signingSecret,
    eventsUrl: () => "",
    deliver: async (signed) => {
      const r = await p.sm.deliverRequest(signed, { timeoutMs: 15_000 });
      if (!r.acked) throw new Error(`the bot did not acknowledge over Socket Mode (${r.reason})`);
      // An empty ack is an empty body, as over HTTP; a payload (usage riding on the ack) is its JSON.
      return r.payload && Object.keys(r.payload).length ? JSON.stringify(r.payload) : "";
    },
    info: p.info,
    pageDir: PAGE_DIR,
    allowedHosts: [config.host],
    knowledge: p.banner,
  });
  let page;
  try {
    page = await startPageServer({ routes, health: () => bot.health(), port: config.port, host: config.host });
  } catch (err) {
    await bot.stop();
    await p.sm.close();
    throw err;
  }
  const server = page;
  return {
    bot,
    url: `http://localhost:${server.address.port}`,
    port: server.address.port,
    async stop() {
      await server.close();
      await bot.stop();
      await p.sm.close();
    },
  };
}
