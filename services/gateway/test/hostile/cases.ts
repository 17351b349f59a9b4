import type { RawRequest } from '@helixgate/testing';

/**
 * The hostile-input suite's cases: generated requests across the five families, each with what it may answer.
 * A case never expects a 5xx; `error` cases expect a 4xx in the family's format, `any` cases a 2xx or a 4xx
 * (a hostile value that is still a valid one, like a unicode sample name, may be taken).
 */
export type Family = 'patlas' | 'bigsdb' | 'analytics_automated' | 'cgi';

export interface HostileCase extends RawRequest {
  name: string;
  group: string;
  family: Family;
  expect: 'error' | 'any';
  /** When set, the only statuses allowed. */
  statuses?: number[];
  /** Sent one at a time after the batch's other cases, in the order given (a signed request and its replay). */
  ordered?: boolean;
}

/** What the generators need from the running stack: credentials and the ids of real records. */
export interface CaseContext {
  seqdef: string;
  isolates: string;
  /** `Authorization` value for the CGI API (`email token`). */
  cgiAuth: string;
  /** HTTP Basic of a plain user. */
  basicAuth: string;
  cgiJobId: string;
  submissionId: string;
  /** Signs a request with the test client and a user's session token (a fresh nonce each call). */
  sign(method: string, url: string, query?: Record<string, string>): string;
  /** Signs with a consumer key and secret only (token routes), optionally with a forged secret. */
  signConsumer(method: string, url: string, extra: Record<string, string>, forgedSecret?: string): string;
  consumerKey: string;
  baseUrl: string;
}

/** Values hostile to a path segment or a query value, percent-encoded as they go on the request line. */
export const HOSTILE_SEGMENTS = [
  '%00',
  'a%00b',
  '2%00',
  '%01',
  '%1F',
  '%7F',
  '%0A',
  '%0D%0AX-Injected:%201',
  '..%2F..%2Fetc%2Fpasswd',
  '..%252F..%252Fetc',
  '%2e%2e%2f%2e%2e%2f',
  '....%2F%2F',
  '%2F',
  'a%2Fb',
  '%5C..%5C',
  '__proto__',
  'constructor',
  'prototype',
  '__proto__%5Bx%5D',
  'toString',
  'hasOwnProperty',
  '%24gt',
  '%7B%22%24gt%22%3A%22%22%7D',
  '%24where',
  "'%20OR%201%3D1--",
  '%22%3B%20DROP%20TABLE%20x%3B--',
  '(a%2B)%2B%24',
  '.*',
  '%5B',
  '(%3F%3D(a*)*)b',
  '%5E(a%7Caa)*%24',
  'A'.repeat(4096),
  '%F0%9F%A7%AC',
  '%C0%AF',
  '%FF%FE',
  '%E2%80%AE',
  '%ED%A0%80',
  '-1',
  '1e309',
  'NaN',
  '0x10',
  '99999999999999999999999',
  '%20',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%25',
];

const DEEP = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);
const DEEP_OBJECT = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Bodies that are not what a JSON route wants: malformed, truncated, deep, typed wrong, hostile keys and bytes. */
function hostileJsonBodies(
  valid: Record<string, unknown>,
): Array<{ name: string; body: Buffer | string; malformed: boolean }> {
  const text = JSON.stringify(valid);
  const bodies: Array<{ name: string; body: Buffer | string; malformed: boolean }> = [
    { name: 'not JSON', body: 'hello', malformed: true },
    { name: 'open brace', body: '{', malformed: true },
    { name: 'null', body: 'null', malformed: true },
    { name: 'array', body: '[]', malformed: true },
    { name: 'string', body: '"x"', malformed: true },
    { name: 'number', body: '12', malformed: true },
    { name: 'deep arrays 30000', body: DEEP(30_000), malformed: true },
    { name: 'deep objects 30000', body: DEEP_OBJECT(30_000), malformed: true },
    { name: 'deep value 5000', body: text.replace(/}$/, `,"deep":${DEEP(5000)}}`), malformed: true },
    {
      name: 'raw NUL',
      body: Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0]), Buffer.from('}')]),
      malformed: true,
    },
    { name: 'escaped NUL in a value', body: text.replace(/}$/, ',"x":"a\\u0000b"}'), malformed: true },
    { name: 'escaped NUL in a key', body: text.replace(/}$/, ',"a\\u0000b":1}'), malformed: true },
    { name: '__proto__ key', body: text.replace(/}$/, ',"__proto__":{"hgPolluted":"yes"}}'), malformed: false },
    {
      name: 'constructor.prototype key',
      body: text.replace(/}$/, ',"constructor":{"prototype":{"hgPolluted":"yes"}}}'),
      malformed: false,
    },
    {
      name: 'invalid UTF-8',
      body: Buffer.concat([
        Buffer.from(text.slice(0, -1)),
        Buffer.from(',"x":"'),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('"}'),
      ]),
      malformed: false,
    },
    { name: 'UTF-16 body', body: Buffer.from(text, 'utf16le'), malformed: true },
    { name: 'BOM then JSON', body: `\ufeff${text}`, malformed: false },
    { name: 'lone surrogate', body: text.replace(/}$/, ',"x":"\\ud800"}'), malformed: false },
    { name: 'duplicate keys', body: text.replace(/}$/, `,${text.slice(1)}`), malformed: false },
    { name: 'huge number', body: text.replace(/}$/, `,"n":1${'0'.repeat(400)}}`), malformed: false },
  ];
  for (const [key, value] of Object.entries(valid)) {
    for (const [label, replacement] of [
      ['an operator object', { $gt: '' }],
      ['a $where', { $where: 'sleep(1000)' }],
      ['an array', [value, value]],
      ['null', null],
      ['a number', 1e308],
      ['a boolean', true],
      ['a deep array', JSON.parse(DEEP(50))],
      ['a 100k string', 'A'.repeat(100_000)],
    ] as const) {
      bodies.push({
        name: `${key} as ${label}`,
        body: JSON.stringify({ ...valid, [key]: replacement }),
        malformed: false,
      });
    }
  }
  for (let cut = 1; cut < text.length; cut += Math.max(1, Math.floor(text.length / 12))) {
    bodies.push({ name: `truncated at ${cut}`, body: text.slice(0, cut), malformed: true });
  }
  return bodies;
}

const json = (): Array<[string, string]> => [['Content-Type', 'application/json']];

function patlasCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const valid = { type: 'mapping', samples: { s1: { NZ_CP015088_1: 0.68 } } };
  for (const { name, body, malformed } of hostileJsonBodies(valid)) {
    cases.push({
      group: 'pATLAS POST body',
      name,
      family: 'patlas',
      method: 'POST',
      path: '/results/',
      headers: json(),
      body,
      expect: malformed ? 'error' : 'any',
    });
  }
  const documents: Array<[string, unknown, 'error' | 'any']> = [
    ['type __proto__', { type: '__proto__', samples: { s: { A_1: 0.5 } } }, 'error'],
    ['sample __proto__', { type: 'mapping', samples: { ['__proto__']: { A_1: 0.5 } } }, 'any'],
    ['accession __proto__', { type: 'mapping', samples: { s: { ['__proto__']: 0.5 } } }, 'any'],
    ['accession constructor', { type: 'mapping', samples: { s: { constructor: 0.5 } } }, 'any'],
    ['sample prototype', { type: 'mapping', samples: { prototype: { A_1: 0.5 } } }, 'any'],
    ['mapping value a string', { type: 'mapping', samples: { s: { A_1: 'abc' } } }, 'error'],
    ['mapping value an object', { type: 'mapping', samples: { s: { A_1: { $gt: 0 } } } }, 'error'],
    ['mash_screen value short', { type: 'mash_screen', samples: { s: { A_1: ['0.9'] } } }, 'error'],
    ['assembly value deep', { type: 'assembly', samples: { s: { A_1: [[[[1]]], 0.5, 'c'] } } }, 'error'],
    ['samples an array', { type: 'mapping', samples: [] }, 'error'],
    ['samples a string', { type: 'mapping', samples: 'x' }, 'error'],
    ['samples empty', { type: 'mapping', samples: {} }, 'error'],
    ['type missing', { samples: { s: { A_1: 0.5 } } }, 'error'],
    ['type an operator', { type: { $ne: null }, samples: { s: { A_1: 0.5 } } }, 'error'],
    ['unicode names', { type: 'mapping', samples: { '🧬\u202e': { 'NZ_🧬': 0.5 } } }, 'any'],
    ['NUL in sample name', { type: 'mapping', samples: { 'a\u0000b': { A_1: 0.5 } } }, 'error'],
    ['NUL in accession', { type: 'mapping', samples: { s: { 'A\u0000': 0.5 } } }, 'error'],
    ['long sample name', { type: 'mapping', samples: { ['s'.repeat(100_000)]: { A_1: 0.5 } } }, 'any'],
    [
      'script sample name',
      { type: 'mapping', samples: { '<script>alert(1)</script>': { '"><img src=x onerror=alert(1)>': 0.5 } } },
      'any',
    ],
  ];
  for (const [name, document, expect] of documents) {
    cases.push({
      group: 'pATLAS documents',
      name,
      family: 'patlas',
      method: 'POST',
      path: '/results/',
      headers: json(),
      body: JSON.stringify(document),
      expect,
    });
  }
  cases.push(
    {
      group: 'pATLAS content types',
      name: 'multipart',
      family: 'patlas',
      method: 'POST',
      path: '/results/',
      headers: [['Content-Type', 'multipart/form-data; boundary=x']],
      body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n',
      expect: 'error',
    },
    {
      group: 'pATLAS content types',
      name: 'form',
      family: 'patlas',
      method: 'POST',
      path: '/results/',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'type=mapping&samples[$gt]=',
      expect: 'error',
    },
    {
      group: 'pATLAS content types',
      name: 'xml',
      family: 'patlas',
      method: 'POST',
      path: '/results/',
      headers: [['Content-Type', 'application/xml']],
      body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      expect: 'error',
    },
    {
      group: 'pATLAS content types',
      name: 'empty body',
      family: 'patlas',
      method: 'POST',
      path: '/results/',
      headers: json(),
      body: '',
      expect: 'error',
    },
    {
      group: 'pATLAS size',
      name: 'over the body limit',
      family: 'patlas',
      method: 'POST',
      path: '/results/',
      headers: json(),
      body: JSON.stringify({ type: 'mapping', samples: { s: { A_1: 0.5 } }, pad: 'x'.repeat(11 * 1024 * 1024) }),
      expect: 'error',
      statuses: [413],
    },
    {
      group: 'pATLAS size',
      name: 'declared over the limit',
      family: 'patlas',
      method: 'POST',
      path: '/results/',
      headers: [
        ['Content-Type', 'application/json'],
        ['Content-Length', String(1024 ** 3)],
      ],
      body: '',
      expect: 'error',
      statuses: [413],
    },
  );
  for (const value of HOSTILE_SEGMENTS) {
    cases.push({
      group: 'pATLAS link',
      name: `query=${value.slice(0, 40)}`,
      family: 'patlas',
      method: 'GET',
      path: `/results?query=${value}&format=json`,
      expect: 'error',
    });
    cases.push({
      group: 'pATLAS link',
      name: `format=${value.slice(0, 40)}`,
      family: 'patlas',
      method: 'GET',
      path: `/results?query=1&format=${value}`,
      expect: 'error',
    });
  }
  cases.push(
    {
      group: 'pATLAS link',
      name: 'query[$gt]',
      family: 'patlas',
      method: 'GET',
      path: '/results?query[$gt]=',
      expect: 'error',
    },
    {
      group: 'pATLAS link',
      name: 'query twice',
      family: 'patlas',
      method: 'GET',
      path: '/results?query=1&query=2',
      expect: 'error',
    },
  );
  return cases;
}

function bigsdbReadCases(ctx: CaseContext): HostileCase[] {
  const s = `/db/${ctx.seqdef}`;
  const i = `/db/${ctx.isolates}`;
  const pathTemplates = [
    (h: string) => `/db/${h}`,
    (h: string) => `${s}/loci/${h}`,
    (h: string) => `${s}/loci/abcZ/alleles/${h}`,
    (h: string) => `${s}/loci/${h}/alleles_fasta`,
    (h: string) => `${s}/schemes/${h}`,
    (h: string) => `${s}/schemes/1/profiles/${h}`,
    (h: string) => `${s}/classification_schemes/${h}/groups`,
    (h: string) => `${i}/isolates/${h}`,
    (h: string) => `${i}/isolates/${h}/contigs_fasta`,
    (h: string) => `${i}/fields/${h}`,
    (h: string) => `${i}/users/${h}`,
    (h: string) => `${i}/projects/${h}`,
  ];
  const queryTemplates = [
    (h: string) => `${s}/loci?page=${h}`,
    (h: string) => `${s}/loci/abcZ/alleles?page_size=${h}`,
    (h: string) => `${s}/loci/abcZ/alleles?added_after=${h}`,
    (h: string) => `${s}/schemes/1/profiles?updated_on=${h}`,
    (h: string) => `${s}/schemes/1/profiles?return_all=${h}&page_size=1`,
    (h: string) => `${i}/isolates/1/contigs_fasta?header=${h}`,
    (h: string) => `${i}/genomes?genome_size=${h}`,
    (h: string) => `${s}/schemes/1/profiles/11?allele_ids_only=${h}`,
  ];
  const cases: HostileCase[] = [];
  for (const template of pathTemplates) {
    for (const value of HOSTILE_SEGMENTS) {
      // A value that is a real name can legitimately be found (e.g. `-1` is no id, but `%20` trims to nothing).
      cases.push({
        group: 'BIGSdb reads: path',
        name: template(value.slice(0, 40)),
        family: 'bigsdb',
        method: 'GET',
        path: template(value),
        expect: 'error',
      });
    }
  }
  for (const template of queryTemplates) {
    for (const value of HOSTILE_SEGMENTS) {
      cases.push({
        group: 'BIGSdb reads: query',
        name: template(value.slice(0, 40)),
        family: 'bigsdb',
        method: 'GET',
        path: template(value),
        expect: 'any',
      });
    }
  }
  for (const value of [
    '-1',
    'abc',
    '1e309',
    '99999999999999999999',
    '0x10',
    '1;2',
    '$gt',
    '__proto__',
    'A'.repeat(8000),
    '\u00e9',
  ]) {
    const latin1 = Buffer.from(value, 'utf8').toString('latin1');
    cases.push({
      group: 'BIGSdb reads: paging headers',
      name: `X-PER-PAGE ${value.slice(0, 20)}`,
      family: 'bigsdb',
      method: 'GET',
      path: `${s}/loci`,
      headers: [['X-PER-PAGE', latin1]],
      expect: 'any',
    });
    cases.push({
      group: 'BIGSdb reads: paging headers',
      name: `X-OFFSET ${value.slice(0, 20)}`,
      family: 'bigsdb',
      method: 'GET',
      path: `${s}/loci`,
      headers: [['X-OFFSET', latin1]],
      expect: 'any',
    });
  }
  for (const path of [
    '/db/../../etc/passwd',
    `${s}/loci/../../../../etc/passwd`,
    `${s}/%2e%2e/%2e%2e/etc/passwd`,
    '//db//x',
    `${s}/loci/abcZ/alleles/2/../../../x`,
    `${s}/loci?page[$gt]=1`,
    `${s}/loci?page_size[]=1&page_size[]=2`,
    `${s}/loci/abcZ/alleles?added_after[$ne]=x`,
  ]) {
    cases.push({
      group: 'BIGSdb reads: traversal and operators',
      name: path.slice(0, 60),
      family: 'bigsdb',
      method: 'GET',
      path,
      expect: 'any',
    });
  }
  return cases;
}

function sequenceQueryCases(ctx: CaseContext): HostileCase[] {
  const s = `/db/${ctx.seqdef}`;
  const cases: HostileCase[] = [];
  const routes = [`${s}/schemes/1/sequence`, `${s}/loci/abcZ/sequence`, `${s}/sequence`];
  for (const route of routes) {
    for (const { name, body, malformed } of hostileJsonBodies({
      sequence: 'ACGTACGTACGTACGTACGTTTGATAAATTC',
      details: true,
    })) {
      cases.push({
        group: 'sequence queries',
        name: `${route.split('/').slice(-2).join('/')}: ${name}`,
        family: 'bigsdb',
        method: 'POST',
        path: route,
        headers: json(),
        body,
        expect: malformed ? 'error' : 'any',
      });
    }
    for (const [name, document] of [
      ['bad base64', { base64: true, sequence: '!!!!' }],
      ['base64 of binary', { base64: true, sequence: Buffer.from([0, 1, 2, 255, 254]).toString('base64') }],
      ['base64 as a string flag', { base64: 'yes', sequence: 'QUNHVA==' }],
      ['empty FASTA', { base64: true, sequence: Buffer.from('>\n').toString('base64') }],
      ['peptide', { sequence: 'MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ' }],
      ['NUL in sequence', { sequence: 'ACGT\u0000ACGT' }],
      ['sequence missing', { details: true }],
      ['regex bomb sequence', { sequence: `${'a'.repeat(50_000)}!` }],
      ...(route.endsWith('schemes/1/sequence')
        ? ([
            [
              'FASTA of 6000 records',
              { base64: true, sequence: Buffer.from('>r\nACGT\n'.repeat(6000)).toString('base64') },
            ],
          ] as const)
        : []),
    ] as const) {
      cases.push({
        group: 'sequence queries',
        name: `${route.split('/').slice(-2).join('/')}: ${name}`,
        family: 'bigsdb',
        method: 'POST',
        path: route,
        headers: json(),
        body: JSON.stringify(document),
        expect: 'error',
      });
    }
  }
  for (const [name, designations] of [
    ['__proto__ locus', { ['__proto__']: [{ allele: '1' }] }],
    ['constructor locus', { constructor: [{ allele: '1' }] }],
    ['allele an operator', { abcZ: [{ allele: { $gt: '' } }] }],
    ['a string', { abcZ: 'x' }],
    ['NUL allele', { abcZ: [{ allele: '1\u0000' }] }],
    ['10000 loci', Object.fromEntries(Array.from({ length: 10_000 }, (_, n) => [`l${n}`, [{ allele: '1' }]]))],
  ] as const) {
    cases.push({
      group: 'sequence queries: designations',
      name,
      family: 'bigsdb',
      method: 'POST',
      path: `${s}/schemes/1/designations`,
      headers: json(),
      body: JSON.stringify({ designations }),
      expect: 'any',
    });
  }
  for (const { name, body, malformed } of hostileJsonBodies({ designations: { abcZ: [{ allele: '2' }] } })) {
    cases.push({
      group: 'sequence queries: designations',
      name,
      family: 'bigsdb',
      method: 'POST',
      path: `${s}/schemes/1/designations`,
      headers: json(),
      body,
      expect: malformed ? 'error' : 'any',
    });
  }
  return cases;
}

function isolateSearchCases(ctx: CaseContext): HostileCase[] {
  const path = `/db/${ctx.isolates}/isolates/search`;
  const cases: HostileCase[] = [];
  const terms: Array<[string, string]> = [
    ['scheme.__proto__.hgPolluted', '{"scheme.__proto__.hgPolluted":"yes"}'],
    ['field.__proto__', '{"field.__proto__":"x"}'],
    ['field.constructor', '{"field.constructor":"x"}'],
    ['locus.constructor', '{"locus.constructor":"1"}'],
    ['locus.__proto__', '{"locus.__proto__":"1"}'],
    ['scheme.prototype.ST', '{"scheme.prototype.ST":"1"}'],
    ['scheme.1.__proto__', '{"scheme.1.__proto__":"1"}'],
    ['__proto__ term', '{"__proto__":{"field.country":"UK"}}'],
    ['operator value', '{"field.country":{"$regex":".*"}}'],
    ['where value', '{"field.country":{"$where":"sleep(1000)"}}'],
    ['regex bomb value', '{"field.country":"(a+)+$"}'],
    ['regex bomb long', `{"field.country":"${'a'.repeat(30)}!"}`],
    ['integer field a word', '{"field.year":"abc"}'],
    ['integer field huge', '{"field.year":1e309}'],
    ['empty term', '{"":""}'],
    ['empty field name', '{"field.":"x"}'],
    ['unknown prefix', '{"nothing.x":"y"}'],
    ['NUL in value', '{"field.country":"U\\u0000K"}'],
    ['NUL in name', '{"field.coun\\u0000try":"UK"}'],
    ['array value', '{"field.country":["UK","US"]}'],
    ['null value', '{"field.country":null}'],
    ['1000 terms', JSON.stringify(Object.fromEntries(Array.from({ length: 1000 }, (_, n) => [`field.f${n}`, 'x'])))],
    ['deep value', `{"field.country":${DEEP(30_000)}}`],
    ['scheme field unknown', '{"scheme.1.nope":"1"}'],
    ['scheme id a word', '{"scheme.abc.ST":"1"}'],
    ['locus unknown', '{"locus.nope":"1"}'],
  ];
  for (const [name, body] of terms)
    cases.push({
      group: 'BIGSdb isolates/search',
      name,
      family: 'bigsdb',
      method: 'POST',
      path,
      headers: json(),
      body,
      expect: 'any',
    });
  for (const { name, body, malformed } of hostileJsonBodies({ 'field.country': 'UK' })) {
    cases.push({
      group: 'BIGSdb isolates/search',
      name,
      family: 'bigsdb',
      method: 'POST',
      path,
      headers: json(),
      body,
      expect: malformed ? 'error' : 'any',
    });
  }
  return cases;
}

function oauthCases(ctx: CaseContext): HostileCase[] {
  const route = `/db/${ctx.seqdef}/oauth/get_request_token`;
  const url = `${ctx.baseUrl}${route}`;
  const cases: HostileCase[] = [];
  const headerCase = (name: string, header: string | undefined, path = route) =>
    cases.push({
      group: 'OAuth token routes',
      name,
      family: 'bigsdb',
      method: 'GET',
      path,
      headers: header === undefined ? [] : [['Authorization', header]],
      expect: 'error',
    });
  const now = Math.floor(Date.now() / 1000);
  const signed = (extra: Record<string, string>, forged?: string) =>
    ctx.signConsumer('GET', url, { oauth_callback: 'oob', ...extra }, forged);
  headerCase('no header', undefined);
  headerCase('OAuth alone', 'OAuth');
  headerCase('empty realm', 'OAuth realm=""');
  headerCase('Basic instead', 'Basic dXNlcjpwYXNz');
  headerCase('forged secret', signed({}, 'forged'));
  headerCase('unknown consumer', signed({}).replace(ctx.consumerKey, 'nobody'));
  headerCase('stale timestamp', signed({ oauth_timestamp: String(now - 3600) }));
  headerCase('future timestamp', signed({ oauth_timestamp: String(now + 3600) }));
  headerCase('timestamp not a number', signed({ oauth_timestamp: 'soon' }));
  headerCase('PLAINTEXT method', signed({}).replace('HMAC-SHA1', 'PLAINTEXT'));
  headerCase('RSA-SHA1 method', signed({}).replace('HMAC-SHA1', 'RSA-SHA1'));
  headerCase('signature removed', signed({}).replace(/,?\s*oauth_signature="[^"]*"/, ''));
  headerCase('nonce removed', signed({}).replace(/,?\s*oauth_nonce="[^"]*"/, ''));
  headerCase(
    'duplicate consumer key, another value',
    signed({}).replace('OAuth ', 'OAuth oauth_consumer_key="nobody", '),
  );
  headerCase('unterminated quote', `OAuth oauth_consumer_key="${ctx.consumerKey}, oauth_signature="x`);
  headerCase('unquoted values', `OAuth oauth_consumer_key=${ctx.consumerKey}, oauth_signature=x`);
  headerCase('bad percent-encoding', `OAuth oauth_consumer_key="%ZZ", oauth_signature="%E0%A4%A"`);
  headerCase('NUL in header', `OAuth oauth_consumer_key="${ctx.consumerKey}\u0000", oauth_signature="x"`);
  headerCase('control bytes in header', `OAuth oauth_consumer_key="\u0001\u0002\u0003", oauth_signature="\u007f"`);
  headerCase('10k header', `OAuth oauth_consumer_key="${'k'.repeat(10_000)}", oauth_signature="x"`);
  headerCase('1000 parameters', `OAuth ${Array.from({ length: 1000 }, (_, n) => `p${n}="v"`).join(', ')}`);
  headerCase(
    'prototype parameter names',
    `OAuth __proto__="x", constructor="y", prototype="z", oauth_consumer_key="${ctx.consumerKey}", oauth_signature="x"`,
  );
  headerCase('operator consumer key', `OAuth oauth_consumer_key="{\\"$gt\\":\\"\\"}", oauth_signature="x"`);
  // A real signed request, sent twice: the second is a replay (same nonce and timestamp).
  const replayed = signed({});
  cases.push({
    group: 'OAuth token routes',
    name: 'first use of a signed request',
    family: 'bigsdb',
    method: 'GET',
    path: route,
    headers: [['Authorization', replayed]],
    expect: 'any',
    statuses: [200],
    ordered: true,
  });
  cases.push({
    group: 'OAuth token routes',
    name: 'replay of the same signed request',
    family: 'bigsdb',
    method: 'GET',
    path: route,
    headers: [['Authorization', replayed]],
    expect: 'error',
    statuses: [401],
    ordered: true,
  });
  for (const step of ['get_access_token', 'get_session_token']) {
    const stepUrl = `${ctx.baseUrl}/db/${ctx.seqdef}/oauth/${step}`;
    for (const [name, extra] of [
      ['forged token', { oauth_token: 'forged', oauth_verifier: 'abcdefgh' }],
      ['operator token', { oauth_token: '{"$gt":""}' }],
      ['__proto__ token', { oauth_token: '__proto__' }],
      ['NUL token', { oauth_token: 'a\u0000b' }],
    ] as const) {
      cases.push({
        group: 'OAuth token routes',
        name: `${step}: ${name}`,
        family: 'bigsdb',
        method: 'GET',
        path: `/db/${ctx.seqdef}/oauth/${step}`,
        headers: [['Authorization', ctx.signConsumer('GET', stepUrl, extra)]],
        expect: 'error',
      });
    }
  }
  // Protected routes with forged or stale session signatures.
  const protectedPath = `/db/${ctx.seqdef}/submissions`;
  const forgeable = ctx.sign('GET', `${ctx.baseUrl}${protectedPath}`);
  const good = ctx.sign('GET', `${ctx.baseUrl}${protectedPath}`);
  for (const [name, header] of [
    ['forged signature', forgeable.replace(/oauth_signature="[^"]*"/, 'oauth_signature="AAAA"')],
    ['forged token', forgeable.replace(/oauth_token="[^"]*"/, 'oauth_token="forged"')],
    ['session token as operator', forgeable.replace(/oauth_token="[^"]*"/, 'oauth_token="%7B%22%24gt%22%3A%22%22%7D"')],
    ['signature for another URL', ctx.sign('GET', `${ctx.baseUrl}/db/${ctx.seqdef}/submissions/other`)],
    ['signature for another method', ctx.sign('POST', `${ctx.baseUrl}${protectedPath}`)],
  ]) {
    cases.push({
      group: 'OAuth protected routes',
      name,
      family: 'bigsdb',
      method: 'GET',
      path: protectedPath,
      headers: [['Authorization', header]],
      expect: 'error',
      statuses: [401],
    });
  }
  cases.push({
    group: 'OAuth protected routes',
    name: 'good signature',
    family: 'bigsdb',
    method: 'GET',
    path: protectedPath,
    headers: [['Authorization', good]],
    expect: 'any',
    statuses: [200],
    ordered: true,
  });
  cases.push({
    group: 'OAuth protected routes',
    name: 'good signature replayed',
    family: 'bigsdb',
    method: 'GET',
    path: protectedPath,
    headers: [['Authorization', good]],
    expect: 'error',
    statuses: [401],
    ordered: true,
  });
  return cases;
}

function submissionCases(ctx: CaseContext): HostileCase[] {
  const collection = `/db/${ctx.seqdef}/submissions`;
  const cases: HostileCase[] = [];
  const signedPost = (
    group: string,
    name: string,
    path: string,
    body: Buffer | string,
    expect: 'error' | 'any' = 'error',
  ) =>
    cases.push({
      group,
      name,
      family: 'bigsdb',
      method: 'POST',
      path,
      headers: [
        ['Authorization', ctx.sign('POST', `${ctx.baseUrl}${path}`)],
        ['Content-Type', 'application/json'],
      ],
      body,
      expect,
    });
  const valid = {
    type: 'alleles',
    locus: 'abcZ',
    technology: 'Sanger',
    assembly: 'de novo',
    software: 'Staden',
    sequences: '>x\nACGT',
  };
  for (const { name, body, malformed } of hostileJsonBodies(valid))
    signedPost('BIGSdb submissions: create', name, collection, body, malformed ? 'error' : 'any');
  for (const [name, document] of [
    ['type __proto__', { ...valid, type: '__proto__' }],
    ['type constructor', { ...valid, type: 'constructor' }],
    ['locus __proto__', { ...valid, locus: '__proto__' }],
    ['locus NUL', { ...valid, locus: 'abc\u0000Z' }],
    ['technology an operator', { ...valid, technology: { $gt: '' } }],
    ['sequences NUL', { ...valid, sequences: '>x\nAC\u0000GT' }],
    ['sequences not FASTA', { ...valid, sequences: 'hello' }],
    ['scheme_id __proto__', { type: 'profiles', scheme_id: '__proto__', profiles: 'id\tabcZ\nx\t1' }],
    ['profiles header __proto__', { type: 'profiles', scheme_id: 1, profiles: 'id\t__proto__\tconstructor\nx\t1\t1' }],
    ['isolates type to seqdef', { type: 'isolates', isolates: 'isolate\n__proto__' }],
    ['message 20k', { ...valid, message: 'm'.repeat(20_000) }],
  ] as const) {
    signedPost('BIGSdb submissions: create', name, collection, JSON.stringify(document));
  }
  const files = `${collection}/${ctx.submissionId}/files`;
  for (const filename of [
    '../../etc/passwd',
    '..',
    '.',
    '.hidden',
    'a/b',
    'a\\b',
    'a\u0000b',
    'a\nb',
    ' space',
    'x'.repeat(300),
    '__proto__/x',
    'C:\\windows\\x',
  ]) {
    signedPost(
      'BIGSdb submissions: file names',
      JSON.stringify(filename).slice(0, 40),
      files,
      JSON.stringify({ filename, upload: Buffer.from('trace').toString('base64') }),
    );
  }
  // Odd but harmless names (a key, never a path): taken or refused, never a 5xx.
  for (const filename of ['%2e%2e%2fx', '\u202egnp.exe', '__proto__', 'constructor', '🧬.txt']) {
    signedPost(
      'BIGSdb submissions: file names',
      JSON.stringify(filename).slice(0, 40),
      files,
      JSON.stringify({ filename, upload: Buffer.from('trace').toString('base64') }),
      'any',
    );
  }
  for (const [name, body] of [
    ['upload not base64', { filename: 'ok.txt', upload: '!!!' }],
    ['upload empty', { filename: 'ok.txt', upload: '' }],
    ['upload an operator', { filename: 'ok.txt', upload: { $gt: '' } }],
    ['filename an operator', { filename: { $gt: '' }, upload: 'eA==' }],
  ] as const) {
    signedPost('BIGSdb submissions: files', name, files, JSON.stringify(body));
  }
  for (const value of HOSTILE_SEGMENTS) {
    const path = `${collection}/${value}`;
    cases.push({
      group: 'BIGSdb submissions: ids',
      name: value.slice(0, 40),
      family: 'bigsdb',
      method: 'GET',
      path,
      headers: [['Authorization', ctx.sign('GET', `${ctx.baseUrl}${path}`)]],
      expect: 'error',
    });
  }
  return cases;
}

const CRLF = '\r\n';
/** A multipart body from parts, each part's header lines given whole (so a test can make them hostile). */
export function multipart(
  boundary: string,
  parts: Array<{ headers: string[]; body: string | Buffer }>,
  close = true,
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}${CRLF}${part.headers.join(CRLF)}${CRLF}${CRLF}`, 'latin1'));
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body));
    chunks.push(Buffer.from(CRLF));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return Buffer.concat(chunks);
}
const field = (name: string, value: string) => ({
  headers: [`Content-Disposition: form-data; name="${name}"`],
  body: value,
});
const file = (name: string, filename: string, content: string | Buffer) => ({
  headers: [
    `Content-Disposition: form-data; name="${name}"; filename="${filename}"`,
    'Content-Type: application/octet-stream',
  ],
  body: content,
});

/** Variants of a valid multipart form: broken framing, hostile part headers, names and file names. */
function hostileForms(
  validParts: Array<{ headers: string[]; body: string | Buffer }>,
  fileField: string,
): Array<{ name: string; contentType: string; body: Buffer }> {
  const b = 'hostileBoundary1234';
  const form = (parts: typeof validParts, close = true) => multipart(b, parts, close);
  const ct = `multipart/form-data; boundary=${b}`;
  const whole = form(validParts);
  const forms: Array<{ name: string; contentType: string; body: Buffer }> = [
    { name: 'no boundary parameter', contentType: 'multipart/form-data', body: whole },
    { name: 'wrong boundary', contentType: 'multipart/form-data; boundary=other', body: whole },
    { name: 'empty boundary', contentType: 'multipart/form-data; boundary=', body: whole },
    { name: 'boundary 200 characters', contentType: `multipart/form-data; boundary=${'b'.repeat(200)}`, body: whole },
    { name: 'no closing boundary', contentType: ct, body: form(validParts, false) },
    {
      name: 'ends inside a file part',
      contentType: ct,
      body: Buffer.concat([
        form(validParts.slice(0, -1), false),
        Buffer.from(
          `--${b}${CRLF}Content-Disposition: form-data; name="${fileField}"; filename="x.txt"${CRLF}${CRLF}ACGT`,
        ),
      ]),
    },
    {
      name: 'ends inside part headers',
      contentType: ct,
      body: Buffer.from(`--${b}${CRLF}Content-Disposition: form-data; name="x"`),
    },
    {
      name: 'NUL in file name',
      contentType: ct,
      body: form([...validParts.slice(0, -1), file(fileField, 'a\u0000b', 'ACGT')]),
    },
    {
      name: 'bare LF in part header',
      contentType: ct,
      body: Buffer.concat([
        Buffer.from(
          `--${b}${CRLF}Content-Disposition: form-data; name="${fileField}";\nfilename="x"${CRLF}${CRLF}ACGT${CRLF}--${b}--${CRLF}`,
        ),
      ]),
    },
    {
      name: 'NUL in part header name',
      contentType: ct,
      body: Buffer.from(
        `--${b}${CRLF}Content-Dispo\u0000sition: form-data; name="x"${CRLF}${CRLF}v${CRLF}--${b}--${CRLF}`,
        'latin1',
      ),
    },
    {
      name: 'no Content-Disposition',
      contentType: ct,
      body: Buffer.from(`--${b}${CRLF}Content-Type: text/plain${CRLF}${CRLF}v${CRLF}--${b}--${CRLF}`),
    },
    {
      name: 'part header 100k',
      contentType: ct,
      body: Buffer.from(
        `--${b}${CRLF}X-Long: ${'h'.repeat(100_000)}${CRLF}Content-Disposition: form-data; name="x"${CRLF}${CRLF}v${CRLF}--${b}--${CRLF}`,
      ),
    },
    { name: '1000 parts', contentType: ct, body: form(Array.from({ length: 1000 }, (_, n) => field(`f${n}`, 'v'))) },
    { name: 'garbage body', contentType: ct, body: Buffer.from([0, 1, 2, 3, 255, 254, 253]) },
    { name: 'empty body', contentType: ct, body: Buffer.alloc(0) },
    {
      name: 'traversal file name',
      contentType: ct,
      body: form([...validParts.slice(0, -1), file(fileField, '../../../../etc/passwd', 'ACGT')]),
    },
    {
      name: 'backslash file name',
      contentType: ct,
      body: form([...validParts.slice(0, -1), file(fileField, '..\\..\\x', 'ACGT')]),
    },
    {
      name: 'encoded slash file name',
      contentType: ct,
      body: form([
        ...validParts.slice(0, -1),
        {
          headers: [`Content-Disposition: form-data; name="${fileField}"; filename*=UTF-8''..%2F..%2Fx`],
          body: 'ACGT',
        },
      ]),
    },
    { name: '__proto__ field', contentType: ct, body: form([field('__proto__', 'x'), ...validParts]) },
    { name: 'constructor field', contentType: ct, body: form([field('constructor', 'x'), ...validParts]) },
    { name: 'prototype field', contentType: ct, body: form([field('prototype', 'x'), ...validParts]) },
    { name: '__proto__ file field', contentType: ct, body: form([...validParts, file('__proto__', 'x.txt', 'ACGT')]) },
    { name: 'NUL in a field value', contentType: ct, body: form([field('title', 'a\u0000b'), ...validParts]) },
    { name: 'NUL in a field name', contentType: ct, body: form([field('ti\u0000tle', 'x'), ...validParts]) },
    {
      name: 'binary file',
      contentType: ct,
      body: form([...validParts.slice(0, -1), file(fileField, 'x.txt', Buffer.from([0, 0, 0, 255, 1]))]),
    },
  ];
  for (let cut = 20; cut < whole.length; cut += Math.max(7, Math.floor(whole.length / 10))) {
    forms.push({ name: `truncated at byte ${cut}`, contentType: ct, body: whole.subarray(0, cut) });
  }
  return forms;
}

function analyticsAutomatedCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const valid = [
    field('job', 'fasta_stats'),
    field('submission_name', 'hostile'),
    field('email', 'a@example.org'),
    file('input_data', 'x.fa', '>x\nACGTACGT\n'),
  ];
  for (const route of ['/analytics_automated/submission/', '/analytics_automated/submission.json']) {
    for (const form of hostileForms(valid, 'input_data')) {
      cases.push({
        group: 'A_A submission: multipart',
        name: `${route.slice(21)} ${form.name}`,
        family: 'analytics_automated',
        method: 'POST',
        path: route,
        headers: [['Content-Type', form.contentType]],
        body: form.body,
        expect: 'any',
      });
    }
  }
  const b = 'aaBoundary';
  for (const [name, job] of [
    ['job __proto__', '__proto__'],
    ['job constructor', 'constructor'],
    ['job list with __proto__', 'fasta_stats,__proto__'],
    ['job NUL', 'fasta\u0000stats'],
    ['job operator', '{"$gt":""}'],
    ['job 10k', 'j'.repeat(10_000)],
    ['job empty', ''],
    ['job regex', '.*'],
  ]) {
    const body = multipart(b, [
      field('job', job),
      field('submission_name', 'x'),
      field('email', 'a@example.org'),
      file('input_data', 'x.fa', '>x\nACGT\n'),
    ]);
    cases.push({
      group: 'A_A submission: values',
      name,
      family: 'analytics_automated',
      method: 'POST',
      path: '/analytics_automated/submission/',
      headers: [['Content-Type', `multipart/form-data; boundary=${b}`]],
      body,
      expect: 'error',
    });
  }
  for (const [name, contentType, body] of [
    ['JSON body', 'application/json', '{"job":"fasta_stats"}'],
    ['urlencoded operators', 'application/x-www-form-urlencoded', 'job[$gt]=&submission_name[]=x&email=a@example.org'],
    [
      'urlencoded __proto__',
      'application/x-www-form-urlencoded',
      '__proto__[x]=1&job=fasta_stats&submission_name=x&email=a@example.org',
    ],
    ['urlencoded NUL', 'application/x-www-form-urlencoded', 'job=fasta%00stats&submission_name=x&email=a@example.org'],
    ['text body', 'text/plain', 'job=fasta_stats'],
    ['no content type', '', 'x'],
  ] as const) {
    cases.push({
      group: 'A_A submission: content types',
      name,
      family: 'analytics_automated',
      method: 'POST',
      path: '/analytics_automated/submission/',
      headers: contentType ? [['Content-Type', contentType]] : [],
      body,
      expect: 'error',
    });
  }
  for (const value of HOSTILE_SEGMENTS) {
    cases.push({
      group: 'A_A reads',
      name: `submission/${value.slice(0, 40)}`,
      family: 'analytics_automated',
      method: 'GET',
      path: `/analytics_automated/submission/${value}`,
      expect: 'error',
    });
    cases.push({
      group: 'A_A reads',
      name: `job/${value.slice(0, 40)}`,
      family: 'analytics_automated',
      method: 'GET',
      path: `/analytics_automated/job/${value}`,
      expect: 'error',
    });
  }
  for (const value of ['abc', '-1', '0', '1e309', '__proto__', '%00', '99999999999999999999']) {
    cases.push({
      group: 'A_A reads',
      name: `job/?page=${value}`,
      family: 'analytics_automated',
      method: 'GET',
      path: `/analytics_automated/job/?page=${value}&format=json`,
      expect: 'any',
    });
  }
  return cases;
}

function cgiCases(ctx: CaseContext): HostileCase[] {
  const cases: HostileCase[] = [];
  const valid = [
    field('cancer_type', 'CM'),
    field('title', 'hostile'),
    file('mutations', 'mutations.tsv', 'sample\tprotein\nS1\tBRAF:p.V600E\n'),
  ];
  for (const form of hostileForms(valid, 'mutations')) {
    cases.push({
      group: 'CGI launch: multipart',
      name: form.name,
      family: 'cgi',
      method: 'POST',
      path: '/api/v1',
      headers: [
        ['Authorization', ctx.cgiAuth],
        ['Content-Type', form.contentType],
      ],
      body: form.body,
      expect: 'any',
    });
  }
  const b = 'cgiBoundary';
  const launch = (
    name: string,
    parts: Array<{ headers: string[]; body: string | Buffer }>,
    expect: 'error' | 'any' = 'error',
  ) =>
    cases.push({
      group: 'CGI launch: values',
      name,
      family: 'cgi',
      method: 'POST',
      path: '/api/v1',
      headers: [
        ['Authorization', ctx.cgiAuth],
        ['Content-Type', `multipart/form-data; boundary=${b}`],
      ],
      body: multipart(b, parts),
      expect,
    });
  for (const cancerType of ['__proto__', 'constructor', '', 'C\u0000M', '{"$gt":""}', 'x'.repeat(10_000)]) {
    launch(`cancer_type ${JSON.stringify(cancerType).slice(0, 30)}`, [
      field('cancer_type', cancerType),
      file('mutations', 'm.tsv', 'protein\nBRAF:p.V600E\n'),
    ]);
  }
  for (const [name, content] of [
    ['columns __proto__', 'sample\t__proto__\tconstructor\nS1\tx\ty\n'],
    ['protein column __proto__ values', 'protein\n__proto__\nconstructor:p.V600E\n'],
    ['header only', 'protein\n'],
    ['no known column', 'a\tb\n1\t2\n'],
    ['NUL in a cell', 'protein\nBRAF:p.V6\u000000E\n'],
    ['10000 columns', `${Array.from({ length: 10_000 }, (_, n) => `c${n}`).join('\t')}\n`],
    ['a 100k line', `protein\n${'B'.repeat(100_000)}\n`],
    ['binary', Buffer.from([0, 159, 146, 150, 255]).toString('latin1')],
    ['regex bomb gdna', `gdna\nchr7:g.${'1'.repeat(50_000)}A>\n`],
  ] as const) {
    launch(`mutations ${name}`, [field('cancer_type', 'CM'), file('mutations', 'm.tsv', content)]);
  }
  // A valid VCF whose INFO holds prototype names: they are carried through as text, so it may run.
  launch(
    'mutations VCF with __proto__ INFO',
    [
      field('cancer_type', 'CM'),
      file(
        'mutations',
        'm.vcf',
        '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n7\t140453136\t.\tA\tT\t.\tPASS\t__proto__=1;constructor=2\n',
      ),
    ],
    'any',
  );
  launch(
    'cnas with __proto__ gene',
    [field('cancer_type', 'CM'), file('cnas', 'c.tsv', 'gene\tcna\n__proto__\tAMP\nconstructor\tDEL\n')],
    'any',
  );
  launch(
    'translocations with __proto__',
    [field('cancer_type', 'CM'), file('translocations', 't.tsv', 'fus\n__proto____constructor\n')],
    'any',
  );
  launch('reference not hg', [
    field('cancer_type', 'CM'),
    field('reference', '__proto__'),
    file('mutations', 'm.tsv', 'protein\nBRAF:p.V600E\n'),
  ]);
  launch('no files', [field('cancer_type', 'CM')]);
  for (const [name, header] of [
    ['no Authorization', undefined],
    ['empty', ''],
    ['email only', 'ada@example.org'],
    ['wrong token', 'hostile@example.org AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['Bearer', 'Bearer abc'],
    ['NUL in email', 'hostile\u0000@example.org abc'],
    ['operator email', '{"$gt":""} abc'],
    ['__proto__ email', '__proto__ abc'],
    ['10k token', `hostile@example.org ${'t'.repeat(10_000)}`],
    ['three words', 'a b c'],
    ['unicode', '🧬@example.org 🧬'],
  ] as const) {
    const headers: Array<[string, string]> =
      header === undefined ? [] : [['Authorization', Buffer.from(header, 'utf8').toString('latin1')]];
    cases.push({
      group: 'CGI tokens',
      name: `list: ${name}`,
      family: 'cgi',
      method: 'GET',
      path: '/api/v1',
      headers,
      expect: 'error',
      statuses: [400, 401, 403],
    });
    cases.push({
      group: 'CGI tokens',
      name: `launch: ${name}`,
      family: 'cgi',
      method: 'POST',
      path: '/api/v1',
      headers: [...headers, ['Content-Type', `multipart/form-data; boundary=${b}`]],
      body: multipart(b, valid),
      expect: 'error',
      statuses: [400, 401, 403],
    });
    cases.push({
      group: 'CGI tokens',
      name: `delete canary: ${name}`,
      family: 'cgi',
      method: 'DELETE',
      path: `/api/v1/${ctx.cgiJobId}`,
      headers,
      expect: 'error',
      statuses: [400, 401, 403, 404],
    });
  }
  for (const value of HOSTILE_SEGMENTS) {
    cases.push({
      group: 'CGI job ids',
      name: `info ${value.slice(0, 40)}`,
      family: 'cgi',
      method: 'GET',
      path: `/api/v1/${value}`,
      headers: [['Authorization', ctx.cgiAuth]],
      expect: 'error',
    });
    cases.push({
      group: 'CGI job ids',
      name: `delete ${value.slice(0, 40)}`,
      family: 'cgi',
      method: 'DELETE',
      path: `/api/v1/${value}`,
      headers: [['Authorization', ctx.cgiAuth]],
      expect: 'error',
    });
  }
  for (const action of ['__proto__', 'constructor', '%00', 'logs%00', 'download%2F..', 'x'.repeat(5000)]) {
    cases.push({
      group: 'CGI job ids',
      name: `action=${action.slice(0, 30)}`,
      family: 'cgi',
      method: 'GET',
      path: `/api/v1/${ctx.cgiJobId}?action=${action}`,
      headers: [['Authorization', ctx.cgiAuth]],
      expect: 'any',
    });
  }
  return cases;
}

function accountCases(ctx: CaseContext): HostileCase[] {
  const cases: HostileCase[] = [];
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  for (const [name, header] of [
    ['NUL in e-mail', basic('hostile\u0000@example.org', 'a perfectly long password')],
    ['NUL in password', basic('hostile@example.org', 'a\u0000b')],
    ['operator e-mail', basic('{"$gt":""}', 'x')],
    ['__proto__ e-mail', basic('__proto__', 'x')],
    ['no colon', `Basic ${Buffer.from('nocolon').toString('base64')}`],
    ['not base64', 'Basic !!!!'],
    ['empty', 'Basic '],
    ['100k password', basic('hostile@example.org', 'p'.repeat(100_000))],
    ['wrong password', ctx.basicAuth.replace(/.{4}$/, 'AAAA')],
    ['unicode', basic('🧬@example.org', '🧬')],
    ['Digest scheme', 'Digest username="x"'],
  ] as const) {
    cases.push({
      group: 'accounts',
      name: `tokens: ${name}`,
      family: 'bigsdb',
      method: 'POST',
      path: '/auth/tokens',
      headers: [
        ['Authorization', header],
        ['Content-Type', 'application/json'],
      ],
      body: '{"label":"x"}',
      expect: 'error',
    });
    cases.push({
      group: 'accounts',
      name: `whoami: ${name}`,
      family: 'bigsdb',
      method: 'GET',
      path: '/auth/whoami',
      headers: [['Authorization', header]],
      expect: 'error',
    });
  }
  for (const { name, body } of hostileJsonBodies({ label: 'pipeline' })) {
    cases.push({
      group: 'accounts: token bodies',
      name,
      family: 'bigsdb',
      method: 'POST',
      path: '/auth/tokens',
      headers: [
        ['Authorization', ctx.basicAuth],
        ['Content-Type', 'application/json'],
      ],
      body,
      expect: 'any',
    });
  }
  for (const value of HOSTILE_SEGMENTS) {
    cases.push({
      group: 'accounts',
      name: `delete token ${value.slice(0, 30)}`,
      family: 'bigsdb',
      method: 'DELETE',
      path: `/auth/tokens/${value}`,
      headers: [['Authorization', ctx.basicAuth]],
      expect: 'error',
    });
  }
  for (const [name, path, method, body] of [
    ['admin list as a user', '/admin/accounts', 'GET', undefined],
    ['admin create as a user', '/admin/accounts', 'POST', '{"email":"x@example.org","role":"admin"}'],
    ['admin patch __proto__', '/admin/accounts/__proto__', 'PATCH', '{"role":"admin"}'],
    ['admin clients as a user', '/admin/oauth-clients', 'GET', undefined],
  ] as const) {
    cases.push({
      group: 'admin',
      name,
      family: 'bigsdb',
      method,
      path,
      headers: [
        ['Authorization', ctx.basicAuth],
        ['Content-Type', 'application/json'],
      ],
      body,
      expect: 'error',
      statuses: [401, 403],
    });
    cases.push({
      group: 'admin',
      name: `${name}, no credentials`,
      family: 'bigsdb',
      method,
      path,
      headers: [['Content-Type', 'application/json']],
      body,
      expect: 'error',
      statuses: [401, 403],
    });
  }
  for (const { name, body } of hostileJsonBodies({ database: ctx.seqdef, oauth_token: 'x' })) {
    cases.push({
      group: 'accounts: verifier',
      name,
      family: 'bigsdb',
      method: 'POST',
      path: '/auth/oauth/verifier',
      headers: [
        ['Authorization', ctx.basicAuth],
        ['Content-Type', 'application/json'],
      ],
      body,
      expect: 'error',
    });
  }
  for (const [name, body] of [
    ['login operator', 'email[$gt]=&password[$gt]='],
    ['login NUL', 'email=a%00b&password=x'],
    ['login __proto__', '__proto__[admin]=1&email=x&password=y'],
    ['login huge', `email=x&password=${'p'.repeat(20_000)}`],
  ] as const) {
    cases.push({
      group: 'accounts: login form',
      name,
      family: 'bigsdb',
      method: 'POST',
      path: '/auth/login',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body,
      expect: 'any',
    });
  }
  return cases;
}

/** Every case, grouped in batches by family: after each batch the suite checks every process's health. */
export function hostileCases(ctx: CaseContext): Array<{ batch: string; cases: HostileCase[] }> {
  return [
    { batch: 'pATLAS', cases: patlasCases() },
    { batch: 'BIGSdb reads', cases: bigsdbReadCases(ctx) },
    { batch: 'sequence queries', cases: sequenceQueryCases(ctx) },
    { batch: 'isolates/search', cases: isolateSearchCases(ctx) },
    { batch: 'OAuth', cases: oauthCases(ctx) },
    { batch: 'BIGSdb submissions', cases: submissionCases(ctx) },
    { batch: 'analytics_automated', cases: analyticsAutomatedCases() },
    { batch: 'CGI', cases: cgiCases(ctx) },
    { batch: 'accounts and admin', cases: accountCases(ctx) },
  ];
}
