// Choosing the store at start-up: in-process when REDIS_URL is unset; Redis when it is set, and then Redis
// must answer before the bot starts (a replica that silently kept its own state would answer twice).
import { Redis } from "ioredis";
import { DegradingState } from "./degrading.js";
import type { RedisFeedbackOptions } from "./feedback-redis.js";
import { LineSink, memoryState, quietFeedbackTrail } from "./memory.js";
import type { SharedState, TrailSink } from "./types.js";

export const DEFAULT_REDIS_PREFIX = "exchange-bot:";

/** Redis named by REDIS_URL did not answer at start-up: the message names REDIS_URL and never its password. */
export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
}

export interface OpenStateOptions {
  /** REDIS_URL; unset or empty means in-process state. */
  redisUrl?: string | undefined;
  /** REDIS_PREFIX: put before every key, so bots can share one Redis. */
  prefix?: string | undefined;
  log: (rec: { event: string; [k: string]: unknown }) => void;
  audit?: TrailSink;
  feedback?: TrailSink;
  /** How long start-up waits for Redis. */
  connectTimeoutMs?: number;
  /** Per-command timeout: a Redis that stops answering degrades the bot after this, instead of stalling it. */
  commandTimeoutMs?: number;
  checkEveryMs?: number;
  /** How much feedback Redis keeps; the defaults are in feedback-redis.ts. */
  feedbackStore?: RedisFeedbackOptions;
}

/** The URL with any password replaced, fit for a message or a log line. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return "(not a URL)";
  }
}

export interface ConnectOptions {
  prefix?: string | undefined;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

/**
 * A client for REDIS_URL that has answered PING, keys under `prefix`; or RedisUnavailableError naming
 * REDIS_URL (never its password). Used by the bot at start-up and by `kb stats`.
 */
export async function connectRedis(url: string, opts: ConnectOptions = {}): Promise<Redis> {
  const shown = redactRedisUrl(url);
  if (!/^rediss?:\/\//.test(url)) throw new RedisUnavailableError(`REDIS_URL must be a redis:// or rediss:// URL, not ${shown}`);
  const redis = new Redis(url, {
    keyPrefix: opts.prefix ?? DEFAULT_REDIS_PREFIX,
    lazyConnect: true,
    // Fail a command at once while disconnected (and fall back to in-process state) rather than queue it.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: opts.connectTimeoutMs ?? 3000,
    commandTimeout: opts.commandTimeoutMs ?? 1000,
    // Keep trying to come back, at most every 2 s.
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  let firstError: string | undefined;
  redis.on("error", (err: Error) => void (firstError ??= err.message));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    const why = firstError ?? (err instanceof Error ? err.message : String(err));
    throw new RedisUnavailableError(`could not reach Redis at REDIS_URL (${shown}): ${why}`);
  }
  return redis;
}

export async function openState(opts: OpenStateOptions): Promise<SharedState> {
  const audit = opts.audit ?? new LineSink();
  const feedback = opts.feedback ?? quietFeedbackTrail();
  if (!opts.redisUrl) return memoryState({ audit, feedback });
  const redis = await connectRedis(opts.redisUrl, opts);
  return new DegradingState(redis, {
    log: opts.log,
    audit,
    feedback,
    ...(opts.checkEveryMs ? { checkEveryMs: opts.checkEveryMs } : {}),
    ...(opts.feedbackStore ? { feedbackStore: opts.feedbackStore } : {}),
  });
}
