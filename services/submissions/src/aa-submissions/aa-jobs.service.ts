import { type JobDefinition, JobSubjects, ServiceError } from '@helixgate/contracts';
import { endpointsBody } from '@helixgate/aa';
import { RpcClient } from '@helixgate/platform';
import { Injectable } from '@nestjs/common';
import { AaSubmissionsRepository } from './aa-submissions.repository';

/** analytics_automated's jobs: the job definitions it lists, and how long their submissions take. */
@Injectable()
export class AaJobsService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly repository: AaSubmissionsRepository,
  ) {}

  /** The job definitions A_A lists, by name (A_A lists runnable and disabled jobs alike). */
  async listed(): Promise<JobDefinition[]> {
    return (await this.rpc.request(JobSubjects.listDefinitions, {})).filter((d) => d.analyticsAutomated);
  }

  async endpoints(): Promise<{ jobs: string[] }> {
    return endpointsBody(await this.listed());
  }

  /** A_A's pk is the job's number; Helixgate numbers the listed jobs by name. */
  async listJobs(): Promise<Array<{ pk: number; name: string }>> {
    return (await this.listed()).map((d, index) => ({ pk: index + 1, name: d.name }));
  }

  async job(name: string) {
    const definition = (await this.listed()).find((d) => d.name === name);
    if (!definition) throw ServiceError.notFound('Not found.');
    return {
      name: definition.name,
      steps: [...definition.steps]
        .sort((a, b) => a.order - b.order)
        .map((s) => ({ task: { configuration: [] }, ordering: s.order })),
    };
  }

  /** A_A's jobtimes: by job name, the mean seconds from submission to last change over the latest 5,000 submissions. */
  async jobTimes(): Promise<Record<string, number | null>> {
    const latest = await this.repository.latestTimes(5000);
    const seconds = new Map<string, number[]>();
    for (const s of latest)
      seconds.set(s.job, [
        ...(seconds.get(s.job) ?? []),
        Math.trunc((new Date(s.modified).getTime() - new Date(s.createdAt).getTime()) / 1000),
      ]);
    return Object.fromEntries(
      [...seconds].map(([job, times]) => [
        job,
        times.length ? Math.trunc(times.reduce((a, b) => a + b, 0) / times.length) : null,
      ]),
    );
  }
}
