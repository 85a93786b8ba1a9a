/** A mistake in how the command was called: exit 2 with a one-line message. */
export class CliUsageError extends Error {
  override name = "CliUsageError";
}

export function usageError(message: string): CliUsageError {
  return new CliUsageError(message);
}
