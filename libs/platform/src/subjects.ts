import type { Subject } from '@helixgate/contracts';

/**
 * The wire name of a subject: its contract name, behind NATS_SUBJECT_PREFIX when one is set, so that
 * several environments (or test runs) can share one NATS server without answering each other.
 */
export function wireSubject(
  subject: Pick<Subject<never, never>, 'name'>,
  prefix = process.env.NATS_SUBJECT_PREFIX ?? '',
): string {
  return prefix ? `${prefix}.${subject.name}` : subject.name;
}

/** The service a subject belongs to (`results-import` for `results-import.documents.create.v1`). */
export function owningService(subject: Pick<Subject<never, never>, 'name'>): string {
  return subject.name.split('.')[0];
}
