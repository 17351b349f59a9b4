import { type JobDefinition, ServiceError } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { DefinitionsRepository } from './definitions.repository';

/** How old a definition read for another run may be when a worker starts a run of its job (startRun). */
const DEFINITION_FRESH_MS = 5_000;

/** Job definitions: an operator's (the admin command, jobs.definitions.put) and the ones Helixgate ships. */
@Injectable()
export class DefinitionsService {
  /** The definitions this process read last, by name, with when: what findRecentDefinition answers from. */
  private readonly recent = new Map<string, { definition: JobDefinition; readAt: number }>();

  constructor(private readonly definitions: DefinitionsRepository) {}

  /** An operator's definition (the admin command): it replaces any of the name, the shipped one included. */
  async putDefinition(definition: JobDefinition): Promise<{ name: string; created: boolean }> {
    const existing = await this.definitions.findByName(definition.name);
    await this.definitions.replace(definition);
    this.recent.delete(definition.name);
    return { name: definition.name, created: !existing };
  }

  /**
   * A definition Helixgate ships: put when none has its name, and kept current while it is still the shipped one
   * (a new release's changes reach existing sites); an operator's own definition of the name is never replaced.
   */
  async putShippedDefinition(definition: JobDefinition): Promise<'created' | 'updated' | 'kept'> {
    this.recent.delete(definition.name);
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
    const definition = (await this.definitions.findByName(name))?.definition ?? null;
    if (definition) this.recent.set(name, { definition, readAt: Date.now() });
    else this.recent.delete(name);
    return definition;
  }

  /**
   * The definition of the name as read at most DEFINITION_FRESH_MS ago (by a submission of a run of it, most
   * often), or read now: a run started right after it was submitted costs no second read of its definition.
   */
  async findRecentDefinition(name: string): Promise<JobDefinition | null> {
    const recent = this.recent.get(name);
    if (recent && Date.now() - recent.readAt <= DEFINITION_FRESH_MS) return recent.definition;
    return this.findDefinition(name);
  }
}
