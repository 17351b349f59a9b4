import { ServiceError } from '@helixgate/contracts';
import { Controller, Get, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { formatOf } from './drf-rendering';

/**
 * A path under /analytics_automated/ that AnalyticsAutomatedController does not serve: 404 in DRF's words, after
 * the format checks a GET gets first (a `.html` suffix, an unknown ?format= or an Accept DRF cannot satisfy).
 * Routed after every other controller (GATEWAY_CONTROLLERS).
 */
@ApiExcludeController()
@Controller('analytics_automated')
export class AnalyticsAutomatedNoSuchRouteController {
  @Get(['', '*path'])
  noSuchRoute(@Req() request: Request): never {
    formatOf(request);
    throw ServiceError.notFound('Not found.');
  }

  @Post(['', '*path'])
  noSuchPostRoute(@Req() request: Request): never {
    request.resume();
    throw ServiceError.notFound('Not found.');
  }
}
