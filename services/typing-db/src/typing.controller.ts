import { TypingSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import type { z } from 'zod';
import { IsolatesService } from './isolates.service';
import { SequenceQueryService } from './sequence-query/sequence-query.service';
import { TypingService } from './typing.service';

type In<K extends keyof typeof TypingSubjects> = z.output<(typeof TypingSubjects)[K]['request']>;

@Controller()
export class TypingController {
  constructor(
    private readonly typing: TypingService,
    private readonly isolates: IsolatesService,
    private readonly sequenceQueries: SequenceQueryService,
  ) {}

  @HandleRequest(TypingSubjects.querySequence)
  querySequence(request: In<'querySequence'>) {
    return this.sequenceQueries.query(request);
  }
  @HandleRequest(TypingSubjects.queryDesignations)
  queryDesignations(request: In<'queryDesignations'>) {
    return this.sequenceQueries.designations(request);
  }

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
  curators({ baseUri, database }: In<'listCurators'>) {
    return this.typing.curators(baseUri, database);
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
  @HandleRequest(TypingSubjects.listSchemeLoci)
  schemeLoci({ baseUri, database, schemeId, page }: In<'listSchemeLoci'>) {
    return this.typing.schemeLoci(baseUri, database, schemeId, page);
  }
  @HandleRequest(TypingSubjects.getUser)
  user({ database, userId }: In<'getUser'>) {
    return this.typing.user(database, userId);
  }
  @HandleRequest(TypingSubjects.listClassificationSchemes)
  classificationSchemes({ baseUri, database }: In<'listClassificationSchemes'>) {
    return this.typing.classificationSchemes(baseUri, database);
  }
  @HandleRequest(TypingSubjects.getClassificationScheme)
  classificationScheme({ baseUri, database, classificationSchemeId }: In<'getClassificationScheme'>) {
    return this.typing.classificationScheme(baseUri, database, classificationSchemeId);
  }
  @HandleRequest(TypingSubjects.listClassificationGroups)
  classificationGroups({ baseUri, database, classificationSchemeId, page }: In<'listClassificationGroups'>) {
    return this.typing.classificationGroups(baseUri, database, classificationSchemeId, page);
  }
  @HandleRequest(TypingSubjects.getClassificationGroup)
  classificationGroup({ baseUri, database, classificationSchemeId, groupId, page }: In<'getClassificationGroup'>) {
    return this.typing.classificationGroup(baseUri, database, classificationSchemeId, groupId, page);
  }

  @HandleRequest(TypingSubjects.listIsolates)
  isolateList({ baseUri, database, page }: In<'listIsolates'>) {
    return this.isolates.isolates(baseUri, database, page);
  }
  @HandleRequest(TypingSubjects.listGenomes)
  genomes({ baseUri, database, page }: In<'listGenomes'>) {
    return this.isolates.genomes(baseUri, database, page);
  }
  @HandleRequest(TypingSubjects.searchIsolates)
  search({ baseUri, database, terms, page }: In<'searchIsolates'>) {
    return this.isolates.search(baseUri, database, terms, page);
  }
  @HandleRequest(TypingSubjects.getIsolate)
  isolate({ baseUri, database, isolateId, provenanceOnly }: In<'getIsolate'>) {
    return this.isolates.isolate(baseUri, database, isolateId, provenanceOnly);
  }
  @HandleRequest(TypingSubjects.getIsolateHistory)
  history({ baseUri, database, isolateId }: In<'getIsolateHistory'>) {
    return this.isolates.history(baseUri, database, isolateId);
  }
  @HandleRequest(TypingSubjects.listDesignations)
  designations({ baseUri, database, isolateId, page }: In<'listDesignations'>) {
    return this.isolates.designations(baseUri, database, isolateId, page);
  }
  @HandleRequest(TypingSubjects.getDesignations)
  designation({ baseUri, database, isolateId, locus }: In<'getDesignations'>) {
    return this.isolates.designation(baseUri, database, isolateId, locus);
  }
  @HandleRequest(TypingSubjects.listAlleleIds)
  alleleIds({ baseUri, database, isolateId, page }: In<'listAlleleIds'>) {
    return this.isolates.alleleIds(baseUri, database, isolateId, page);
  }
  @HandleRequest(TypingSubjects.getSchemeAlleleIds)
  schemeAlleleIds({ database, isolateId, schemeId }: In<'getSchemeAlleleIds'>) {
    return this.isolates.schemeAlleleIds(database, isolateId, schemeId);
  }
  @HandleRequest(TypingSubjects.getSchemeDesignations)
  schemeDesignations({ baseUri, database, isolateId, schemeId }: In<'getSchemeDesignations'>) {
    return this.isolates.schemeDesignations(baseUri, database, isolateId, schemeId);
  }
  @HandleRequest(TypingSubjects.listContigs)
  contigs({ baseUri, database, isolateId, page }: In<'listContigs'>) {
    return this.isolates.contigs(baseUri, database, isolateId, page);
  }
  @HandleRequest(TypingSubjects.getContig)
  contig({ baseUri, database, contigId }: In<'getContig'>) {
    return this.isolates.contig(baseUri, database, contigId);
  }
  @HandleRequest(TypingSubjects.contigsFasta)
  contigsFasta({ database, isolateId, header }: In<'contigsFasta'>) {
    return this.isolates.contigsFasta(database, isolateId, header);
  }
  @HandleRequest(TypingSubjects.listFields)
  fields({ baseUri, database }: In<'listFields'>) {
    return this.isolates.fields(baseUri, database);
  }
  @HandleRequest(TypingSubjects.listFieldValues)
  fieldValues({ baseUri, database, field, page }: In<'listFieldValues'>) {
    return this.isolates.fieldValues(baseUri, database, field, page);
  }
  @HandleRequest(TypingSubjects.listProjects)
  projects({ baseUri, database }: In<'listProjects'>) {
    return this.isolates.projects(baseUri, database);
  }
  @HandleRequest(TypingSubjects.getProject)
  project({ baseUri, database, projectId }: In<'getProject'>) {
    return this.isolates.project(baseUri, database, projectId);
  }
  @HandleRequest(TypingSubjects.listProjectIsolates)
  projectIsolates({ baseUri, database, projectId, page }: In<'listProjectIsolates'>) {
    return this.isolates.projectIsolates(baseUri, database, projectId, page);
  }
}
