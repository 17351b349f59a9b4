import { connectMongo } from '@helixgate/platform';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { TypingConfig } from './config';
import { type TypingModels, typingModels } from './models';

/** The typing database and its models: shared by the service and the `npm run typing` command line. */
export async function openTypingStore(
  config: TypingConfig,
  logger: Logger,
): Promise<{ connection: Connection; models: TypingModels }> {
  const connection = await connectMongo(config, logger);
  return { connection, models: await typingModels(connection) };
}
