import { type ParsedRequest, TypingSubjects } from '@helixgate/contracts';
import { HandleRequest, HandleStream } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import { ProfilesService } from './profiles.service';

/** typing-db.profiles.*: a scheme's allelic profiles. */
@Controller()
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @HandleRequest(TypingSubjects.listProfiles)
  listProfiles({ baseUri, database, schemeId, page }: ParsedRequest<typeof TypingSubjects.listProfiles>) {
    return this.profiles.listProfiles(baseUri, database, schemeId, page);
  }

  @HandleRequest(TypingSubjects.getProfile)
  getProfile({
    baseUri,
    database,
    schemeId,
    profileId,
    alleleIdsOnly,
  }: ParsedRequest<typeof TypingSubjects.getProfile>) {
    return this.profiles.getProfile(baseUri, database, schemeId, profileId, alleleIdsOnly);
  }

  @HandleStream(TypingSubjects.profilesCsv)
  profilesCsv({ database, schemeId }: ParsedRequest<typeof TypingSubjects.profilesCsv>) {
    return this.profiles.profilesCsv(database, schemeId);
  }
}
