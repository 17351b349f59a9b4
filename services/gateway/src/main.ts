import 'reflect-metadata';
import {
  createLogger,
  exitOnStartupError,
  loadConfig,
  NestJsonLogger,
  PlatformModule,
  startOpsServer,
  stopGracefully,
  withoutCredentials,
} from '@helixgate/platform';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { type GatewayConfig, GatewayEnvSchema } from './config';
import { GatewayModule, NatsReadiness } from './gateway.module';
import { permissiveCors, requestContext } from './http-edge';
import { lingerBeforeClosing } from './lingering-close';
import { answerMalformedRequests } from './malformed-requests';

async function main(): Promise<void> {
  const config: GatewayConfig = loadConfig(GatewayEnvSchema);
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const ops = await startOpsServer({ host: config.OPS_HOST, port: config.OPS_PORT, service: 'gateway', logger });
  const platform = PlatformModule.forRoot({
    name: 'gateway',
    config,
    logger,
    needs: { transfers: true, jobFiles: true },
    handlesRequests: false,
  });
  const app = await NestFactory.create<NestExpressApplication>(
    { module: GatewayModule, imports: [platform] },
    // abortOnError false: an error at start (NATS unreachable) is reported by exitOnStartupError, not an abort.
    { bodyParser: false, logger: new NestJsonLogger(logger), abortOnError: false },
  );
  const nats = app.get(NatsReadiness);
  ops.addReadinessCheck({ name: 'nats', check: () => nats.check() });
  answerMalformedRequests(app.getHttpServer(), logger);
  lingerBeforeClosing(app.getHttpServer());
  app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  app.use(requestContext(logger, ops.metrics));
  app.use(
    helmet({
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use(permissiveCors);

  const openApi = new DocumentBuilder()
    .setTitle('Helixgate')
    .setDescription(
      'pATLAS results import, BIGSdb/PubMLST, analytics_automated and Cancer Genome Interpreter APIs, wire-compatible with the originals.',
    )
    .setVersion('0.1.0')
    .addBasicAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'docs/openapi.json',
  });

  await app.listen(config.PORT, config.HOST);
  logger.info(
    { url: `http://${config.HOST}:${config.PORT}`, nats: withoutCredentials(config.NATS_URL) },
    'gateway listening',
  );
  stopGracefully('gateway', logger, ops, config.SHUTDOWN_TIMEOUT_MS, async () => {
    // Stop accepting, give open requests SHUTDOWN_TIMEOUT_MS, then cut the slow ones off.
    const server = app.getHttpServer();
    const cutOff = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
    await app.close(); // the platform drains the NATS connection last
    clearTimeout(cutOff);
  });
  ops.setStarted();
}

main().catch((error: unknown) => exitOnStartupError('gateway', error));
