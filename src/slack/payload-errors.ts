// Bolt reads `user.id` (and `view`, `event`) from a payload before any middleware runs, so a signed payload
// without them throws inside Bolt, and Bolt's default answer is a bare 500 with nothing in our log. Over HTTP
// such a payload gets 400 naming what is missing, and every error Bolt raises while it processes an event
// gets one log line; in Socket Mode it is acked with a log line. The content of the payload is never logged.
import {
  defaultProcessEventErrorHandler,
  HTTPModuleFunctions,
  type BufferedIncomingMessage,
  type ReceiverProcessEventErrorHandlerArgs,
  type SocketModeReceiverProcessEventErrorHandlerArgs,
} from "@slack/bolt";
import type { LogSink } from "./services.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a payload lacks that Bolt needs before our code sees it, or undefined when it has it all. */
export function payloadProblem(body: unknown): string | undefined {
  if (!isObject(body)) return "not a JSON object";
  // Slash commands carry flat fields (user_id may be absent: Bolt copes); events carry `event`.
  if (typeof body.command === "string") return undefined;
  if (body.type === "event_callback") return isObject(body.event) ? undefined : "no event";
  if (typeof body.type !== "string") return "no type";
  // Everything else Bolt routes (block_actions, view_submission, shortcut, ...) is something a person did.
  if (!isObject(body.user) || typeof body.user.id !== "string") return "no user";
  if ((body.type === "view_submission" || body.type === "view_closed") && !isObject(body.view)) return "no view";
  return undefined;
}

function parsedBody(request: ReceiverProcessEventErrorHandlerArgs["request"]): unknown {
  try {
    return HTTPModuleFunctions.parseHTTPRequestBody(request as BufferedIncomingMessage);
  } catch {
    return undefined;
  }
}

export function processEventErrors(log: LogSink): (args: ReceiverProcessEventErrorHandlerArgs) => Promise<boolean> {
  return async (args) => {
    const { error, request, response } = args;
    const problem = response.headersSent ? undefined : payloadProblem(parsedBody(request));
    if (problem === undefined) {
      log({ event: "error", where: "receiver", error: error.message.slice(0, 200), ...("code" in error ? { code: error.code } : {}) });
      return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
    }
    log({ event: "http_refused", reason: "malformed_payload", problem, status: 400 });
    response.writeHead(400, { "content-type": "text/plain" });
    response.end(`malformed Slack payload: ${problem}\n`);
    return true;
  };
}

/**
 * The same in Socket Mode: a payload Bolt cannot read is acked (Slack would only send it again, and it will
 * never be readable) with one log line; any other error keeps Bolt's default (logged, not acked).
 */
export function socketEventErrors(log: LogSink): (args: SocketModeReceiverProcessEventErrorHandlerArgs) => Promise<boolean> {
  return async (args) => {
    const problem = payloadProblem(args.event.body);
    if (problem === undefined) return defaultProcessEventErrorHandler(args);
    log({ event: "socket_refused", reason: "malformed_payload", problem });
    return true;
  };
}
