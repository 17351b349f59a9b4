import { mongoModel } from '@helixgate/platform';
import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { ACCOUNT, AccountSchema, API_TOKEN, ApiTokenSchema, WEB_SESSION, WebSessionSchema } from './accounts.schema';
import { AccountsService } from './accounts.service';

@Module({
  controllers: [AccountsController],
  providers: [
    mongoModel(ACCOUNT, AccountSchema),
    mongoModel(API_TOKEN, ApiTokenSchema),
    mongoModel(WEB_SESSION, WebSessionSchema),
    AccountsRepository,
    AccountsService,
  ],
  exports: [AccountsRepository, AccountsService],
})
export class AccountsModule {}
