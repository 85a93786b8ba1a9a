/** auth.test failed at start-up: Slack refused the bot token, or its Web API could not be reached. The message is meant for people. */
export class SlackAuthError extends Error {
  override name = "SlackAuthError";
}
