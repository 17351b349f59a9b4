import 'reflect-metadata';
import {
  createLogger,
  exitOnStartupError,
  loadConfig,
  natsConnectOptions,
  NestJsonLogger,
  openJobFiles,
  withoutCredentials,
  RpcClient,
  startOpsServer,
  stopGracefully,
  TransferStore,
} from '@helixgate/platform';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { connect } from 'nats';
import { GATEWAY_LOGGER } from './api-exception.filter';
import { JOB_FILES } from './cgi/cgi-jobs.controller';
import { GATEWAY_CONFIG, type GatewayConfig, GatewayEnvSchema } from './config';
import { EdgeRpcClient } from './edge-rpc-client';
import { GatewayModule } from './gateway.module';
import { permissiveCors, requestContext } from './http-edge';
import { lingerBeforeClosing } from './lingering-close';
import { answerMalformedRequests } from './malformed-requests';

async function main(): Promise<void> {
  const config: GatewayConfig = loadConfig(GatewayEnvSchema);
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const ops = await startOpsServer({ host: config.OPS_HOST, port: config.OPS_PORT, service: 'gateway', logger });
  const nats = await connect(natsConnectOptions(config, 'gateway'));
  ops.addReadinessCheck({ name: 'nats', check: () => nats.flush() });
  const transfers = await TransferStore.open(nats, config.TRANSFER_BUCKET, {
    maxBytes: config.TRANSFER_BUCKET_MAX_BYTES,
  });
  const rpc = new EdgeRpcClient(nats, {
    timeoutMs: config.RPC_TIMEOUT_MS,
    subjectPrefix: config.NATS_SUBJECT_PREFIX,
    transfers,
  });
  const jobFiles = await openJobFiles(nats, config);

  const app = await NestFactory.create<NestExpressApplication>(
    GatewayModule.forRoot(config, [
      { provide: GATEWAY_CONFIG, useValue: config },
      { provide: GATEWAY_LOGGER, useValue: logger },
      { provide: RpcClient, useValue: rpc },
      { provide: TransferStore, useValue: transfers },
      { provide: JOB_FILES, useValue: jobFiles },
    ]),
    { bodyParser: false, logger: new NestJsonLogger(logger) },
  );
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
    await app.close();
    clearTimeout(cutOff);
    await nats.drain();
  });
  ops.setStarted();
}

main().catch((error: unknown) => exitOnStartupError('gateway', error));
