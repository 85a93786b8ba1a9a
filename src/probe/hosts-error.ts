// A probe hosts file that is missing or broken, said with the file, the entry and the field.
export class ProbeHostsError extends Error {
  override name = "ProbeHostsError";
  constructor(
    message: string,
    /** "missing" lets callers (local mode) fall back when no file exists; anything else is a broken file. */
    readonly reason: "missing" | "invalid",
  ) {
    super(message);
  }
}
