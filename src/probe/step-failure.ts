/** Why a probe step failed; `message` is already phrased for people. */
export class StepFailure extends Error {
  override name = "StepFailure";
  constructor(message: string) {
    super(message);
  }
}
