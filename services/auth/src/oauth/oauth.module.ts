import { mongoModel } from '@helixgate/platform';
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { OAuthController } from './oauth.controller';
import { OAuthRepository } from './oauth.repository';
import { NONCE, NonceSchema, OAUTH_CLIENT, OAUTH_TOKEN, OAuthClientSchema, OAuthTokenSchema } from './oauth.schema';
import { OAuthService } from './oauth.service';

@Module({
  imports: [AccountsModule],
  controllers: [OAuthController],
  providers: [
    mongoModel(OAUTH_CLIENT, OAuthClientSchema),
    mongoModel(OAUTH_TOKEN, OAuthTokenSchema),
    mongoModel(NONCE, NonceSchema),
    OAuthRepository,
    OAuthService,
  ],
  exports: [OAuthRepository, OAuthService],
})
export class OAuthModule {}
