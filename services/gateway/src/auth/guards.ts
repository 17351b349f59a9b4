import { type Identity, ServiceError } from '@helixgate/contracts';
import { createParamDecorator, type ExecutionContext, Injectable, mixin, type Type } from '@nestjs/common';
import { AuthGuard, type IAuthGuard } from '@nestjs/passport';
import type { Request } from 'express';

/** A guard that accepts any of the named strategies; with none of their credentials present, a 401 saying what to send. */
export function Authenticated(
  strategies: string[],
  missing: string,
  options: { admin?: boolean } = {},
): Type<IAuthGuard> {
  @Injectable()
  class Guard extends AuthGuard(strategies) {
    override handleRequest<T = Identity>(error: unknown, identity: T | false): T {
      if (error) throw error as Error; // what a strategy threw: a ServiceError
      if (!identity) throw new ServiceError(401, 'unauthorized', missing);
      if (options.admin && (identity as unknown as Identity).role !== 'admin')
        throw new ServiceError(403, 'forbidden', 'Only administrators may do this.');
      return identity;
    }
  }
  return mixin(Guard);
}

export const PASSWORD_REQUIRED = 'Send your account email and password with HTTP Basic authentication.';

/** The identity a guard established. */
export const CurrentIdentity = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Identity =>
    context.switchToHttp().getRequest<Request & { user: Identity }>().user,
);
