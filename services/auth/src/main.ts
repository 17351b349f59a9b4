import 'reflect-metadata';
import { mongoReadiness, runService } from '@helixgate/platform';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { openAuthStore } from './auth-store';
import { AuthEnvSchema } from './config';
import { OAuthService } from './oauth.service';

@Module({})
class AuthModule {}

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

void runService({
  name: 'auth',
  envSchema: AuthEnvSchema,
  module: async ({ config, logger, ops }) => {
    const { connection, accounts, oauth } = await openAuthStore(config, logger);
    ops.addReadinessCheck(mongoReadiness(connection));
    const sweep = () =>
      oauth.sweep().then(
        (deleted) => deleted > 0 && logger.info({ deleted }, 'deleted expired tokens, nonces and sessions'),
        (error: unknown) => logger.warn({ err: error }, 'sweep failed; will try again'),
      );
    const timer = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
    void sweep();
    const shutdown: OnApplicationShutdown = {
      onApplicationShutdown: async () => {
        clearInterval(timer);
        await connection.close();
      },
    };
    return {
      module: AuthModule,
      controllers: [AuthController],
      providers: [
        { provide: AccountsService, useValue: accounts },
        { provide: OAuthService, useValue: oauth },
        { provide: 'SHUTDOWN', useValue: shutdown },
      ],
    };
  },
});
