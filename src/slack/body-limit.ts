// Bolt's receiver reads a request body whole, of any size, before it checks the signature: an unsigned
// 100 MB POST would cost memory and seconds. Slack's own requests are small and always carry Content-Length.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Puts a size check in front of the server's request listener(s). */
export function limitBodies(server: Server, max = MAX_BODY_BYTES): void {
  const inner = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "POST") {
      const declared = req.headers["content-length"];
      const refuse = (status: number, why: string) => {
        res.writeHead(status, { "content-type": "text/plain", connection: "close" });
        res.end(`${why}\n`);
        req.resume();
      };
      if (declared === undefined) return refuse(411, "Content-Length required");
      const n = Number(declared);
      if (!Number.isSafeInteger(n) || n < 0) return refuse(400, "bad Content-Length");
      if (n > max) return refuse(413, `request body over ${max} bytes`);
    }
    for (const l of inner) l(req, res);
  });
}
