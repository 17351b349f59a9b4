import { InjectConfig } from '@helixgate/platform';
import { createParamDecorator, type ExecutionContext, Injectable, type PipeTransform } from '@nestjs/common';
import type { Request } from 'express';
import type { GatewayConfig } from './config';

/** A host name or address with an optional port: anything else in Host is never trusted or echoed. */
const SAFE_HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/**
 * The scheme and host clients reach this gateway at, for links and OAuth base URLs: PUBLIC_URL, else what
 * the request (or, with TRUST_PROXY, the proxy's X-Forwarded-* headers) says.
 */
export function publicOrigin(request: Request, publicUrl: string | undefined, port: number): string {
  if (publicUrl) return publicUrl;
  const host = request.host && SAFE_HOST.test(request.host) ? request.host : `127.0.0.1:${port}`;
  return `${request.protocol}://${host}`;
}

/** The request's public origin, with the gateway's PUBLIC_URL and PORT (for @PublicOrigin() and the OAuth check). */
@Injectable()
export class PublicOriginPipe implements PipeTransform<Request, string> {
  constructor(@InjectConfig() private readonly config: GatewayConfig) {}

  transform(request: Request): string {
    return publicOrigin(request, this.config.PUBLIC_URL, this.config.PORT);
  }
}

const CurrentRequest = createParamDecorator((_data: unknown, context: ExecutionContext): Request =>
  context.switchToHttp().getRequest<Request>(),
);

/** The handler parameter that receives the request's public origin (see publicOrigin). */
export const PublicOrigin = (): ParameterDecorator => CurrentRequest(PublicOriginPipe);
