import {
  type DynamicModule,
  type FactoryProvider,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Connection, type Model, type Schema } from 'mongoose';
import { connect, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ByteStreamInterceptor } from './byte-stream';
import type { BaseEnv } from './config';
import { natsConnectOptions } from './config';
import { openJobFiles, TransferStore } from './jetstream';
import { LargeReplyInterceptor } from './large-reply.interceptor';
import { connectMongo } from './mongo';
import { RpcClient } from './rpc-client';

/**
 * What a process asks the platform for, beside what every service has (configuration, logger, its NATS
 * request handlers). `mongo`: its own database, as a mongoose `Connection`. `transfers`: its own NATS
 * connection and the transfer bucket (`TransferStore`, `RpcClient`); a service always has them, since its
 * replies too large for a message travel there. `jobFiles`: the bucket of run inputs and outputs.
 */
export interface PlatformNeeds {
  mongo?: boolean;
  transfers?: boolean;
  jobFiles?: boolean;
}

type MongoConfig = Parameters<typeof connectMongo>[0];
type JobFilesConfig = Parameters<typeof openJobFiles>[1];
type PlatformConfig = BaseEnv & Partial<MongoConfig> & Partial<JobFilesConfig>;

export interface PlatformOptions {
  name: string;
  /** The process's validated environment: what `needs` asks for must be in it (MongoEnvSchema, JobFilesEnvSchema). */
  config: BaseEnv;
  logger: Logger;
  needs: PlatformNeeds;
  /** NATS request handlers live here: large replies go through the transfer store (needs transfers). */
  handlesRequests: boolean;
  /** Where the platform's own metrics of request handling go (the ops server's registry). */
  metrics?: Registry;
}

const SERVICE_CONFIG = 'helixgate:config';
const SERVICE_LOGGER = 'helixgate:logger';
const NATS_CONNECTION = 'helixgate:nats-connection';
const JOB_FILES = 'helixgate:job-files';

/** The process's validated configuration (the output of its env schema). */
export const InjectConfig = () => Inject(SERVICE_CONFIG);
/** The process's pino logger. */
export const InjectLogger = () => Inject(SERVICE_LOGGER);
/** The process's own NATS connection (apart from Nest's request/reply one): JetStream, object stores. */
export const InjectNats = () => Inject(NATS_CONNECTION);
/** The bucket of run inputs and outputs (a `TransferStore` with no expiry). */
export const InjectJobFiles = () => Inject(JOB_FILES);

/** How long a service waits for another service's reply. */
export const SERVICE_RPC_TIMEOUT_MS = 30_000;

const modelToken = (name: string) => `helixgate:model:${name}`;

/**
 * A mongoose model of the service's database, as a provider: `mongoModel('Profile', ProfileSchema)` in a module's
 * providers, `@InjectModel('Profile') profiles: Model<Profile>` in its repository. Its indexes exist before the
 * service takes requests.
 */
export function mongoModel<T>(name: string, schema: Schema<T>): FactoryProvider<Model<T>> {
  return {
    provide: modelToken(name),
    inject: [Connection],
    useFactory: async (connection: Connection) => {
      const model = connection.model<T>(name, schema);
      await model.init();
      return model;
    },
  };
}
export const InjectModel = (name: string) => Inject(modelToken(name));

/** Closes what the platform opened, after every other module's shutdown hook (a global module's run last). */
@Injectable()
class PlatformConnections implements OnApplicationShutdown {
  readonly nats: NatsConnection[] = [];
  readonly mongo: Connection[] = [];

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.nats.map((connection) => connection.drain().catch(() => undefined)));
    await Promise.all(this.mongo.map((connection) => connection.close()));
  }
}

/**
 * The providers every Helixgate process takes from the platform, built by Nest's DI in one global module:
 * the config and logger built before Nest starts, the connections it opens and closes for the process, and
 * the large-reply interceptor of NATS request handlers.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config, logger, needs, name } = options;
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: SERVICE_LOGGER, useValue: logger },
      PlatformConnections,
    ];
    const exported: NonNullable<DynamicModule['exports']> = [SERVICE_CONFIG, SERVICE_LOGGER];
    if (needs.mongo) {
      providers.push({
        provide: Connection,
        inject: [PlatformConnections],
        useFactory: async (connections: PlatformConnections) => {
          const connection = await connectMongo(config as PlatformConfig as BaseEnv & MongoConfig, logger);
          connections.mongo.push(connection);
          return connection;
        },
      });
      exported.push(Connection);
    }
    if (needs.transfers || needs.jobFiles || options.handlesRequests) {
      providers.push(
        {
          provide: NATS_CONNECTION,
          inject: [PlatformConnections],
          useFactory: async (connections: PlatformConnections) => {
            const connection = await connect(natsConnectOptions(config, `${name}-transfers`));
            connections.nats.push(connection);
            return connection;
          },
        },
        {
          provide: TransferStore,
          inject: [NATS_CONNECTION],
          useFactory: (connection: NatsConnection) =>
            TransferStore.open(connection, config.TRANSFER_BUCKET, { maxBytes: config.TRANSFER_BUCKET_MAX_BYTES }),
        },
        {
          provide: RpcClient,
          inject: [NATS_CONNECTION, TransferStore],
          useFactory: (connection: NatsConnection, transfers: TransferStore) =>
            new RpcClient(connection, {
              timeoutMs: SERVICE_RPC_TIMEOUT_MS,
              subjectPrefix: config.NATS_SUBJECT_PREFIX,
              transfers,
            }),
        },
      );
      exported.push(NATS_CONNECTION, TransferStore, RpcClient);
    }
    if (needs.jobFiles) {
      providers.push({
        provide: JOB_FILES,
        inject: [NATS_CONNECTION],
        useFactory: (connection: NatsConnection) =>
          openJobFiles(connection, config as PlatformConfig as BaseEnv & JobFilesConfig),
      });
      exported.push(JOB_FILES);
    }
    if (options.handlesRequests) {
      providers.push(
        { provide: APP_INTERCEPTOR, useClass: LargeReplyInterceptor },
        {
          provide: APP_INTERCEPTOR,
          inject: [NATS_CONNECTION],
          useFactory: (connection: NatsConnection) => new ByteStreamInterceptor(connection, logger, options.metrics),
        },
      );
    }
    return { module: PlatformModule, global: true, providers, exports: exported };
  }
}
