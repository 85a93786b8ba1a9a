// Small HTTP helpers for the channel page's routes: errors people can read, JSON answers that are never
// cached, and bounded JSON bodies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, send } from "./http.js";

/** Largest body the page may POST. */
export const MAX_BODY_BYTES = 512 * 1024;

/** A failure the page shows as is: `status` and words for people. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, body, { "cache-control": "no-store" });
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) throw new HttpError(413, `That is more than ${MAX_BODY_BYTES / 1024} KB.`);
  try {
    const v: unknown = JSON.parse(body);
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("not an object");
    return v as Record<string, unknown>;
  } catch {
    throw new HttpError(400, "The request body is not a JSON object.");
  }
}

