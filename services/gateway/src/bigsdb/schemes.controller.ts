import { type PageRequest, TypingSubjects } from '@helixgate/contracts';
import { RpcClient } from '@helixgate/platform';
import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicOrigin } from '../public-origin';
import { flag, Page, PagingHeaders, sendTypingDownload, setPagingHeaders } from './bigsdb-http';

/** BIGSdb / PubMLST reads of schemes, their profiles and classification schemes, answered by typing-db. */
@ApiTags('BIGSdb typing databases')
@Controller('db/:database')
export class BigsdbSchemesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('schemes/:schemeId/fields/:field')
  getSchemeField(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
    @Param('field') field: string,
  ) {
    return this.rpc.request(TypingSubjects.getSchemeField, { baseUri, database, schemeId, field });
  }

  @Get('schemes')
  listSchemes(@PublicOrigin() baseUri: string, @Param('database') database: string, @Query('with_pk') withPk: unknown) {
    return this.rpc.request(TypingSubjects.listSchemes, { baseUri, database, withPk: flag(withPk) });
  }

  @Get('schemes/:schemeId')
  getScheme(@PublicOrigin() baseUri: string, @Param('database') database: string, @Param('schemeId') schemeId: string) {
    return this.rpc.request(TypingSubjects.getScheme, { baseUri, database, schemeId });
  }

  @Get('schemes/:schemeId/profiles')
  @ApiOperation({
    summary: 'Profiles of a scheme (paged); an Accept header naming TSV or CSV gets profiles_csv instead',
  })
  // @Res(): the Accept header may turn this page into a profiles_csv download, streamed to the raw response.
  async listProfiles(
    @PublicOrigin() baseUri: string,
    @Headers('accept') accept: string | undefined,
    @Res() response: Response,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
    @Page() page: PageRequest,
  ) {
    // BIGSdb forwards (internally, no redirect) to profiles_csv when the Accept header mentions tsv or csv.
    if (/tsv|csv/i.test(accept ?? '')) return this.profilesCsv(response, database, schemeId);
    const reply = await this.rpc.request(TypingSubjects.listProfiles, { baseUri, database, schemeId, page });
    setPagingHeaders(response, reply.headers);
    response.json(reply.body);
  }

  @Get('schemes/:schemeId/loci')
  @ApiOperation({ summary: 'Loci of a scheme (alleles_added_after, alleles_updated_after, *_reldate filters)' })
  listSchemeLoci(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
    @Page() page: PageRequest,
  ) {
    return this.rpc.request(TypingSubjects.listSchemeLoci, { baseUri, database, schemeId, page });
  }

  @Get('classification_schemes')
  listClassificationSchemes(@PublicOrigin() baseUri: string, @Param('database') database: string) {
    return this.rpc.request(TypingSubjects.listClassificationSchemes, { baseUri, database });
  }

  @Get('classification_schemes/:id')
  getClassificationScheme(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('id') classificationSchemeId: string,
  ) {
    return this.rpc.request(TypingSubjects.getClassificationScheme, { baseUri, database, classificationSchemeId });
  }

  @Get('classification_schemes/:id/groups')
  @PagingHeaders()
  @ApiOperation({ summary: 'Groups of a classification scheme (seqdef; paged)' })
  listClassificationGroups(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('id') classificationSchemeId: string,
    @Page() page: PageRequest,
  ) {
    return this.rpc.request(TypingSubjects.listClassificationGroups, {
      baseUri,
      database,
      classificationSchemeId,
      page,
    });
  }

  @Get('classification_schemes/:id/groups/:groupId')
  @PagingHeaders()
  @ApiOperation({ summary: 'Profiles (seqdef) or isolates (isolates database) in a classification group (paged)' })
  getClassificationGroup(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('id') classificationSchemeId: string,
    @Param('groupId') groupId: string,
    @Page() page: PageRequest,
  ) {
    return this.rpc.request(TypingSubjects.getClassificationGroup, {
      baseUri,
      database,
      classificationSchemeId,
      groupId,
      page,
    });
  }

  @Get('schemes/:schemeId/profiles/:profileId')
  getProfile(
    @PublicOrigin() baseUri: string,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
    @Param('profileId') profileId: string,
    @Query('allele_ids_only') alleleIdsOnly: unknown,
  ) {
    return this.rpc.request(TypingSubjects.getProfile, {
      baseUri,
      database,
      schemeId,
      profileId,
      alleleIdsOnly: flag(alleleIdsOnly),
    });
  }

  @Get('schemes/:schemeId/profiles_csv')
  @ApiOperation({ summary: 'All profiles of a scheme, tab-separated (streamed)' })
  // @Res(): typing-db's stream goes to the raw response as it comes (first chunk read before any header, cut short on a failed read).
  async profilesCsv(
    @Res() response: Response,
    @Param('database') database: string,
    @Param('schemeId') schemeId: string,
  ) {
    await sendTypingDownload(response, this.rpc.stream(TypingSubjects.profilesCsv, { database, schemeId }));
  }
}
