// The Bolt app: a real App over the HTTP receiver (POST /slack/events) or Socket Mode, with the core passed in.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type CustomRoute, type Logger, type webApi } from "@slack/bolt";
import type { LogLevelName } from "../config.js";
import { registerArticleActions } from "./actions/articles.js";
import { registerDetailsAction } from "./actions/details.js";
import { registerShareAction } from "./actions/share.js";
import { registerExplainShortcut } from "./shortcuts/explain.js";
import { registerFeedbackActions } from "./actions/feedback.js";
import { registerFeedbackReason } from "./views/feedback-reason.js";
import { MemoryFeedbackStore } from "../state/feedback.js";
import { registerProbeAction } from "./actions/probe.js";
import { registerExchangeCommand } from "./commands/exchange.js";
import { registerMessageEvents } from "./events/messages.js";
import { memoryState } from "../state/memory.js";
import { logger, redactText } from "../log.js";
import type { SharedState } from "../state/types.js";
import { limitBodies, MAX_CONNECTIONS, serverOptions, type RequestGuard, type RequestGuardOptions } from "./body-limit.js";
import { BotClaims, DEFAULT_TIMINGS, type ClaimTimings } from "./claims.js";
import { guardClicks } from "./click-guard.js";
import { SlackAuthError } from "./errors.js";
import { healthzRoute, startHealthzServer, type Health, type HealthzServer } from "./healthz.js";
import { payloadProblem, processEventErrors, socketEventErrors } from "./payload-errors.js";
import { slackErrorCode } from "./post.js";
import { dropReplays } from "./replay.js";
import { stdoutLog, type BotServices } from "./services.js";
import { superviseSocketMode, type SocketLink, type SocketLinkOptions } from "./socket-link.js";

export interface SlackBotOptions extends Pick<BotServices, "knowledge" | "probe">, Partial<Omit<BotServices, "knowledge" | "probe" | "claims" | "feedback">> {
  botToken: string;
  /** HTTP mode: requests to POST /slack/events are verified with it. */
  signingSecret?: string;
  /** Socket Mode: set it and the app connects out instead of listening for Slack. */
  appToken?: string;
  /** Web API base URL (SLACK_API_URL), e.g. the local stand-in. */
  slackApiUrl?: string;
  /** HTTP mode: port to listen on; Socket Mode: port of the /healthz server. 0 picks a free one; default 3000. */
  port?: number;
  /** Address to listen on (either mode); unset, every interface. */
  host?: string;
  logLevel?: LogLevelName;
  /** Merged over our WebClient defaults (tests shorten the retry policy). */
  clientOptions?: webApi.WebClientOptions;
  /** More routes on the same HTTP server (local mode's page); HTTP mode only. */
  customRoutes?: CustomRoute[];
  /** Shared state (claims, feedback trail; /healthz reports it degraded); in-process when not given. The caller closes it. */
  state?: SharedState;
  /** How long claims last and how long a delivery follows another's work (tests shorten them). */
  claimTimings?: ClaimTimings;
  /** HTTP mode: bounds for request bodies and connections. */
  requestGuard?: Omit<RequestGuardOptions, "log">;
  /** Socket Mode: reconnect back-off bounds. */
  socketBackoff?: Pick<SocketLinkOptions, "minBackoffMs" | "maxBackoffMs">;
}

export interface SlackBot {
  readonly app: App;
  readonly mode: "http" | "socket";
  readonly services: BotServices;
  /** Verifies the token (auth.test), then listens (and, in Socket Mode, connects). Resolves with the bound address once ready. */
  start(): Promise<{ port: number; address: string }>;
  stop(): Promise<void>;
  /** Resolves (never rejects) if the bot can no longer work, e.g. Slack refused the app token on reconnect. */
  readonly failed: Promise<Error>;
  /** HTTP mode, once started: what the request guard holds. */
  readonly requestGuard: RequestGuard | undefined;
  /** What /healthz reports. */
  health(): Health;
}

const LEVELS: Record<LogLevelName, LogLevel> = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR };

/** Bolt's logger, through ours (component "bolt"); a Slack token in a library's message text is masked too. */
function redactingLogger(level: LogLevel): Logger {
  const text = (args: unknown[]): string => redactText(args.map((a) => (typeof a === "string" ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(" "));
  let current = level;
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  const on = (l: LogLevel): boolean => order.indexOf(l) >= order.indexOf(current);
  let name = "exchange-bot";
  const bolt = logger("bolt");
  return {
    debug: (...a: unknown[]) => void (on(LogLevel.DEBUG) && bolt.debug({ name, msg: text(a) })),
    info: (...a: unknown[]) => void (on(LogLevel.INFO) && bolt.info({ name, msg: text(a) })),
    warn: (...a: unknown[]) => void (on(LogLevel.WARN) && bolt.warn({ name, msg: text(a) })),
    error: (...a: unknown[]) => void (on(LogLevel.ERROR) && bolt.error({ name, msg: text(a) })),
    setLevel: (l: LogLevel) => void (current = l),
    getLevel: () => current,
    setName: (n: string) => void (name = n),
  };
}

export function createSlackBot(opts: SlackBotOptions): SlackBot {
  const state = opts.state ?? memoryState();
  const services: BotServices = {
    knowledge: opts.knowledge,
    probe: opts.probe,
    log: opts.log ?? stdoutLog,
    command: opts.command ?? "/exchange",
    claims: new BotClaims(state.claims, opts.claimTimings ?? DEFAULT_TIMINGS, state),
    feedback: state.feedback,
    // Tests and embedders that give none keep it in memory; the modes give the DATA_DIR file, or Redis's store.
    feedbackStore: opts.feedbackStore ?? new MemoryFeedbackStore(),
  };
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => (fail = resolve));
  let link: SocketLink | undefined;
  let installedTeam: string | undefined;
  const logLevel = LEVELS[opts.logLevel ?? "info"];
  const logger = redactingLogger(logLevel);
  let ready = false;
  const health = (): Health => ({ started: ready, degraded: state.degraded(), socketDownSince: link?.connected === false ? (link.downSince ?? 0) : undefined });
  const clientOptions: webApi.WebClientOptions = {
    // Retry a failed call within about a minute: enough to ride out rate limits and brief outages without
    // losing an answer, short enough that a late answer still helps.
    retryConfig: { retries: 10, factor: 2, minTimeout: 500, maxTimeout: 8000, randomize: true },
    logLevel: LogLevel.WARN,
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
    ...opts.clientOptions,
  };

  let mode: "http" | "socket";
  let receiver: HTTPReceiver | SocketModeReceiver;
  if (opts.appToken) {
    mode = "socket";
    // No customRoutes here: given any, Bolt starts an HTTP server whose listen errors nothing handles.
    // /healthz gets a server of our own in start().
    if (opts.customRoutes?.length) throw new Error("createSlackBot: customRoutes are served in HTTP mode only");
    // The Socket Mode client has a WebClient of its own (for apps.connections.open): it needs SLACK_API_URL too.
    const socketClient: webApi.WebClientOptions = { logLevel: LogLevel.WARN, ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}) };
    const socketReceiver = new SocketModeReceiver({
      appToken: opts.appToken,
      logger,
      installerOptions: { clientOptions: socketClient },
      // A payload Bolt cannot read (no user, no event) is acked with a log line, not left for Slack to resend.
      processEventErrorHandler: socketEventErrors(services.log),
    });
    link = superviseSocketMode(socketReceiver, { ...opts.socketBackoff, log: services.log, onFatal: (msg) => fail(new Error(msg)) });
    receiver = socketReceiver;
  } else {
    if (!opts.signingSecret) throw new Error("createSlackBot: HTTP mode needs signingSecret (or give appToken for Socket Mode)");
    mode = "http";
    receiver = new HTTPReceiver({
      signingSecret: opts.signingSecret,
      endpoints: "/slack/events",
      customRoutes: [healthzRoute(health), ...(opts.customRoutes ?? [])],
      // Ack first, work after: Slack gets its 200 before the matcher or the Web API is touched.
      processBeforeResponse: false,
      // A payload Bolt cannot read (no user, no event) is a 400 with a log line, not a bare 500.
      processEventErrorHandler: processEventErrors(services.log),
      logger,
    });
  }
  const app = new App({
    receiver,
    token: opts.botToken,
    logger,
    logLevel,
    clientOptions,
    deferInitialization: true,
    // No conversation state is kept between messages; Bolt's default store would cost time on every event.
    convoStore: false,
  });
  // An event_callback with no `event` at all is dropped by Bolt without a word, and the HTTP receiver answers
  // 404 only after its 3 s wait. Refused here, it takes the error path: 400 naming what is missing, at once.
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    if (payloadProblem(event.body) === "no event") throw new Error("malformed Slack payload: no event");
    return processEvent(event);
  };
  app.error(async (err) => {
    services.log({ event: "error", where: "listener", error: err.message, code: slackErrorCode(err.original ?? err) ?? err.code });
  });
  app.use(guardClicks(services, () => installedTeam));
  app.use(dropReplays(services));
  registerExchangeCommand(app, services);
  registerMessageEvents(app, services);
  registerProbeAction(app, services);
  registerFeedbackActions(app, services);
  registerFeedbackReason(app, services);
  registerArticleActions(app, services);
  registerDetailsAction(app, services);
  registerShareAction(app, services);
  registerExplainShortcut(app, services);

  let server: Server | undefined;
  let healthz: HealthzServer | undefined;
  let guard: RequestGuard | undefined;
  return {
    app,
    mode,
    services,
    failed,
    health,
    get requestGuard() {
      return guard;
    },
    async start() {
      try {
        await app.init();
      } catch (err) {
        const code = slackErrorCode((err as { original?: unknown }).original ?? err) ?? (err instanceof Error ? err.message : String(err));
        const kind = (err as { code?: unknown }).code;
        if (kind === "slack_webapi_request_error" || kind === "slack_webapi_http_error")
          throw new SlackAuthError(`could not reach the Slack Web API${opts.slackApiUrl ? ` at SLACK_API_URL (${opts.slackApiUrl})` : ""} to check SLACK_BOT_TOKEN (auth.test: ${code})`);
        throw new SlackAuthError(`Slack did not accept SLACK_BOT_TOKEN (auth.test: ${code}). Check the token, and SLACK_API_URL if set.`);
      }
      // The workspace the bot is installed in: clicks from any other team (Slack Connect) are refused.
      installedTeam = ((await app.client.auth.test().catch(() => ({}))) as { team_id?: string }).team_id;
      let bound: AddressInfo;
      if (receiver instanceof HTTPReceiver) {
        // A burst of new connections (a thousand people, or Slack's retries after a pause) must wait in the
        // kernel's accept queue, not be dropped: Node's default backlog of 511 makes the rest retry their SYN
        // after a second. As deep as the connection cap the request guard sets. The header deadline is the
        // server's, given at creation (serverOptions).
        const listen = { port: opts.port ?? 3000, backlog: MAX_CONNECTIONS, ...(opts.host ? { host: opts.host } : {}) };
        server = (await receiver.start(listen, serverOptions(opts.requestGuard))) as Server;
        guard = limitBodies(server, { ...opts.requestGuard, log: services.log });
        bound = server.address() as AddressInfo;
      } else {
        // Listen first: a busy port fails start-up before a Socket Mode connection is opened.
        healthz = await startHealthzServer({
          port: opts.port ?? 3000,
          ...(opts.host ? { host: opts.host } : {}),
          health,
          onError: (err) => logger.warn(`/healthz server: ${err.message}`),
        });
        bound = healthz.address;
        try {
          await app.start();
        } catch (err) {
          await healthz.close();
          healthz = undefined;
          throw err;
        }
      }
      ready = true;
      return { port: bound.port, address: bound.address };
    },
    async stop() {
      ready = false;
      if (receiver instanceof HTTPReceiver) {
        server?.closeAllConnections();
        await receiver.stop().catch(() => undefined);
      } else {
        await healthz?.close();
        healthz = undefined;
        // A client in the middle of reconnecting may never report that it stopped; do not wait on it forever.
        await Promise.race([app.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
      }
    },
  };
}
