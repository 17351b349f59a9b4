import { z } from 'zod';

/**
 * A request/reply subject: its versioned name `<service>.<entity>.<action>.v<N>` and the runtime schemas
 * both sides validate with. Declared once, here in libs/contracts; nothing else spells a subject.
 */
export interface Subject<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny> {
  readonly name: string;
  readonly request: Req;
  readonly reply: Rep;
}

const SUBJECT_NAME = /^[a-z][a-z-]*\.[a-z][a-z-]*\.[a-z][a-z-]*\.v[1-9][0-9]*$/;

export function defineSubject<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
  name: string,
  request: Req,
  reply: Rep,
): Subject<Req, Rep> {
  if (!SUBJECT_NAME.test(name)) throw new Error(`subject name ${name} is not <service>.<entity>.<action>.v<N>`);
  return Object.freeze({ name, request, reply });
}

/** A request as its caller writes it (defaults not yet applied). */
export type RequestOf<S> = S extends Subject<infer Req, z.ZodTypeAny> ? z.input<Req> : never;
/** A request as its handler receives it: parsed by the subject's schema (the handler's parameter type). */
export type ParsedRequest<S> = S extends Subject<infer Req, z.ZodTypeAny> ? z.output<Req> : never;
export type ReplyOf<S> = S extends Subject<z.ZodTypeAny, infer Rep> ? z.output<Rep> : never;
