// Slack signs "v0:timestamp:body", and Bolt refuses a timestamp more than five minutes in the past, but not
// one in the future: a request signed a day ahead (a captured signing key, a replayed capture from a clock
// set wrong) would be answered for a day. The timestamp is checked here both ways, before the body is read.

/** How far the request's timestamp may be from our clock, either way (Slack's own rule). */
export const MAX_CLOCK_SKEW_S = 5 * 60;

/** Why a request's X-Slack-Request-Timestamp is refused, or undefined when it is absent (Bolt answers that) or near now. */
export function timestampProblem(header: string | string[] | undefined, nowMs: number = Date.now()): string | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(",") : header;
  if (!/^\d{1,12}$/.test(text.trim())) return "X-Slack-Request-Timestamp is not a number of seconds";
  const skew = Number(text) - nowMs / 1000;
  if (skew > MAX_CLOCK_SKEW_S) return "X-Slack-Request-Timestamp is more than five minutes in the future";
  if (skew < -MAX_CLOCK_SKEW_S) return "X-Slack-Request-Timestamp is more than five minutes old";
  return undefined;
}
