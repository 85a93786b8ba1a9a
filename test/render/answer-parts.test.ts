// Steps that carry commands and paths, references as links, "See also", the Details view and who asked.
import { describe, expect, it } from "vitest";
import { lintKnowledge, parseArticle } from "../../src/knowledge/load.js";
import type { Article } from "../../src/knowledge/schema.js";
import { renderCommandAnswer, renderThreadAnswer } from "../../src/render/answer.js";
import { markdownBlocks, renderDetailsModal } from "../../src/render/details.js";
import { checkBlocks } from "../../src/local/block-check.js";

const FRONT = `---
id: T0001-ONE
title: "A test article about a connector"
products: [{ name: Test Server, versions: ["1"] }]
phrases: ["the connector refused the submission"]
symptoms: ["Mail is refused."]
cause: The account lacks the submit right on the connector it uses.
resolution:
  - Read the event for the account name.
  - step: "Open the connector's settings:"
    path: Console → Connectors → Properties
  - step: "Grant the right:"
    command: |-
      Add-ADPermission -Identity "SRV\\Conn" -User "DOM\\svc" -ExtendedRights ms-Exch-SMTP-Submit
      Get-ADPermission -Identity "SRV\\Conn" -User "DOM\\svc"
  - Send a test message again.
references:
  - Q123456
  - kb: Q654321
    url: https://kb.example.org/654321
  - title: The cmdlet's page
    url: https://docs.example.org/cmdlet
related: [T0002-TWO]
probe: { kind: none }
---
# A test article

## Why
The account **cannot** submit; see [the docs](https://docs.example.org/why) and run \`Get-Thing\`.
Wrapped lines join
into one paragraph.

\`\`\`
S: +OK ready
\`\`\`
`;
const TWO = `---
id: T0002-TWO
title: "The second test article"
products: [{ name: Test Server, versions: ["1"] }]
phrases: ["another literal error line"]
symptoms: ["Something else."]
cause: Something else entirely causes the second fault.
resolution: ["Do the other thing."]
probe: { kind: none }
---
The second article's body, long enough.
`;

function load(): Article[] {
  const out = [parseArticle("one.md", FRONT), parseArticle("two.md", TWO)];
  for (const r of out) expect(r.problems).toEqual([]);
  return out.map((r) => r.article!);
}

function json(x: unknown): string {
  return JSON.stringify(x);
}

describe("steps with commands and paths", () => {
  it("the schema keeps each step's text in resolution and its command or path in steps", () => {
    const [a] = load();
    expect(a!.resolution).toEqual(["Read the event for the account name.", "Open the connector's settings:", "Grant the right:", "Send a test message again."]);
    expect(a!.steps![1]).toEqual({ text: "Open the connector's settings:", path: "Console → Connectors → Properties" });
    expect(a!.steps![2]!.command).toContain("-ExtendedRights ms-Exch-SMTP-Submit\nGet-ADPermission");
    expect(a!.references).toEqual(["Q123456", "Q654321"]);
    expect(a!.links).toEqual([
      { label: "Q654321", url: "https://kb.example.org/654321" },
      { label: "The cmdlet's page", url: "https://docs.example.org/cmdlet" },
    ]);
  });

  it("a step object without a command or path, and a reference link that is not https, are named errors", () => {
    const bad = FRONT.replace('command: |-', "nothing: |-").replace("https://kb.example.org/654321", "http://kb.example.org/654321");
    const { problems } = parseArticle("bad.md", bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: "bad.md", field: "resolution.2", message: "a step written as an object needs a command or a path (or write it as plain text)" }),
        expect.objectContaining({ file: "bad.md", field: "references.1.url", message: "must be an https:// address without spaces, '<', '>' or '|'" }),
      ]),
    );
  });

  it("renders a path as inline code in its step and a command as a code block under it, numbering carried on", () => {
    const [a] = load();
    const { thread } = renderCommandAnswer({ article: a!, score: 0.9, evidence: [] }, []);
    const blocks = thread.flatMap((m) => m.blocks) as Record<string, any>[];
    const lists = blocks.filter((b) => b.type === "rich_text" && b.elements[0].type === "rich_text_list");
    expect(lists.map((l) => l.elements[0].offset)).toEqual([0, 3]);
    expect(lists[0]!.elements[0].elements[1].elements).toEqual([
      { type: "text", text: "Open the connector's settings:" },
      { type: "text", text: " " },
      { type: "text", text: "Console → Connectors → Properties", style: { code: true } },
    ]);
    const code = blocks.find((b) => b.type === "rich_text" && b.elements[0].type === "rich_text_preformatted");
    expect(code!.elements[0].elements[0].text).toBe('Add-ADPermission -Identity "SRV\\Conn" -User "DOM\\svc" -ExtendedRights ms-Exch-SMTP-Submit\nGet-ADPermission -Identity "SRV\\Conn" -User "DOM\\svc"');
    for (const m of thread) expect(checkBlocks(m.blocks)).toEqual([]);
  });
});

describe("the answer's head", () => {
  it("links KB numbers and titled references the article gives, lists related articles as See also, and says who asked what", () => {
    const [a, b] = load();
    const byId = (id: string) => [a!, b!].find((x) => x.id === id);
    const { parent } = renderCommandAnswer({ article: a!, score: 0.9, evidence: [] }, [], undefined, { byId, asked: { userId: "UANA1", command: "/exchange", text: "connector <!channel>" } });
    const s = json(parent.blocks);
    expect(s).toContain("KB Q123456, <https://kb.example.org/654321|Q654321>");
    expect(s).toContain("References: <https://docs.example.org/cmdlet|The cmdlet's page>");
    expect(s).toContain("See also: *T0002-TWO* The second test article");
    expect(parent.blocks[0]).toEqual({ type: "context", block_id: "asked", elements: [{ type: "mrkdwn", text: "<@UANA1>: `/exchange connector &lt;!channel&gt;`" }] });
    expect(s).toContain('"action_id":"details:0","value":"T0001-ONE"');
  });

  it("a pasted error's answer in a thread has the Details button too, and no 'who asked' line", () => {
    const [a] = load();
    const msgs = renderThreadAnswer({ article: a!, score: 0.9, evidence: [] }, []);
    expect(json(msgs)).toContain('"action_id":"details:0"');
    expect(json(msgs)).not.toContain('"block_id":"asked"');
  });
});

describe("the Details view", () => {
  it("turns the Markdown body into mrkdwn: headings bold, wrapped lines joined, links and code kept, title dropped", () => {
    const [a] = load();
    const blocks = markdownBlocks(a!.body) as Record<string, any>[];
    expect(blocks.map((b) => b.text.text)).toEqual([
      "*Why*\nThe account *cannot* submit; see <https://docs.example.org/why|the docs> and run `Get-Thing`. Wrapped lines join into one paragraph.",
      "```\nS: +OK ready\n```",
    ]);
  });

  it("is a modal titled within Slack's 24 characters, holding the title, identifiers and body", () => {
    const [a] = load();
    const v = renderDetailsModal(a!);
    expect(v.type).toBe("modal");
    expect(v.title.text.length).toBeLessThanOrEqual(24);
    expect(v.private_metadata).toBe("T0001-ONE");
    expect(json(v.blocks)).toContain("A test article about a connector");
    expect(json(v.blocks)).toContain("S: +OK ready");
  });

  it("the shipped articles' bodies no longer repeat their resolution under a Fix heading", () => {
    for (const a of lintKnowledge().articles) expect(a.body, a.id).not.toMatch(/^## Fix/m);
  });
});
