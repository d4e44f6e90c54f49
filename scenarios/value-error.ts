/**
 * The one error the scenario-language parsers (units, distributions, arrivals) throw. It carries only
 * a human message: the loader knows where the value sits in the file and wraps it into a located
 * `ScenarioIssue`, so these small parsers stay independent of YAML and zod.
 */

/** A value written in the scenario language could not be understood. */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}
