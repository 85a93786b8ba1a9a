// A signed request can be captured and sent again inside Slack's 5-minute window. Events carry an event_id
// (claimed per message in events/messages.ts); slash commands and clicks carry a trigger_id Slack never reuses,
// so a second request with the same trigger_id is a replay: acked, and nothing runs.
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { BotServices } from "./services.js";

export function dropReplays(svc: BotServices): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const trigger = (args.body as { trigger_id?: unknown }).trigger_id;
    if (typeof trigger === "string" && trigger && !(await svc.claims.first(`trigger/${trigger}`))) {
      svc.log({ event: "replay_dropped", type: String((args.body as { type?: unknown; command?: unknown }).type ?? "command") });
      if ("ack" in args && typeof args.ack === "function") await (args.ack as () => Promise<void>)();
      return;
    }
    await args.next();
  };
}
