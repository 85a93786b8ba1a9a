// Keeping the Socket Mode connection honest. @slack/socket-mode 2.x, left alone: retries
// apps.connections.open 100 times at 1.3x a try with no cap (13 s deaf after a 2-minute outage); keeps
// retrying after disconnect() (SIGTERM during a reconnect left the process running); and rejects a promise
// nothing handles when the app token is refused on reconnect (an unhandled rejection and a stack trace).
// This takes over how the client gets its URL and waits between tries, and reports whether it is connected.
import type { SocketModeReceiver } from "@slack/bolt";
import { slackErrorCode } from "./post.js";

/** Slack's answers to apps.connections.open that no retry will change: the app token is not (or no longer) good. */
const REFUSED = new Set(["not_authed", "invalid_auth", "account_inactive", "user_removed_from_team", "team_disabled", "token_revoked", "token_expired"]);

export interface SocketLinkOptions {
  /** First wait between tries, ms. */
  minBackoffMs?: number;
  /** Longest wait between tries, ms: how long the bot can stay deaf after Slack is back. */
  maxBackoffMs?: number;
  /** The app token was refused after the bot had been connected: one message, and the process should stop. */
  onFatal: (message: string) => void;
  /** One line when the connection is lost and one when it is back. */
  log: (rec: { event: string; [k: string]: unknown }) => void;
  now?: () => number;
}

export interface SocketLink {
  readonly connected: boolean;
  /** When the connection was last lost (ms since the epoch); undefined while connected or before the first. */
  readonly downSince: number | undefined;
}

/** The parts of SocketModeClient this reaches into (private in its types, stable in 2.x). */
interface ClientInternals {
  shuttingDown: boolean;
  numOfConsecutiveReconnectionFailures: number;
  webClient: { apps: { connections: { open(args: Record<string, never>): Promise<{ url?: string }> } } };
  retrieveWSSURL: () => Promise<string>;
  delayReconnectAttempt: (cb: () => Promise<unknown>) => Promise<unknown>;
  start: () => Promise<unknown>;
  emit(event: string, ...args: unknown[]): boolean;
  on(event: string, fn: (...args: unknown[]) => void): unknown;
}

class Stopped extends Error {}

export function superviseSocketMode(receiver: SocketModeReceiver, opts: SocketLinkOptions): SocketLink {
  const client = receiver.client as unknown as ClientInternals;
  const now = opts.now ?? Date.now;
  const min = opts.minBackoffMs ?? 1000;
  const max = opts.maxBackoffMs ?? 10_000;
  let connected = false;
  let everConnected = false;
  let downSince: number | undefined;
  let fatal = false;

  // A wait that shutting down cuts short, and that never keeps the process alive by itself.
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
    });

  client.retrieveWSSURL = async function retrieveWSSURL(): Promise<string> {
    let wait = min;
    for (;;) {
      if (client.shuttingDown) throw new Stopped("stopping");
      try {
        const resp = await client.webClient.apps.connections.open({});
        if (!resp.url) throw new Error("apps.connections.open answered without a url");
        client.numOfConsecutiveReconnectionFailures = 0;
        client.emit("authenticated", resp);
        return resp.url;
      } catch (err) {
        const code = slackErrorCode(err);
        // Before the first connection, start-up reports any failure itself; after it, only a refused token stops us.
        if (!everConnected || (code && REFUSED.has(code))) throw err;
        opts.log({ event: "socket_retry", error: code ?? (err instanceof Error ? err.message : String(err)), wait_ms: wait });
        await pause(wait);
        wait = Math.min(max, Math.round(wait * 1.5));
      }
    }
  };

  client.delayReconnectAttempt = function delayReconnectAttempt(cb: () => Promise<unknown>): Promise<unknown> {
    client.numOfConsecutiveReconnectionFailures += 1;
    const wait = Math.min(max, min * client.numOfConsecutiveReconnectionFailures);
    return pause(wait).then(async () => {
      if (client.shuttingDown) return undefined;
      client.emit("reconnecting");
      try {
        return await cb.call(client);
      } catch (err) {
        if (client.shuttingDown || err instanceof Stopped || fatal) return undefined;
        fatal = true;
        const code = slackErrorCode(err) ?? (err instanceof Error ? err.message : String(err));
        opts.onFatal(`Slack refused SLACK_APP_TOKEN when reconnecting (apps.connections.open: ${code}); the bot cannot receive anything, stopping. Check the app-level token.`);
        return undefined;
      }
    });
  };

  client.on("connected", () => {
    if (downSince !== undefined) opts.log({ event: "socket_connected", after_ms: now() - downSince });
    connected = true;
    everConnected = true;
    downSince = undefined;
  });
  const lost = (): void => {
    if (!connected) return;
    connected = false;
    downSince = now();
    if (!client.shuttingDown) opts.log({ event: "socket_lost" });
  };
  client.on("close", lost);
  client.on("disconnected", lost);
  client.on("reconnecting", lost);

  return {
    get connected() {
      return connected;
    },
    get downSince() {
      return downSince;
    },
  };
}
