import { connectMongo } from '@helixgate/platform';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { AccountsService } from './accounts.service';
import type { AuthConfig } from './config';
import { SecretBox } from './crypto';
import { authModels } from './models';
import { OAuthService } from './oauth.service';

/** The auth database and the services over it: shared by the service process and the admin command line. */
export async function openAuthStore(
  config: AuthConfig,
  logger: Logger,
): Promise<{ connection: Connection; accounts: AccountsService; oauth: OAuthService }> {
  const connection = await connectMongo(config, logger);
  const models = await authModels(connection);
  const accounts = new AccountsService(models, config);
  const oauth = new OAuthService(models, accounts, new SecretBox(config.AUTH_SECRET_KEY), config);
  return { connection, accounts, oauth };
}
