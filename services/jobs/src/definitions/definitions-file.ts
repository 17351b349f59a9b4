import { type JobDefinition, JobDefinitionSchema } from '@helixgate/contracts';
import { describeIssues } from '@helixgate/platform';
import { parse } from 'yaml';

/**
 * Job definitions from a YAML file: a list of jobs (or `jobs:` holding one). An executable's `command` may be
 * written as a line ("blastp -query $I1 -out $O1 $P1"): it is split on whitespace into the argument vector,
 * once, here; nothing ever passes it to a shell.
 */
export function readDefinitions(text: string, source = 'definitions'): JobDefinition[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  const list = Array.isArray(document) ? document : (document as { jobs?: unknown } | null)?.jobs;
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${source}: expected a list of jobs (or jobs: [...])`);
  return list.map((job, index) => {
    const normalised = normaliseCommands(job);
    const parsed = JobDefinitionSchema.safeParse(normalised);
    if (!parsed.success) throw new Error(`${source}: job ${index + 1}: ${describeIssues(parsed.error, 'job')}`);
    const orders = parsed.data.steps.map((s) => s.task.name);
    const duplicate = orders.find((name, i) => orders.indexOf(name) !== i);
    if (duplicate)
      throw new Error(`${source}: job ${parsed.data.name}: two steps run task ${duplicate}; name each task once`);
    return parsed.data;
  });
}

function normaliseCommands(job: unknown): unknown {
  if (!job || typeof job !== 'object' || !Array.isArray((job as { steps?: unknown }).steps)) return job;
  const steps = (job as { steps: unknown[] }).steps.map((step) => {
    const task = (step as { task?: { command?: unknown } } | null)?.task;
    if (!task || typeof task.command !== 'string') return step;
    return { ...(step as object), task: { ...task, command: task.command.trim().split(/\s+/) } };
  });
  return { ...job, steps };
}
