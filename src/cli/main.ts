// Subcommands are imported lazily so `exchange-bot lookup` never pays for loading Bolt or TLS; the help pages
// too, so a monitoring check (thousands a minute) does not read them.
import { versionLine } from "./version.js";
import { usageError, CliUsageError } from "./usage.js";

const HELP = `exchange-bot: Exchange error lookup, POP3/SMTP/IMAP probes and the Slack bot

Usage:
  exchange-bot lookup [--mode command|channel] [--json] [TEXT...]   look up an error (TEXT or stdin)
  exchange-bot lookup --jsonl                                       one {"text","mode"} per input line
  exchange-bot eval FILE.jsonl                                      score a case file, print each miss
  exchange-bot kb list | kb lint [DIR]                              list or check the knowledge base
  exchange-bot kb new ID [--from FILE|-] [--title TEXT]             start an article (from a pasted event)
  exchange-bot kb stats [--json]                                    per article: answers, votes, reasons, probes
  exchange-bot probe NAME [--json | --format text|json|nagios]      probe a named host (probe-hosts.yml)
  exchange-bot probe HOST[:PORT] [--protocol pop3|smtp|imap] [--tls none|starttls|implicit] [--user U] [--password-env VAR]
                     [--mail-from ADDR] [--rcpt-to ADDR] [--tls-insecure] [--ca FILE] [--timeout MS] [--json]
  exchange-bot probe NAME|HOST[:PORT] --format nagios [-w SECONDS] [-c SECONDS] [--cert-days WARN,CRIT]
                                                                    monitoring plugin: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
  exchange-bot triage FILE... [--json] [--since ISO-DATE] [--top N] known faults in exported event logs (exit 1 if any)
  exchange-bot start                                                run the bot (Slack, or local mode without tokens)
  exchange-bot help COMMAND | COMMAND --help                        a command's options, examples and exit codes
  exchange-bot --version                                            the version
`;


/** The command being run, for "Run 'exchange-bot help lookup'" after a usage error. */
let running: string | undefined;

type Handler = (args: string[]) => Promise<number>;

const help = async (): Promise<(name: string) => string | undefined> => (await import("./help.js")).commandHelp;

const commands: Record<string, () => Promise<Handler>> = {
  lookup: async () => (await import("./lookup.js")).lookupCommand,
  eval: async () => (await import("./eval.js")).evalCommand,
  kb: async () => (await import("./kb.js")).kbCommand,
  probe: async () => (await import("./probe.js")).probeCommand,
  triage: async () => (await import("./triage.js")).triageCommand,
  start: async () => (await import("./start.js")).startCommand,
};

async function main(argv: string[]): Promise<number> {
  // `exchange-bot kb list | head`: a reader that stops early is not an error, so end quietly.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V" || name === "version") {
    process.stdout.write(versionLine());
    return 0;
  }
  if (name === "help" && rest[0] !== undefined) {
    const page = (await help())(rest[0]);
    if (page) return process.stdout.write(page), 0;
    if (rest[0] === "start") return (await commands.start!())(["--help"]);
    throw usageError(`no command '${rest[0].slice(0, 40)}' (commands: ${Object.keys(commands).join(", ")})`);
  }
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) throw usageError(`unknown command '${name.slice(0, 40)}' (commands: ${Object.keys(commands).join(", ")})`);
  running = name;
  // A probe is one short process (a monitoring system starts thousands a minute). V8's optimising compiler can
  // only cost it: it starts on Node's own path functions while the modules load, for 4 MB more RSS and no gain.
  if (name === "probe") (await import("node:v8")).setFlagsFromString("--no-opt");
  // `start` explains its own configuration; the others have a page each.
  if (name !== "start" && (rest.includes("--help") || rest.includes("-h"))) {
    process.stdout.write((await help())(name) ?? HELP);
    return 0;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (err: unknown) => {
    if (err instanceof CliUsageError) {
      const commandHelp = await help();
      const hint = err.selfExplained ? "" : `Run 'exchange-bot help${running && commandHelp(running) ? ` ${running}` : ""}' for usage.\n`;
      process.stderr.write(`exchange-bot: ${err.message}\n${hint}`);
      process.exitCode = 2;
      return;
    }
    // Known errors carry a message meant for people; anything else is a bug, but still no stack trace by default.
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`exchange-bot: ${msg}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
    process.exitCode = 1;
  },
);
