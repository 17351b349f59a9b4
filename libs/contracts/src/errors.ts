import { z } from 'zod';

/** The one error shape that crosses NATS. The gateway turns it into each API family's wire format. */
export const ErrorEnvelopeSchema = z.object({
  status: z.number().int().min(400).max(599),
  code: z.string().min(1),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/** Machine-readable error codes shared across services. Services may add their own, namespaced. */
export const ErrorCodes = {
  badRequest: 'bad_request',
  notFound: 'not_found',
  payloadTooLarge: 'payload_too_large',
  tooManyRequests: 'too_many_requests',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  serviceUnavailable: 'service_unavailable',
  internal: 'internal',
} as const;

/** A typed error a service throws; its envelope is what the caller receives. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  static badRequest(message: string, details?: unknown): ServiceError {
    return new ServiceError(400, ErrorCodes.badRequest, message, details);
  }

  static notFound(message: string, details?: unknown): ServiceError {
    return new ServiceError(404, ErrorCodes.notFound, message, details);
  }

  static payloadTooLarge(message: string): ServiceError {
    return new ServiceError(413, ErrorCodes.payloadTooLarge, message);
  }

  static unavailable(message: string): ServiceError {
    return new ServiceError(503, ErrorCodes.serviceUnavailable, message);
  }

  static fromEnvelope(envelope: ErrorEnvelope): ServiceError {
    return new ServiceError(envelope.status, envelope.code, envelope.message, envelope.details);
  }

  toEnvelope(): ErrorEnvelope {
    const envelope: ErrorEnvelope = { status: this.status, code: this.code, message: this.message };
    if (this.details !== undefined) envelope.details = this.details;
    return envelope;
  }
}
