import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { z } from 'zod';
import { ProfileSchema, StreamSummarySchema, TypingSubjects } from '../src';

type Subjects = typeof TypingSubjects;
type Examples = { [K in keyof Subjects]?: Array<z.input<Subjects[K]['reply']>> };

/** Absolute links as BIGSdb writes them. */
const SEQDEF = 'https://rest.pubmlst.org/db/pubmlst_neisseria_seqdef';
const ISOLATES = 'https://rest.pubmlst.org/db/pubmlst_neisseria_isolates';
const headers = { perPage: 100, offset: 100, totalPages: 3 };
const paging = {
  first: `${SEQDEF}/loci?page=1&page_size=100`,
  previous: `${SEQDEF}/loci?page=1&page_size=100`,
  next: `${SEQDEF}/loci?page=3&page_size=100`,
  last: `${SEQDEF}/loci?page=3&page_size=100`,
  return_all: `${SEQDEF}/loci?return_all=1`,
};
const pubmed = (id: number) => ({ pubmed_id: id, citation_link: `https://www.ncbi.nlm.nih.gov/pubmed/${id}` });

/**
 * One or more replies of each kind, as typing-db builds them (research notes' BIGSdb examples, less what the
 * service does not send), every optional key present at least once, keys in the order the service writes them.
 */
const EXAMPLES: Examples = {
  listResources: [
    [
      {
        name: 'neisseria',
        description: 'Neisseria spp.',
        databases: [
          { name: 'pubmlst_neisseria_isolates', description: 'Neisseria isolates', href: ISOLATES },
          { name: 'pubmlst_neisseria_seqdef', description: 'Neisseria sequence/profile definitions', href: SEQDEF },
        ],
      },
    ],
  ],
  getDatabase: [
    {
      curators: `${SEQDEF}/curators`,
      loci: `${SEQDEF}/loci`,
      schemes: `${SEQDEF}/schemes`,
      sequences: `${SEQDEF}/sequences`,
    },
    {
      curators: `${ISOLATES}/curators`,
      loci: `${ISOLATES}/loci`,
      schemes: `${ISOLATES}/schemes`,
      isolates: `${ISOLATES}/isolates`,
      fields: `${ISOLATES}/fields`,
      genomes: `${ISOLATES}/genomes`,
      projects: `${ISOLATES}/projects`,
    },
  ],
  listLoci: [
    { body: { records: 7, loci: [`${SEQDEF}/loci/abcZ`, `${SEQDEF}/loci/adk`] }, headers },
    { body: { records: 250, loci: [`${SEQDEF}/loci/abcZ`], paging }, headers },
  ],
  getLocus: [
    {
      id: 'abcZ',
      data_type: 'DNA',
      allele_id_format: 'integer',
      length_varies: false,
      coding_sequence: true,
      length: 433,
      schemes: [{ scheme: `${SEQDEF}/schemes/1`, description: 'MLST' }],
      alleles: `${SEQDEF}/loci/abcZ/alleles`,
      alleles_fasta: `${SEQDEF}/loci/abcZ/alleles_fasta`,
    },
    {
      id: 'penA',
      data_type: 'peptide',
      allele_id_format: 'text',
      length_varies: true,
      coding_sequence: true,
      min_length: 1700,
      max_length: 1800,
    },
  ],
  listAlleles: [
    {
      body: {
        records: 1373,
        alleles: [`${SEQDEF}/loci/abcZ/alleles/1`, `${SEQDEF}/loci/abcZ/alleles/2`],
        last_updated: '2026-07-02',
        paging,
      },
      headers,
    },
  ],
  getAllele: [
    {
      locus: `${SEQDEF}/loci/abcZ`,
      allele_id: '5',
      sequence: 'TTTGATACTGTTGCCGA',
      status: 'Sanger trace checked',
      type_allele: false,
      date_entered: '2001-04-25',
      datestamp: '2009-01-08',
    },
  ],
  getSequences: [{ loci: `${SEQDEF}/loci`, records: 9650, last_updated: '2026-07-02' }],
  listCurators: [{ records: 2, curators: [`${SEQDEF}/users/2`, `${SEQDEF}/users/3`] }],
  getSchemeField: [{ field: 'ST', type: 'integer', primary_key: true }],
  listSchemes: [{ records: 1, schemes: [{ scheme: `${SEQDEF}/schemes/1`, description: 'MLST' }] }],
  getScheme: [
    {
      id: 1,
      description: 'MLST',
      has_primary_key_field: true,
      fields: [`${SEQDEF}/schemes/1/fields/ST`, `${SEQDEF}/schemes/1/fields/clonal_complex`],
      locus_count: 7,
      loci: [`${SEQDEF}/loci/abcZ`, `${SEQDEF}/loci/adk`],
      allow_missing_loci: false,
      allow_presence: false,
      display_order: 1,
      primary_key_field: `${SEQDEF}/schemes/1/fields/ST`,
      records: 15123,
      last_added: '2026-07-01',
      last_updated: null,
      profiles: `${SEQDEF}/schemes/1/profiles`,
      profiles_csv: `${SEQDEF}/schemes/1/profiles_csv`,
      curators: [`${SEQDEF}/users/2`],
      classification_schemes: [{ href: `${SEQDEF}/classification_schemes/1`, name: 'Nm_cgc_25' }],
    },
  ],
  listProfiles: [
    {
      body: { records: 15123, last_updated: '2026-07-02', profiles: [`${SEQDEF}/schemes/1/profiles/1`], paging },
      headers,
    },
  ],
  listSchemeLoci: [{ records: 2, loci: [`${SEQDEF}/loci/abcZ`, `${SEQDEF}/loci/adk`] }],
  getUser: [
    { id: 2, first_name: 'Keith', surname: 'Jolley', affiliation: 'University of Oxford', email: 'k@example.org' },
    { id: 5, first_name: 'Ada', surname: 'Lovelace', affiliation: 'London' },
  ],
  listClassificationSchemes: [{ records: 1, classification_schemes: [`${SEQDEF}/classification_schemes/1`] }],
  getClassificationScheme: [
    {
      id: 1,
      scheme: `${SEQDEF}/schemes/47`,
      name: 'Nm_cgc_25',
      description: 'cgMLST single-linkage at 25 loci',
      inclusion_threshold: 25,
      relative_threshold: false,
      groups: `${SEQDEF}/classification_schemes/1/groups`,
    },
  ],
  listClassificationGroups: [
    { body: { records: 1200, groups: [`${SEQDEF}/classification_schemes/1/groups/4`], paging }, headers },
  ],
  getClassificationGroup: [
    { body: { records: 812, profiles: [`${SEQDEF}/schemes/1/profiles/11`], paging }, headers },
    { body: { records: 35, isolates: [`${ISOLATES}/isolates/3`, `${ISOLATES}/isolates/4`] }, headers },
  ],
  querySequence: [
    { exact_matches: [{ allele_id: '2', href: `${SEQDEF}/loci/abcZ/alleles/2` }] },
    {
      exact_matches: [
        {
          allele_id: '2',
          href: `${SEQDEF}/loci/abcZ/alleles/2`,
          start: 1001,
          end: 1433,
          length: 433,
          orientation: 'forward',
          contig: 'c1',
        },
      ],
    },
    {
      exact_matches: [],
      best_match: {
        allele_id: '2',
        start: 11,
        end: 443,
        length: 433,
        alignment: 433,
        mismatches: 1,
        gaps: 0,
        identity: 99.77,
        orientation: 'reverse',
        contig: 'c1',
      },
    },
    { exact_matches: { abcZ: [{ allele_id: '2', href: `${SEQDEF}/loci/abcZ/alleles/2` }] } },
    {
      exact_matches: {
        abcZ: [{ allele_id: '2', start: 1, end: 433, length: 433, orientation: 'reverse' }],
      },
      fields: { ST: '11', clonal_complex: 'ST-11 complex' },
      partial_matches: {
        adk: {
          allele: '3',
          identity: 99.3,
          length: 465,
          mismatches: 3,
          gaps: 0,
          qstart: 101,
          qend: 565,
          sstart: 465,
          send: 1,
          bitscore: 842,
          alignment: 465,
          start: 101,
          end: 565,
          predicted_start: 101,
          predicted_end: 565,
          query: 'contig_7',
          locus: 'adk',
          sequence: 'ACGT',
          flanking_sequence: 'TTACGTAA',
          reverse: 1,
        },
      },
    },
    {},
  ],
  queryDesignations: [
    { exact_matches: { abcZ: [{ allele_id: '2' }], adk: [{ allele_id: '3' }] }, fields: { ST: '11' } },
    {},
  ],
  listIsolates: [
    {
      body: {
        records: 6,
        last_added: '2026-07-01',
        last_updated: '2026-07-02',
        isolates: [`${ISOLATES}/isolates/1`],
        paging,
      },
      headers,
    },
    { body: { records: 0, isolates: [] }, headers: { perPage: 100, offset: 0, totalPages: 0 } },
  ],
  getIsolate: [
    {
      provenance: {
        id: 1,
        isolate: 'A4/M1027',
        country: 'USA',
        year: 1937,
        penicillin_resistant: false,
        sender: `${ISOLATES}/users/2`,
        curator: `${ISOLATES}/users/2`,
        date_entered: '2026-07-01',
        datestamp: '2026-07-02',
      },
      aliases: ['M1027'],
      history: `${ISOLATES}/isolates/1/history`,
      publications: [pubmed(9501229)],
      sequence_bin: {
        contig_count: 143,
        total_length: 2184862,
        N50: 45000,
        L50: 15,
        contigs: `${ISOLATES}/isolates/1/contigs`,
        contigs_fasta: `${ISOLATES}/isolates/1/contigs_fasta`,
      },
      allele_designations: {
        designation_count: 2190,
        full_designations: `${ISOLATES}/isolates/1/allele_designations`,
        allele_ids: `${ISOLATES}/isolates/1/allele_ids`,
      },
      schemes: [
        {
          description: 'MLST',
          loci_designated_count: 7,
          full_designations: `${ISOLATES}/isolates/1/schemes/1/allele_designations`,
          allele_ids: `${ISOLATES}/isolates/1/schemes/1/allele_ids`,
          fields: { ST: 4, clonal_complex: 'ST-4 complex' },
          classification_schemes: {
            Nm_cgc_25: {
              href: `${ISOLATES}/classification_schemes/1`,
              groups: [{ group: 4, records: 35, isolates: `${ISOLATES}/classification_schemes/1/groups/4` }],
            },
          },
        },
        {
          description: 'rMLST',
          loci_designated_count: 51,
          full_designations: `${ISOLATES}/isolates/1/schemes/2/allele_designations`,
          allele_ids: `${ISOLATES}/isolates/1/schemes/2/allele_ids`,
          fields: { rST: [1234, 1235] },
        },
      ],
      projects: [{ id: `${ISOLATES}/projects/3`, description: 'Complete genomes' }],
      new_version: `${ISOLATES}/isolates/7`,
      old_version: `${ISOLATES}/isolates/0`,
    },
    { provenance: { id: 2, isolate: 'Z2491', date_entered: '2026-07-01', datestamp: '2026-07-01' } },
  ],
  getIsolateHistory: [
    {
      records: 2,
      updates: [
        {
          curator: `${ISOLATES}/users/3`,
          timestamp: '2016-03-03 10:15:22.394718',
          actions: ["country: 'UK' -> 'United Kingdom'"],
        },
        { timestamp: '2016-03-04 09:00:00.000001', actions: ['year: 1990 -> 1991'] },
      ],
    },
  ],
  listDesignations: [
    {
      body: { records: 2190, allele_designations: [`${ISOLATES}/isolates/1/allele_designations/abcZ`], paging },
      headers,
    },
  ],
  getDesignations: [
    [
      {
        locus: `${ISOLATES}/loci/abcZ`,
        allele_id: 2,
        status: 'confirmed',
        method: 'automatic',
        comments: 'checked',
        sender: `${ISOLATES}/users/2`,
        curator: `${ISOLATES}/users/2`,
        datestamp: '2016-01-01',
      },
      {
        locus: `${ISOLATES}/loci/abcZ`,
        allele_id: 'new',
        status: 'provisional',
        method: 'manual',
        datestamp: '2016-01-02',
      },
    ],
  ],
  listAlleleIds: [{ body: { records: 2, allele_ids: [{ abcZ: 2 }, { adk: [3, 5] }, { penA: '1.1' }] }, headers }],
  getSchemeAlleleIds: [{ records: 2, allele_ids: [{ abcZ: 2 }, { adk: [3, 'x'] }] }],
  getSchemeDesignations: [
    {
      records: 1,
      allele_designations: [
        {
          abcZ: [
            {
              locus: `${ISOLATES}/loci/abcZ`,
              allele_id: 2,
              sender: `${ISOLATES}/users/2`,
              status: 'confirmed',
              method: 'manual',
              curator: `${ISOLATES}/users/2`,
              date_entered: '2016-01-01',
              datestamp: '2016-01-02',
            },
          ],
        },
      ],
    },
  ],
  listContigs: [{ body: { records: 143, contigs: [`${ISOLATES}/contigs/1`], paging }, headers }],
  getContig: [
    {
      id: 1,
      isolate_id: 1,
      sequence: 'ACGTACGT',
      length: 8,
      method: 'Illumina',
      original_designation: 'NODE_1_length_8',
      comments: 'assembled with SPAdes',
      sender: `${ISOLATES}/users/2`,
      curator: `${ISOLATES}/users/2`,
      date_entered: '2016-01-01',
      datestamp: '2016-01-02',
    },
    { id: 2, isolate_id: 1, sequence: 'ACGT', length: 4, date_entered: '2016-01-01', datestamp: '2016-01-02' },
  ],
  listFields: [
    [
      { name: 'id', type: 'int', required: true, values: `${ISOLATES}/fields/id` },
      {
        name: 'year',
        type: 'int',
        required: false,
        length: 4,
        min: 1900,
        max: 2100,
        regex: '^\\d{4}$',
        comments: 'year of isolation',
        allowed_values: ['1990', '1991'],
        values: `${ISOLATES}/fields/year`,
      },
    ],
  ],
  listFieldValues: [{ body: { records: 3, values: [1937, 'UK', true], paging }, headers }],
  listProjects: [{ records: 1, projects: [{ project: `${ISOLATES}/projects/3`, description: 'Complete genomes' }] }],
  getProject: [{ id: 3, description: 'Complete genomes', isolates: `${ISOLATES}/projects/3/isolates` }],
  listProjectIsolates: [{ body: { records: 1, isolates: [`${ISOLATES}/isolates/1`], paging }, headers }],
};
EXAMPLES.listGenomes = EXAMPLES.listIsolates;
EXAMPLES.searchIsolates = EXAMPLES.listIsolates;

/** Profiles: the scheme's fields are data-defined keys beside the fixed ones. */
const PROFILES = [
  {
    ST: 11,
    clonal_complex: 'ST-11 complex',
    alleles: [`${SEQDEF}/loci/abcZ/alleles/2`, `${SEQDEF}/loci/adk/alleles/3`],
    date_entered: '2001-01-01',
    datestamp: '2002-02-02',
    classification_schemes: {
      Nm_cgc_25: {
        href: `${SEQDEF}/classification_schemes/1`,
        group: { group: 4, records: 812, profiles: `${SEQDEF}/classification_schemes/1/groups/4` },
      },
    },
  },
  {
    ST: 12,
    alleles: [
      { locus: 'abcZ', allele_id: '2' },
      { locus: 'adk', allele_id: '3' },
    ],
    date_entered: '2001-01-01',
    datestamp: '2002-02-02',
  },
];
EXAMPLES.getProfile = PROFILES;

describe('typing-db reply schemas', () => {
  for (const [key, subject] of Object.entries(TypingSubjects)) {
    if (subject.reply === StreamSummarySchema) continue;
    test(`${key}: the reply kind has examples, and parsing them strips nothing`, () => {
      const examples = EXAMPLES[key as keyof Subjects];
      assert.ok(examples?.length, `no example of ${key}`);
      for (const example of examples) assert.deepStrictEqual(subject.reply.parse(example), example);
    });
  }

  test('keys come out in the order the service writes them (JSON text unchanged), profiles aside', () => {
    for (const [key, examples] of Object.entries(EXAMPLES)) {
      if (key === 'getProfile') continue;
      const reply = TypingSubjects[key as keyof Subjects].reply;
      for (const example of examples) assert.equal(JSON.stringify(reply.parse(example)), JSON.stringify(example), key);
    }
  });

  test("a profile's scheme fields are kept and checked (strings or numbers), written after the fixed keys", () => {
    const parsed = ProfileSchema.parse(PROFILES[0]);
    assert.deepEqual(Object.keys(parsed), [
      'alleles',
      'date_entered',
      'datestamp',
      'classification_schemes',
      'ST',
      'clonal_complex',
    ]);
    assert.equal(ProfileSchema.safeParse({ ...PROFILES[1], ST: [11] }).success, false);
  });

  test('a reply missing a required key or with a wrong type is refused, not passed on', () => {
    assert.equal(TypingSubjects.getAllele.reply.safeParse({ locus: SEQDEF }).success, false);
    assert.equal(TypingSubjects.getIsolate.reply.safeParse({ provenance: { id: 1, year: [1937] } }).success, false);
    assert.equal(TypingSubjects.listLoci.reply.safeParse({ body: { loci: [] }, headers }).success, false);
  });
});
