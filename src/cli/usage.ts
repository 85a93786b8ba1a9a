/** A mistake in how the command was called: exit 2 with a one-line message. */
export class CliUsageError extends Error {
  override name = "CliUsageError";
  /** Said instead of "Run 'exchange-bot help …'" when the message itself says what to do. */
  readonly selfExplained: boolean;
  constructor(message: string, selfExplained = false) {
    super(message);
    this.selfExplained = selfExplained;
  }
}

export function usageError(message: string, opts: { selfExplained?: boolean } = {}): CliUsageError {
  return new CliUsageError(message, opts.selfExplained ?? false);
}
