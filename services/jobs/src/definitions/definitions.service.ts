import { type JobDefinition, ServiceError } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { DefinitionsRepository } from './definitions.repository';

/** Job definitions: an operator's (the admin command, jobs.definitions.put) and the ones Helixgate ships. */
@Injectable()
export class DefinitionsService {
  constructor(private readonly definitions: DefinitionsRepository) {}

  /** An operator's definition (the admin command): it replaces any of the name, the shipped one included. */
  async putDefinition(definition: JobDefinition): Promise<{ name: string; created: boolean }> {
    const existing = await this.definitions.findByName(definition.name);
    await this.definitions.replace(definition);
    return { name: definition.name, created: !existing };
  }

  /**
   * A definition Helixgate ships: put when none has its name, and kept current while it is still the shipped one
   * (a new release's changes reach existing sites); an operator's own definition of the name is never replaced.
   */
  async putShippedDefinition(definition: JobDefinition): Promise<'created' | 'updated' | 'kept'> {
    if (await this.definitions.updateShipped(definition)) return 'updated';
    return (await this.definitions.insertShipped(definition)) ? 'created' : 'kept';
  }

  async listDefinitions(): Promise<JobDefinition[]> {
    return (await this.definitions.findAll()).map((d) => d.definition).sort((a, b) => a.name.localeCompare(b.name));
  }

  async getDefinition(name: string): Promise<JobDefinition> {
    const found = await this.findDefinition(name);
    if (!found) throw ServiceError.notFound(`Job ${name} does not exist.`);
    return found;
  }

  /** The definition of the name, or null (a run whose job was deleted meanwhile). */
  async findDefinition(name: string): Promise<JobDefinition | null> {
    return (await this.definitions.findByName(name))?.definition ?? null;
  }
}
