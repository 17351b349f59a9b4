import 'reflect-metadata';
import { runService } from '@helixgate/platform';
import { AuthModule } from './auth.module';
import { AuthEnvSchema } from './config';

void runService({ name: 'auth', envSchema: AuthEnvSchema, needs: { mongo: true }, module: AuthModule });
