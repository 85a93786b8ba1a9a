// Local mode over Socket Mode (LOCAL_TRANSPORT=socket): the bot has no HTTP server of its own then (only
// /healthz on a free port), so the page's routes get this small server, on PORT, with /healthz answering
// for the bot. Routes are Bolt CustomRoutes, as in HTTP mode; a `:name` segment is handed over in req.params.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { CustomRoute } from "@slack/bolt";
import { healthzRoute, type Health } from "../slack/healthz.js";
import { send } from "./http.js";

export interface PageServer {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, w] of want.entries()) {
    const g = got[i] ?? "";
    if (w.startsWith(":")) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return undefined;
  }
  return params;
}

export async function startPageServer(o: { routes: CustomRoute[]; health: () => Health; port: number; host: string }): Promise<PageServer> {
  const routes = [healthzRoute(o.health), ...o.routes];
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    for (const r of routes) {
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      const params = methods.includes(req.method ?? "") ? match(r.path, path) : undefined;
      if (!params) continue;
      (req as IncomingMessage & { params?: Record<string, string> }).params = params;
      return void r.handler(req as Parameters<CustomRoute["handler"]>[0], res);
    }
    send(res, 404, { ok: false, error: "not_found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
