import { type PageRequest, ServiceError, type ReplyOf, type TypingSubjects } from '@helixgate/contracts';
import { Injectable } from '@nestjs/common';
import { defined, Links } from '../common/links';
import { Lookup } from '../common/lookup';
import { pageResult, pageSlice, pageWindow } from '../common/paging';
import { fieldValue, IsolateCatalogue } from '../isolates/isolate-catalogue';

/** BIGSdb's provenance field routes of isolates databases (Fields.pm). */
@Injectable()
export class FieldsService {
  constructor(
    private readonly lookup: Lookup,
    private readonly catalogue: IsolateCatalogue,
  ) {}

  /** GET /db/{db}/fields: the provenance fields with their rules and a link to their values. */
  async listFields(baseUri: string, name: string) {
    const db = await this.lookup.isolatesDatabase(name);
    const links = new Links(baseUri, name);
    return (db.fields ?? []).map((f) =>
      defined({
        name: f.name,
        type: f.type,
        required: f.required,
        length: f.length,
        min: f.min,
        max: f.max,
        regex: f.regex,
        comments: f.comments,
        allowed_values: f.allowedValues,
        values: links.to(`fields/${f.name}`),
      }),
    );
  }

  /** GET /db/{db}/fields/{field}: the distinct values used, in order. */
  async listFieldValues(baseUri: string, name: string, fieldName: string, page: PageRequest) {
    const db = await this.lookup.isolatesDatabase(name);
    const field = (db.fields ?? []).find((f) => f.name === fieldName);
    if (!field) throw ServiceError.notFound(`Field ${fieldName} does not exist.`);
    const catalogue = await this.catalogue.of(db);
    const distinct = [...new Set(catalogue.entries.map((entry) => fieldValue(entry, field.name)))].filter(
      (v): v is string | number | boolean => v !== null && v !== undefined && v !== '',
    );
    const numeric = field.type === 'int' || field.type === 'float';
    const values = distinct.sort((a, b) =>
      numeric ? Number(a) - Number(b) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
    );
    const window = pageWindow(page);
    const { paging, headers } = pageResult(window, values.length, page, baseUri);
    const body: ReplyOf<typeof TypingSubjects.listFieldValues>['body'] = {
      records: values.length,
      values: pageSlice(values, window),
    };
    if (paging) body.paging = paging;
    return { body, headers };
  }
}
