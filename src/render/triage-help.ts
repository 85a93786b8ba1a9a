// `/exchange triage`: how to get a whole exported log read. Files dropped in Slack are not read yet (issue 18's
// Slack part), so this points at the command line only and says so.
import { context, section, type SlackMessage } from "./blocks.js";

export function renderTriageHelp(command = "/exchange"): SlackMessage {
  return {
    text: "How to triage an exported event log",
    blocks: [
      section(
        [
          "*Triage an exported event log*: which known faults it holds, how often, since when and on which servers.",
          "1. Export the log on the server, e.g. `wevtutil qe Application /f:xml /e:Events > app.xml`, or `Get-WinEvent -LogName Application | Export-Csv app.csv`.",
          "2. Run `exchange-bot triage app.xml` (add `--json`, `--since 2026-12-01` or `--top 5`). Event XML, Export-Csv, Event Viewer CSV or text, ConvertTo-Json and wevtutil text are read, also as .gz or .zip.",
        ].join("\n"),
      ),
      context(`Reading a file dropped in Slack is not available yet. For one event, paste it here or use \`${command} 11202\`.`),
    ],
  };
}
