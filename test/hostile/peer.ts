// A hostile POP3 server for the security tests: it answers every command with lines the test chooses, so a
// test can make it echo the password altered or send terminal control sequences.
import { createServer, type Server } from "node:net";

export interface HostilePeer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** `reply(command)` gives the lines sent back to one client line (the greeting is asked with ""). */
export function startHostilePop3(reply: (line: string) => string[]): Promise<HostilePeer> {
  const server: Server = createServer((socket) => {
    const send = (lines: string[]): void => void socket.write(lines.map((l) => `${l}\r\n`).join(""));
    send(reply(""));
    let buf = "";
    socket.on("data", (d: Buffer) => {
      buf += d.toString("utf8");
      for (let i = buf.indexOf("\r\n"); i >= 0; i = buf.indexOf("\r\n")) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        send(reply(line));
        if (/^QUIT/i.test(line)) socket.end();
      }
    });
    socket.on("error", () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const a = server.address() as { port: number };
      resolve({ host: "127.0.0.1", port: a.port, stop: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
