import { mongoModel } from '@helixgate/platform';
import { Global, Module } from '@nestjs/common';
import { AlleleDesignationsRepository } from '../allele-designations/allele-designations.repository';
import { ALLELE_DESIGNATION, AlleleDesignationSchema } from '../allele-designations/allele-designations.schema';
import { AllelesRepository } from '../alleles/alleles.repository';
import { ALLELE, AlleleSchema } from '../alleles/alleles.schema';
import { ClassificationRepository } from '../classification/classification.repository';
import {
  CLASSIFICATION_GROUP_MEMBER,
  CLASSIFICATION_SCHEME,
  ClassificationGroupMemberSchema,
  ClassificationSchemeSchema,
} from '../classification/classification.schema';
import { ContigsRepository } from '../contigs/contigs.repository';
import { CONTIG, CONTIG_SEQUENCE, ContigSchema, ContigSequenceSchema } from '../contigs/contigs.schema';
import { DatabasesRepository } from '../databases/databases.repository';
import { TYPING_DATABASE, TypingDatabaseSchema } from '../databases/databases.schema';
import { IsolatesRepository } from '../isolates/isolates.repository';
import { IsolateCatalogue } from '../isolates/isolate-catalogue';
import {
  HISTORY_ENTRY,
  HistoryEntrySchema,
  ISOLATE,
  ISOLATE_CATALOGUE_BLOCK,
  IsolateCatalogueBlockSchema,
  IsolateSchema,
} from '../isolates/isolates.schema';
import { LociRepository } from '../loci/loci.repository';
import { LOCUS, LocusSchema } from '../loci/loci.schema';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { PROFILE, PROFILE_BY_ALLELES, ProfileByAllelesSchema, ProfileSchema } from '../profiles/profiles.schema';
import { ProjectsRepository } from '../projects/projects.repository';
import { PROJECT, ProjectSchema } from '../projects/projects.schema';
import { SchemesRepository } from '../schemes/schemes.repository';
import { SCHEME, SchemeSchema } from '../schemes/schemes.schema';
import { UsersRepository } from '../users/users.repository';
import { TYPING_USER, TypingUserSchema } from '../users/users.schema';
import { Catalog } from './catalog';
import { Lookup } from './lookup';

const repositories = [
  DatabasesRepository,
  LociRepository,
  AllelesRepository,
  SchemesRepository,
  ProfilesRepository,
  IsolatesRepository,
  AlleleDesignationsRepository,
  ContigsRepository,
  ProjectsRepository,
  UsersRepository,
  ClassificationRepository,
];

/**
 * The typing database: its 16 collections and the repositories over them, and the look-up of what a route names.
 * Global, since every resource reads several collections (a scheme's page shows its profiles, curators and
 * classification schemes); the service and the `npm run typing` command line both import it.
 */
@Global()
@Module({
  providers: [
    mongoModel(TYPING_DATABASE, TypingDatabaseSchema),
    mongoModel(LOCUS, LocusSchema),
    mongoModel(ALLELE, AlleleSchema),
    mongoModel(SCHEME, SchemeSchema),
    mongoModel(PROFILE, ProfileSchema),
    mongoModel(PROFILE_BY_ALLELES, ProfileByAllelesSchema),
    mongoModel(ISOLATE, IsolateSchema),
    mongoModel(ALLELE_DESIGNATION, AlleleDesignationSchema),
    mongoModel(CONTIG, ContigSchema),
    mongoModel(CONTIG_SEQUENCE, ContigSequenceSchema),
    mongoModel(HISTORY_ENTRY, HistoryEntrySchema),
    mongoModel(ISOLATE_CATALOGUE_BLOCK, IsolateCatalogueBlockSchema),
    mongoModel(PROJECT, ProjectSchema),
    mongoModel(TYPING_USER, TypingUserSchema),
    mongoModel(CLASSIFICATION_SCHEME, ClassificationSchemeSchema),
    mongoModel(CLASSIFICATION_GROUP_MEMBER, ClassificationGroupMemberSchema),
    ...repositories,
    Catalog,
    Lookup,
    IsolateCatalogue,
  ],
  exports: [...repositories, Catalog, Lookup, IsolateCatalogue],
})
export class TypingStoreModule {}
