// The probe benchmark's healthy peers in a process of their own, as a real mail server is: started by
// bench/probe.ts, it prints one JSON line with the ports and stops when its standard input closes.
import { startImapPeer } from "../src/local/imap-peers.js";
import { startPop3Peer } from "../src/local/pop3-peers.js";
import { startSmtpPeer } from "../src/local/smtp-peers.js";

const password = process.env.BENCH_PEER_PASSWORD ?? "";
const [pop3, smtp, imap] = await Promise.all([
  startPop3Peer("healthy", { password }),
  startSmtpPeer("smtp-healthy", { password }),
  startImapPeer({ password }),
]);
process.stdout.write(`${JSON.stringify({ pop3: pop3.port, smtp: smtp.port, imap: imap.port })}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void Promise.all([pop3.stop(), smtp.stop(), imap.stop()]).then(() => process.exit(0));
});
