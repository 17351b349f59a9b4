import { InjectConfig, InjectNats, RpcClient } from '@helixgate/platform';
import { Injectable, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule, type ThrottlerModuleOptions, type ThrottlerOptionsFactory } from '@nestjs/throttler';
import type { NatsConnection } from 'nats';
import { AnalyticsAutomatedController } from './analytics-automated/analytics-automated.controller';
import { AnalyticsAutomatedNoSuchRouteController } from './analytics-automated/no-such-route.controller';
import { ApiExceptionFilter } from './api-exception.filter';
import { AccountController } from './auth/account.controller';
import { AdminController } from './auth/admin.controller';
import { OAuthController } from './auth/oauth.controller';
import { AUTH_STRATEGIES } from './auth/strategies';
import { BigsdbIsolatesController } from './bigsdb/isolates.controller';
import { BigsdbSchemesController } from './bigsdb/schemes.controller';
import { BigsdbSeqdefController } from './bigsdb/seqdef.controller';
import { BigsdbSequenceQueryController } from './bigsdb/sequence-query.controller';
import { BigsdbSubmissionsController } from './bigsdb/submissions.controller';
import { CgiBoundaryController } from './cgi/cgi-boundary.controller';
import { CgiJobsController } from './cgi/cgi-jobs.controller';
import type { GatewayConfig } from './config';
import { ControlCharactersGuard } from './control-characters.guard';
import { EdgeRpcClient } from './edge-rpc-client';
import { PerClientThrottlerGuard } from './http-edge';
import { SlidingWindowThrottlerStorage } from './rate-limit-storage';
import { PatlasResultsController } from './patlas/results.controller';
import { PublicOriginPipe } from './public-origin';

/**
 * Every controller of the gateway, in the order Nest matches their routes. Only the last two overlap others, and
 * must stay last: CgiBoundaryController answers every path under /api/v1 that CgiJobsController does not (so
 * `POST /api/v1` is a launch), and AnalyticsAutomatedNoSuchRouteController every path under /analytics_automated
 * that AnalyticsAutomatedController does not. No routes of any other two controllers can match the same request.
 */
export const GATEWAY_CONTROLLERS = [
  PatlasResultsController,
  OAuthController,
  AccountController,
  AdminController,
  BigsdbSeqdefController,
  BigsdbSchemesController,
  BigsdbIsolatesController,
  BigsdbSequenceQueryController,
  BigsdbSubmissionsController,
  AnalyticsAutomatedController,
  CgiJobsController,
  CgiBoundaryController,
  AnalyticsAutomatedNoSuchRouteController,
];

/** Rate limits from the configuration: RATE_LIMIT_PER_MINUTE requests a minute per client address. */
@Injectable()
class RateLimits implements ThrottlerOptionsFactory {
  constructor(@InjectConfig() private readonly config: GatewayConfig) {}

  createThrottlerOptions(): ThrottlerModuleOptions {
    return {
      throttlers: [{ ttl: 60_000, limit: this.config.RATE_LIMIT_PER_MINUTE }],
      storage: new SlidingWindowThrottlerStorage(),
    };
  }
}

/** The gateway's NATS connection (the platform's), as the readiness check sees it. */
@Injectable()
export class NatsReadiness {
  constructor(@InjectNats() private readonly nats: NatsConnection) {}

  check(): Promise<void> {
    return this.nats.flush();
  }
}

/**
 * The gateway: its HTTP routes, the edge's guards (rate limit, control characters), one error filter, the auth
 * strategies, and the RPC client of the edge. Config, logger, NATS, transfers and job files come from the
 * (global) PlatformModule.
 */
@Module({
  imports: [ThrottlerModule.forRootAsync({ useClass: RateLimits }), PassportModule],
  controllers: GATEWAY_CONTROLLERS,
  providers: [
    { provide: RpcClient, useClass: EdgeRpcClient }, // in place of the platform's, for every route and strategy here
    NatsReadiness,
    PublicOriginPipe,
    { provide: APP_GUARD, useClass: PerClientThrottlerGuard },
    { provide: APP_GUARD, useClass: ControlCharactersGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    ...AUTH_STRATEGIES,
  ],
})
export class GatewayModule {}
