import type { JobDefinition } from '@helixgate/contracts';

/**
 * A_A's endpoint strings and parameter membership rule.
 *
 * Sources: AnalyticsAutomated/analytics_automated analytics_automated/api.py @ 950c0b79 (class `Endpoints`,
 * `__assess_param_membership`), analytics_automated/models.py (`Parameter.save()` stores
 * `rest_alias = str(self.task) + "_" + self.rest_alias`), tests/test_api_requests.py (`EndpointListTests`).
 */

/** The parts of a job definition these functions read; a `JobDefinition` is one. */
export interface AliasedJob {
  readonly name: string;
  readonly steps: ReadonlyArray<{
    readonly order: number;
    readonly task: {
      readonly name: string;
      readonly parameters: ReadonlyArray<{ readonly name: string; readonly boolValued: boolean }>;
    };
  }>;
}

type Extends<A extends B, B> = A;
/** A JobDefinition is an AliasedJob: this fails to compile the day one stops being one. */
export type AliasedJobDefinition = Extends<JobDefinition, AliasedJob>;

/** A_A's rest_alias of a task's parameter: `<task name>_<parameter name>`, e.g. `task1_this`. */
export function restAlias(
  task: { readonly name: string } | string,
  parameter: { readonly name: string } | string,
): string {
  return `${typeof task === 'string' ? task : task.name}_${typeof parameter === 'string' ? parameter : parameter.name}`;
}

/**
 * The steps in A_A's order: by `ordering` (Django `order_by=['ordering']`); steps sharing an order keep their
 * order in the definition (A_A leaves ties to the database).
 */
function orderedSteps(definition: AliasedJob): AliasedJob['steps'] {
  return definition.steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.order - b.step.order || a.index - b.index)
    .map(({ step }) => step);
}

/**
 * The string A_A's `GET endpoints/` lists for a job:
 * `"/submission/&job=" + name + "&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]"`, then for
 * each step in order and each parameter of its task `&<alias>=[TRUE/FALSE]` (boolean) or `&<alias>=[VALUE]`.
 * A task used by two steps lists its parameters twice, as in A_A.
 */
export function endpointString(definition: AliasedJob): string {
  let uri = `/submission/&job=${definition.name}&submission_name=[STRING]&email=[EMAIL_STRING]&input_data=[FILE]`;
  for (const step of orderedSteps(definition)) {
    for (const parameter of step.task.parameters) {
      uri += `&${restAlias(step.task, parameter)}=${parameter.boolValued ? '[TRUE/FALSE]' : '[VALUE]'}`;
    }
  }
  return uri;
}

/** The body of A_A's `GET endpoints/`: `{"jobs": [<endpointString per job>]}` (A_A lists every job, runnable or not). */
export function endpointsBody(definitions: readonly AliasedJob[]): { jobs: string[] } {
  return { jobs: definitions.map(endpointString) };
}

/**
 * Every rest_alias of every step's task, in endpoint order without repeats. A_A requires each of them as a form
 * field on POST, booleans and parameters with defaults included; extra fields are ignored.
 */
export function requiredParameters(definition: AliasedJob): string[] {
  const aliases: string[] = [];
  for (const step of orderedSteps(definition)) {
    for (const parameter of step.task.parameters) {
      const alias = restAlias(step.task, parameter);
      if (!aliases.includes(alias)) aliases.push(alias);
    }
  }
  return aliases;
}

/** The required aliases absent from the submitted field names; empty when A_A's membership test passes. */
export function missingParameters(definition: AliasedJob, fieldNames: Iterable<string>): string[] {
  const present = new Set(fieldNames);
  return requiredParameters(definition).filter((alias) => !present.has(alias));
}
