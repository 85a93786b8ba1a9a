// Local mode: no Slack workspace, the whole bot anyway. The real Bolt app in HTTP mode with a signing
// secret made up for this run, its Web API pointed at the local stand-in, lab POP3, SMTP and IMAP servers on loopback
// as named hosts, and a channel page in the browser that talks to the bot only through signed requests.
import { stdoutAudit } from "../services/audit-log.js";
import { configureLogging } from "../log.js";
import { randomBytes } from "node:crypto";
import type { Config } from "../config.js";
import { bracketHost, isLoopbackHost, LOOPBACK_HOSTS } from "../net-names.js";
import { createProbeService } from "../services/probe.js";
import type { NamedHost } from "../probe/types.js";
import { createSlackBot, type SlackBot } from "../slack/app.js";
import { stdoutLog, type LogSink } from "../slack/services.js";
import { localPageRoutes, PAGE_DIR, type PageInfo } from "../local/page-routes.js";
import { startLabPeers, type LabPeers } from "../local/lab-peers.js";
import { writeAdvert } from "../local/advert.js";
import { startSocketMode, type SocketModeStandIn } from "../local/socket-mode.js";
import { startWebApi, type WebApiStandIn } from "../local/webapi.js";
import { LiveKnowledge } from "../services/live-knowledge.js";
import type { FeedbackStore } from "../state/feedback.js";
import { loadCore, openFeedback, StartupError } from "./boot.js";
import { watchKnowledge, type KnowledgeWatch } from "./knowledge-watch.js";
import { startOverSocket } from "./local-socket.js";
import { listenFailure } from "./listen-failure.js";
import { untilSignal } from "./signals.js";

export type LocalConfig = Extract<Config, { mode: "local" }>;

export interface LocalModeOptions {
  /** Where probe passwords are read from; the lab password is put here when unset. A copy of process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Structured log lines (answers, feedback); JSON on stdout by default. */
  log?: LogSink;
  /** Where feedback goes; the file in config.dataDir by default. */
  feedback?: FeedbackStore;
}

export interface LocalMode {
  /** The page, e.g. http://localhost:3000. */
  url: string;
  port: number;
  api: WebApiStandIn;
  bot: SlackBot;
  hosts: readonly NamedHost[];
  /** Set when the hosts are this run's lab peers. */
  lab: LabPeers | undefined;
  info: PageInfo;
  /** The knowledge folder, watched: reloaded on change, its lint problems shown on the page. */
  knowledge: KnowledgeWatch;
  stop(): Promise<void>;
}

const CHANNEL = { id: "C0LOCAL01", name: "exchange-admins" };
const USER = { id: "U0LOCAL01", name: "you" };

/** Starts everything and resolves once GET /healthz answers 200. */
export async function startLocal(config: LocalConfig, opts: LocalModeOptions = {}): Promise<LocalMode> {
  // readConfig refuses this already; a config built by hand must not get past it either.
  if (!isLoopbackHost(config.host)) throw new StartupError(`local mode listens on loopback only (HOST ${LOOPBACK_HOSTS.join(", ")}), not on ${config.host}`);
  const env = opts.env ?? { ...process.env };
  const core = await loadCore(config, { knowledgeProblems: "report" });
  const live = new LiveKnowledge(core.knowledge);
  const watch = watchKnowledge(config.knowledgeDir, live, { initialProblems: core.knowledgeProblems ?? [], ...(opts.log ? { log: opts.log } : {}) });
  const feedback = opts.feedback ?? openFeedback(config.dataDir);
  // No hosts file where one was looked for by default: the lab servers stand in, so the buttons do something.
  const lab = core.hostsNotice && !core.hosts.length ? await startLabPeers(env) : undefined;
  const hosts = lab ? lab.hosts : core.hosts;
  let api: WebApiStandIn | undefined;
  let bot: SlackBot | undefined;
  let sm: SocketModeStandIn | undefined;
  try {
    const botToken = `xoxb-local-${randomBytes(12).toString("hex")}`;
    // Over Socket Mode the stand-in also answers apps.connections.open and carries the envelopes.
    sm = config.transport === "socket" ? await startSocketMode() : undefined;
    const appToken = `xapp-local-${randomBytes(12).toString("hex")}`;
    api = await startWebApi({ token: botToken, teamName: "Local workspace", ...(sm ? { methods: sm.methods, appToken } : {}) });
    const signingSecret = randomBytes(32).toString("hex");
    const info: PageInfo = {
      runId: randomBytes(8).toString("hex"),
      workspace: "Local workspace",
      channel: CHANNEL,
      user: USER,
      bot: { id: api.botUserId, name: "exchange-bot" },
      hosts: hosts.map((h) => h.name),
      labHosts: lab !== undefined,
      // Read on every GET /local/info: the folder is reloaded on change, and the page lists what answers now.
      get probeHosts() {
        return hosts.map((h) => {
          const protocol = h.protocol ?? "pop3";
          return { name: h.name, protocol, articles: live.articles.filter((a) => a.probe.kind === protocol && a.draft !== true).map((a) => a.id) };
        });
      },
      get articles() {
        return live.articles.map((a) => ({ id: a.id, title: a.title, try: `/exchange ${a.events[0]?.id ?? a.id}` }));
      },
    };
    let eventsUrl = "";
    const stand = api;
    const shared = { api: stand, hosts, lab, info, knowledge: watch };
    /** Stops the bot (however it runs), then what this run started around it. */
    const stopAll = async (stopBot: () => Promise<void>): Promise<void> => {
      watch.close();
      await stopBot();
      await stand.close();
      await lab?.stop();
      if (!opts.feedback) await feedback.close();
    };
    if (config.transport === "socket") {
      const started = await startOverSocket(config, {
        ...opts,
        api: stand,
        botToken,
        appToken,
        knowledge: live,
        feedbackStore: feedback,
        banner: () => ({ ...watch.state(), articles: live.articles.length }),
        hosts,
        env,
        info,
        signingSecret,
        sm: sm!,
      });
      bot = started.bot;
      return { ...started, ...shared, stop: () => stopAll(() => started.stop()) };
    }
    bot = createSlackBot({
      knowledge: live,
      probe: createProbeService({ knowledge: live, hosts, env, audit: stdoutAudit }),
      feedbackStore: feedback,
      ...(opts.log ? { log: opts.log } : { log: stdoutLog }),
      botToken,
      signingSecret,
      slackApiUrl: stand.url,
      port: config.port,
      host: config.host,
      logLevel: config.logLevel,
      customRoutes: localPageRoutes({
        api: stand,
        signingSecret,
        eventsUrl: () => eventsUrl,
        info,
        pageDir: PAGE_DIR,
        allowedHosts: [config.host],
        knowledge: () => ({ ...watch.state(), articles: live.articles.length }),
      }),
    });
    const { port, address } = await bot.start();
    // The address the bot bound (localhost may be ::1), so the page's server reaches the receiver it really has.
    eventsUrl = `http://${bracketHost(address)}:${port}/slack/events`;
    const running = bot;
    // Loopback only (checked above), and people know it as localhost.
    return { url: `http://localhost:${port}`, port, bot: running, ...shared, stop: () => stopAll(() => running.stop()) };
  } catch (err) {
    watch.close();
    if (!opts.feedback) await feedback.close();
    await bot?.stop().catch(() => undefined);
    await sm?.close().catch(() => undefined);
    await api?.close().catch(() => undefined);
    await lab?.stop().catch(() => undefined);
    throw err;
  }
}

/** `exchange-bot start` with no Slack tokens: runs until SIGINT/SIGTERM. */
export async function startLocalMode(config: LocalConfig): Promise<number> {
  // People read this terminal: pretty lines, at LOG_LEVEL.
  await configureLogging({ level: config.logLevel, pretty: true });
  let local: LocalMode;
  const env = { ...process.env };
  try {
    local = await startLocal(config, { env });
  } catch (err) {
    const listen = listenFailure(err, config.host, config.port);
    if (listen !== undefined) {
      process.stderr.write(`exchange-bot: cannot start local mode: ${listen}\n`);
      return 1;
    }
    if (err instanceof StartupError) {
      process.stderr.write(`exchange-bot: cannot start: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const hostLine = local.hosts.length
    ? `probe hosts: ${local.hosts.map((h) => h.name).join(", ")}${local.lab ? " (lab POP3, SMTP and IMAP servers on 127.0.0.1, started for this run)" : ""}`
    : "no probe hosts (the probe hosts file lists none)";
  process.stdout.write(
    [
      "",
      `exchange-bot: local mode${config.transport === "socket" ? " over Socket Mode" : ""} (no Slack tokens set, so no Slack workspace is needed)`,
      `  Open ${local.url} in your browser: a channel where the bot answers as it would in Slack.`,
      "  Try /exchange 11202, or paste an Exchange error from the event log.",
      `  ${local.info.articles.length} articles · ${hostLine}`,
      "  The knowledge folder is reloaded when a file in it changes.",
      ...local.knowledge.state().problems.map((p) => `  knowledge problem (shown on the page too): ${p}`),
      "  Ctrl+C stops it. To connect a real workspace, see .env.example.",
      "",
      "",
    ].join("\n"),
  );
  // `exchange-bot probe NAME` in another terminal in this folder finds the lab hosts through this file.
  const passwords = Object.fromEntries(local.hosts.flatMap((h) => (h.passwordEnv && env[h.passwordEnv] ? [[h.passwordEnv, env[h.passwordEnv]!]] : [])));
  const unadvertise = local.lab ? writeAdvert(process.cwd(), { pid: process.pid, url: local.url, hosts: [...local.hosts], passwords }) : () => undefined;
  const sig = await untilSignal();
  process.stderr.write(`exchange-bot: ${sig}, stopping\n`);
  unadvertise();
  await local.stop();
  return 0;
}
