import { ServiceError } from '@helixgate/contracts';
import { All, Controller, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Authenticated } from '../auth/guards';

/** `Authorization: <email> <token>`, the one scheme the Cancer Genome Interpreter API accepts. */
export const CgiAuthenticated = Authenticated(
  ['api-token'],
  'Send "Authorization: <email> <token>"; ask for a token with POST /auth/tokens.',
);

/**
 * Everything under /api/v1 needs a valid CGI token before anything else is looked at; job routes are added
 * beside this by the jobs API. A path no route serves, once authenticated, is a 404 in the CGI format.
 */
@ApiExcludeController()
@UseGuards(CgiAuthenticated)
@Controller('api/v1')
export class CgiBoundaryController {
  @All(['', '*path'])
  noSuchRoute(): never {
    throw ServiceError.notFound('Not found.');
  }
}
