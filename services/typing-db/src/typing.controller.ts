import { TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import type { z } from 'zod';
import { TypingService } from './typing.service';

type In<K extends keyof typeof TypingSubjects> = z.output<(typeof TypingSubjects)[K]['request']>;

@Controller()
export class TypingController {
  constructor(private readonly typing: TypingService) {}

  @HandleRequest(TypingSubjects.listResources)
  resources({ baseUri }: In<'listResources'>) {
    return this.typing.resources(baseUri);
  }
  @HandleRequest(TypingSubjects.getDatabase)
  database({ baseUri, database }: In<'getDatabase'>) {
    return this.typing.database(baseUri, database);
  }
  @HandleRequest(TypingSubjects.listLoci)
  loci({ baseUri, database, page }: In<'listLoci'>) {
    return this.typing.loci(baseUri, database, page);
  }
  @HandleRequest(TypingSubjects.getLocus)
  locus({ baseUri, database, locus }: In<'getLocus'>) {
    return this.typing.locus(baseUri, database, locus);
  }
  @HandleRequest(TypingSubjects.listAlleles)
  alleles({ baseUri, database, locus, page }: In<'listAlleles'>) {
    return this.typing.alleles(baseUri, database, locus, page);
  }
  @HandleRequest(TypingSubjects.allelesFasta)
  allelesFasta({ database, locus }: In<'allelesFasta'>) {
    return this.typing.allelesFasta(database, locus);
  }
  @HandleRequest(TypingSubjects.getSequences)
  sequences({ baseUri, database }: In<'getSequences'>) {
    return this.typing.sequences(baseUri, database);
  }
  @HandleRequest(TypingSubjects.listCurators)
  curators({ database }: In<'listCurators'>) {
    return this.typing.curators(database);
  }
  @HandleRequest(TypingSubjects.getSchemeField)
  schemeField({ database, schemeId, field }: In<'getSchemeField'>) {
    return this.typing.schemeField(database, schemeId, field);
  }
  @HandleRequest(TypingSubjects.listSchemes)
  schemes({ baseUri, database, withPk }: In<'listSchemes'>) {
    return this.typing.schemes(baseUri, database, withPk);
  }
  @HandleRequest(TypingSubjects.getScheme)
  scheme({ baseUri, database, schemeId }: In<'getScheme'>) {
    return this.typing.scheme(baseUri, database, schemeId);
  }
  @HandleRequest(TypingSubjects.listProfiles)
  profiles({ baseUri, database, schemeId, page }: In<'listProfiles'>) {
    return this.typing.profiles(baseUri, database, schemeId, page);
  }
  @HandleRequest(TypingSubjects.getProfile)
  profile({ baseUri, database, schemeId, profileId, alleleIdsOnly }: In<'getProfile'>) {
    return this.typing.profile(baseUri, database, schemeId, profileId, alleleIdsOnly);
  }
  @HandleRequest(TypingSubjects.profilesCsv)
  profilesCsv({ database, schemeId }: In<'profilesCsv'>) {
    return this.typing.profilesCsv(database, schemeId);
  }
  @HandleRequest(TypingSubjects.getAllele)
  allele({ baseUri, database, locus, alleleId }: In<'getAllele'>) {
    return this.typing.allele(baseUri, database, locus, alleleId);
  }
}
