import type { ExecutableTask, TaskParameter } from '@helixgate/contracts';

/** What a command's tokens stand for in one step of one run. */
export interface TemplateValues {
  inputs: string[];
  outputs: string[];
  parameters: Record<string, string>;
  runId: string;
  directory: string;
}

/** The arguments one parameter adds (analytics_automated's flag, default, bool_valued, switchless, spacing). */
export function parameterArguments(parameter: TaskParameter, given: string | undefined): string[] {
  const value = given ?? parameter.default;
  if (value === undefined) return [];
  if (parameter.boolValued) return /^(true|1|yes|on)$/i.test(value) ? (parameter.flag ? [parameter.flag] : []) : [];
  if (parameter.switchless || !parameter.flag) return [value];
  if (parameter.flag.includes('VALUE')) return [parameter.flag.replace('VALUE', value)];
  return parameter.spacing ? [parameter.flag, value] : [`${parameter.flag}${value}`];
}

const TOKEN = /\$(I|O|P)(\d+)|\$ID|\$TMP/g;

/**
 * The argument vector of an executable task: each template token replaced, each element staying one argument
 * (a value with spaces or shell characters is just text to the program; there is no shell). A token alone in
 * its element may expand to several arguments ($P with a flag) or none (an unset parameter).
 */
export function expandCommand(task: ExecutableTask, values: TemplateValues): string[] {
  const argv: string[] = [];
  for (const element of task.command) {
    const alone = /^\$P(\d+)$/.exec(element);
    if (alone) {
      const parameter = task.parameters[Number(alone[1]) - 1];
      if (!parameter) throw new Error(`${element} names no parameter of task ${task.name}`);
      argv.push(...parameterArguments(parameter, values.parameters[parameter.name]));
      continue;
    }
    argv.push(
      element.replace(TOKEN, (token, kind: string | undefined, index: string | undefined) => {
        if (token === '$ID') return values.runId;
        if (token === '$TMP') return values.directory;
        const i = Number(index) - 1;
        const list = kind === 'I' ? values.inputs : kind === 'O' ? values.outputs : undefined;
        if (list) {
          if (list[i] === undefined)
            throw new Error(`${token} names no ${kind === 'I' ? 'input' : 'output'} of task ${task.name}`);
          return list[i];
        }
        const parameter = task.parameters[i];
        if (!parameter) throw new Error(`${token} names no parameter of task ${task.name}`);
        return parameterArguments(parameter, values.parameters[parameter.name]).join(' ');
      }),
    );
  }
  return argv;
}
