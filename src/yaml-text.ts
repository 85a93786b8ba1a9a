// YAML written by people (the probe hosts file), parsed one way: duplicate keys refused, aliases bounded, and a
// failure reduced to the parser's first line.
import { parse as parseYaml } from "yaml";

/** Parsed YAML, or the parser's first line of complaint after "YAML does not parse: ". */
export function parseYamlText(text: string): { data: unknown } | { error: string } {
  try {
    return { data: parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 }) };
  } catch (err) {
    return { error: `YAML does not parse: ${(err instanceof Error ? err.message : String(err)).split("\n")[0] ?? ""}` };
  }
}
