import { Module } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
import { ExpirySweeper } from './expiry-sweeper';
import { OAuthModule } from './oauth/oauth.module';

/** The auth database and the services over it, without background work: what the admin command line opens. */
@Module({ imports: [AccountsModule, OAuthModule], exports: [AccountsModule, OAuthModule] })
export class AuthStoreModule {}

/** The auth service: accounts and the OAuth provider, and the sweep of what expired. */
@Module({ imports: [AuthStoreModule], providers: [ExpirySweeper] })
export class AuthModule {}
