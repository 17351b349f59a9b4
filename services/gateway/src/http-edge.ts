import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import { acceptRequestId, REQUEST_ID_HEADER, withRequestContext } from '@helixgate/platform';
import { familyOf } from './api-families';

/**
 * Every request gets an id (the client's X-Request-Id when sane, else a new one), echoed in the response,
 * carried into NATS headers by the RPC client, and printed in one access-log line when the response ends.
 */
export function requestContext(logger: Logger, metrics: Registry) {
  const requests = new Counter({
    name: 'helixgate_http_requests_total',
    help: 'HTTP requests answered, by API family, method and status',
    labelNames: ['family', 'method', 'status'],
    registers: [metrics],
  });
  const duration = new Histogram({
    name: 'helixgate_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by API family',
    labelNames: ['family'],
    registers: [metrics],
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = acceptRequestId(req.headers[REQUEST_ID_HEADER]);
    res.setHeader('X-Request-Id', requestId);
    const family = familyOf(req.path);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ family, method: req.method, status: res.statusCode });
      duration.observe({ family }, seconds);
      withRequestContext({ requestId }, () =>
        logger.info(
          { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1000) },
          'http request',
        ),
      );
    });
    withRequestContext({ requestId }, next);
  };
}

/** The CORS headers pATLAS sends on every response, and 204 for preflight requests. */
export function permissiveCors(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type,Authorization');
  res.setHeader('Access-Control-Allow-Methods', 'GET,PUT,POST,DELETE,OPTIONS');
  res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
}

/** Rate limits per client address across all routes (Nest's default counts each route separately). */
@Injectable()
export class PerClientThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(_context: unknown, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
