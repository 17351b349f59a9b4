import { AaSubjects } from '@helixgate/contracts';
import { HandleRequest } from '@helixgate/platform';
import { Controller } from '@nestjs/common';
import type { z } from 'zod';
import { AaSubmissions } from './aa-submissions.service';

type In<K extends keyof typeof AaSubjects> = z.output<(typeof AaSubjects)[K]['request']>;

/** analytics_automated's job discovery, submissions and result files over NATS. */
@Controller()
export class AaController {
  constructor(private readonly aa: AaSubmissions) {}

  @HandleRequest(AaSubjects.endpoints)
  endpoints() {
    return this.aa.endpoints();
  }
  @HandleRequest(AaSubjects.listJobs)
  listJobs() {
    return this.aa.listJobs();
  }
  @HandleRequest(AaSubjects.getJob)
  getJob({ name }: In<'getJob'>) {
    return this.aa.job(name);
  }
  @HandleRequest(AaSubjects.jobTimes)
  jobTimes() {
    return this.aa.jobTimes();
  }
  @HandleRequest(AaSubjects.submit)
  submit(request: In<'submit'>) {
    return this.aa.submit(request);
  }
  @HandleRequest(AaSubjects.getBatch)
  getBatch({ uuid }: In<'getBatch'>) {
    return this.aa.batch(uuid);
  }
  @HandleRequest(AaSubjects.getSubmission)
  getSubmission({ uuid }: In<'getSubmission'>) {
    return this.aa.submission(uuid);
  }
  @HandleRequest(AaSubjects.getFile)
  getFile({ name }: In<'getFile'>) {
    return this.aa.file(name);
  }
}
